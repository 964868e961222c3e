"""Rules of the Korus calendar: the ranges a request may ask for, yearly dates by month-day (29
February in other years), and a dragged task keeping its length."""

from datetime import date, datetime, timedelta

from korus_crm.rules import calendar as rules


class TestRange:
	def test_a_range_ends_after_it_starts(self):
		start = datetime(2026, 6, 1)
		assert rules.range_problem(start, start + timedelta(days=42)) is None
		assert rules.range_problem(start, start) == "order"
		assert rules.range_problem(start, start - timedelta(days=1)) == "order"

	def test_a_range_is_at_most_the_limit_long(self):
		start = datetime(2026, 6, 1)
		assert rules.range_problem(start, start + timedelta(days=rules.MAX_RANGE_DAYS)) is None
		assert rules.range_problem(start, start + timedelta(days=rules.MAX_RANGE_DAYS, seconds=1)) == "length"


class TestYearlyDates:
	def test_month_day_is_stored_as_mm_dd(self):
		assert rules.month_day(date(1980, 3, 7)) == "03-07"

	def test_the_month_days_of_a_range_exclude_its_end(self):
		assert rules.month_days(date(2026, 6, 29), date(2026, 7, 2)) == ["06-29", "06-30", "07-01"]

	def test_a_range_across_new_year(self):
		assert rules.month_days(date(2026, 12, 31), date(2027, 1, 2)) == ["12-31", "01-01"]

	def test_29_february_falls_on_28_february_in_other_years(self):
		assert "02-29" in rules.month_days(date(2027, 2, 28), date(2027, 3, 1))
		assert rules.occurrences("02-29", date(2027, 2, 1), date(2027, 3, 1)) == [date(2027, 2, 28)]
		assert rules.occurrences("02-29", date(2028, 2, 1), date(2028, 3, 1)) == [date(2028, 2, 29)]
		assert rules.occurrences("02-28", date(2028, 2, 1), date(2028, 3, 1)) == [date(2028, 2, 28)]

	def test_occurrences_of_a_month_day_in_a_range(self):
		assert rules.occurrences("06-15", date(2026, 6, 1), date(2026, 7, 1)) == [date(2026, 6, 15)]
		assert rules.occurrences("07-15", date(2026, 6, 1), date(2026, 7, 1)) == []

	def test_years_since_the_original_date(self):
		assert rules.years_since(date(1980, 6, 15), date(2026, 6, 15)) == 46
		assert rules.years_since(date(2026, 6, 15), date(2026, 6, 15)) is None
		assert rules.years_since(None, date(2026, 6, 15)) is None


class TestReschedule:
	def test_a_dragged_task_keeps_its_length(self):
		shift = rules.shift_task(datetime(2026, 6, 1, 9), datetime(2026, 6, 1, 11), datetime(2026, 6, 3, 14))
		assert shift == rules.Shift(datetime(2026, 6, 3, 14), datetime(2026, 6, 3, 16))

	def test_a_task_without_start_moves_its_due_time(self):
		shift = rules.shift_task(None, datetime(2026, 6, 1, 11), datetime(2026, 6, 2, 11))
		assert shift == rules.Shift(None, datetime(2026, 6, 2, 11))

	def test_the_reschedulable_doctypes(self):
		assert set(rules.RESCHEDULABLE) == {
			"Korus Task",
			"Scheduled Contact",
			"Customer Follow-up",
			"Opportunity",
		}
