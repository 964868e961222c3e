"""Vehicle rules (issue 14): a mileage log's readings, its distance, the odometer as the highest end
reading of the submitted logs (whatever their order, after cancellations), backdating as a warning,
and the report's ratios."""

from datetime import date

from korus_crm.rules import vehicles as rules


class TestReadings:
	def test_valid_readings_have_no_problem(self):
		assert rules.reading_problems(1000, 1250) == []
		assert rules.reading_problems(0, 0) == []

	def test_end_equal_to_start_is_a_zero_distance(self):
		assert rules.reading_problems(500, 500) == []
		assert rules.distance(500, 500) == 0

	def test_end_below_start_is_refused(self):
		assert rules.reading_problems(1000, 900) == [rules.END_BELOW_START]

	def test_negative_readings_are_refused(self):
		assert rules.reading_problems(-1, 10) == [rules.NEGATIVE_START]
		assert rules.reading_problems(10, -5) == [rules.NEGATIVE_END]
		assert rules.reading_problems(-10, -5) == [rules.NEGATIVE_START, rules.NEGATIVE_END]

	def test_a_missing_end_is_refused(self):
		assert rules.reading_problems(10, None) == [rules.MISSING_END]

	def test_distance_is_end_minus_start(self):
		assert rules.distance(12_345, 12_480) == 135

	def test_fuel_and_cost_are_never_negative(self):
		assert rules.amount_problems(40.5, 250) == []
		assert rules.amount_problems(None, None) == []
		assert rules.amount_problems(-1, 0) == [rules.NEGATIVE_FUEL]
		assert rules.amount_problems(0, -0.01) == [rules.NEGATIVE_COST]


class TestOdometer:
	def test_the_highest_end_reading_whatever_the_order(self):
		assert rules.odometer(1000, [1300, 1100, 1200]) == 1300
		assert rules.odometer(1000, [1100, 1200, 1300]) == 1300

	def test_a_cancelled_log_falls_back_to_the_highest_remaining(self):
		submitted = {"a": 1100, "b": 1300, "c": 1200}
		del submitted["b"]  # cancelled
		assert rules.odometer(1000, submitted.values()) == 1200

	def test_without_submitted_logs_the_reading_before_the_first_log(self):
		assert rules.odometer(1000, []) == 1000
		assert rules.odometer(None, []) == 0

	def test_never_below_the_reading_before_the_first_log(self):
		assert rules.odometer(5000, [4200]) == 5000

	def test_empty_readings_are_ignored(self):
		assert rules.odometer(10, [None, 30]) == 30


class TestBackdating:
	def test_a_log_after_the_latest_starting_at_the_odometer_is_not_backdated(self):
		found = rules.backdating(date(2026, 5, 10), 1300, date(2026, 5, 9), 1300)
		assert not found

	def test_same_day_is_not_backdated(self):
		assert not rules.backdating(date(2026, 5, 9), 1300, date(2026, 5, 9), 1300)

	def test_dated_before_the_latest_log(self):
		found = rules.backdating(date(2026, 5, 1), 1300, date(2026, 5, 9), 1300)
		assert found and found.before_latest_log and not found.below_odometer

	def test_starting_below_the_odometer(self):
		found = rules.backdating(date(2026, 5, 10), 1100, date(2026, 5, 9), 1300)
		assert found and found.below_odometer and not found.before_latest_log

	def test_a_first_log_is_backdated_only_below_the_odometer(self):
		assert not rules.backdating(date(2026, 5, 10), 1000, None, 1000)
		assert rules.backdating(date(2026, 5, 10), 900, None, 1000).below_odometer


class TestRatios:
	def test_fuel_per_100_km(self):
		assert rules.fuel_per_100_km(7.5, 150) == 5.0
		assert rules.fuel_per_100_km(None, 150) == 0

	def test_cost_per_km(self):
		assert rules.cost_per_km(90, 200) == 0.45

	def test_no_distance_no_ratio(self):
		assert rules.fuel_per_100_km(10, 0) is None
		assert rules.cost_per_km(10, None) is None
