"""Rules of work reports: the period of a kind and date, checking a given period, its label, what
makes two reports the same one, and who receives a report."""

from datetime import date

import pytest

from korus_crm.rules import work_reports as rules

TODAY = date(2026, 6, 17)  # a Wednesday


class TestPeriod:
	def test_a_daily_report_covers_its_day(self):
		assert rules.period_of(rules.DAILY, date(2026, 6, 17)) == (date(2026, 6, 17), date(2026, 6, 17))

	@pytest.mark.parametrize("day", [date(2026, 6, 15), date(2026, 6, 17), date(2026, 6, 21)])
	def test_a_weekly_report_covers_monday_to_sunday(self, day):
		assert rules.period_of(rules.WEEKLY, day) == (date(2026, 6, 15), date(2026, 6, 21))

	def test_a_week_can_span_two_years(self):
		assert rules.period_of(rules.WEEKLY, date(2027, 1, 1)) == (date(2026, 12, 28), date(2027, 1, 3))

	@pytest.mark.parametrize(
		("day", "end"),
		[
			(date(2026, 2, 10), date(2026, 2, 28)),
			(date(2028, 2, 1), date(2028, 2, 29)),  # a leap year
			(date(2026, 12, 31), date(2026, 12, 31)),
			(date(2026, 4, 30), date(2026, 4, 30)),
		],
	)
	def test_a_monthly_report_covers_its_calendar_month(self, day, end):
		assert rules.period_of(rules.MONTHLY, day) == (day.replace(day=1), end)


class TestGivenPeriod:
	def test_a_period_cannot_end_before_it_starts(self):
		assert rules.period_problem(rules.DAILY, date(2026, 6, 10), date(2026, 6, 9), TODAY) == (
			rules.END_BEFORE_START
		)
		assert rules.period_problem(rules.WEEKLY, date(2026, 6, 15), date(2026, 6, 1), TODAY) == (
			rules.END_BEFORE_START
		)

	def test_a_given_period_must_be_the_kinds_period(self):
		assert rules.period_problem(rules.WEEKLY, date(2026, 6, 8), date(2026, 6, 14), TODAY) is None
		assert rules.period_problem(rules.WEEKLY, date(2026, 6, 9), date(2026, 6, 15), TODAY) == (
			rules.NOT_THE_PERIOD
		)
		assert rules.period_problem(rules.MONTHLY, date(2026, 5, 1), date(2026, 5, 31), TODAY) is None
		assert rules.period_problem(rules.MONTHLY, date(2026, 5, 1), date(2026, 5, 30), TODAY) == (
			rules.NOT_THE_PERIOD
		)
		assert rules.period_problem(rules.DAILY, date(2026, 6, 1), date(2026, 6, 2), TODAY) == (
			rules.NOT_THE_PERIOD
		)

	def test_a_report_is_not_written_for_a_period_that_has_not_started(self):
		assert rules.period_problem(rules.DAILY, TODAY, TODAY, TODAY) is None
		assert rules.period_problem(rules.WEEKLY, date(2026, 6, 15), date(2026, 6, 21), TODAY) is None
		assert rules.period_problem(rules.DAILY, date(2026, 6, 18), date(2026, 6, 18), TODAY) == (
			rules.NOT_STARTED
		)
		assert rules.period_problem(rules.WEEKLY, date(2026, 6, 22), None, TODAY) == rules.NOT_STARTED

	def test_nothing_given_is_no_problem(self):
		assert rules.period_problem(rules.DAILY, None, None, TODAY) is None


class TestLabelsAndKeys:
	def test_labels_name_the_day_the_iso_week_and_the_month(self):
		assert rules.period_label(rules.DAILY, date(2026, 6, 17)) == "2026-06-17"
		assert rules.period_label(rules.WEEKLY, date(2026, 6, 15)) == "2026-W25"
		assert rules.period_label(rules.WEEKLY, date(2026, 12, 28)) == "2026-W53"
		assert rules.period_label(rules.MONTHLY, date(2026, 6, 1)) == "2026-06"

	def test_one_report_per_author_kind_and_period(self):
		key = rules.period_key("a@example.com", rules.WEEKLY, date(2026, 6, 15))
		assert key == "a@example.com|Weekly|2026-06-15"
		assert key != rules.period_key("a@example.com", rules.DAILY, date(2026, 6, 15))
		assert key != rules.period_key("b@example.com", rules.WEEKLY, date(2026, 6, 15))


class TestRecipients:
	def test_the_supervisor_first_then_each_colleague_once(self):
		assert rules.recipients("me", "boss", ["ann", "bob", "ann"]) == [
			("boss", rules.SUPERVISOR),
			("ann", rules.COLLEAGUE),
			("bob", rules.COLLEAGUE),
		]

	def test_never_the_author_nor_the_supervisor_twice(self):
		assert rules.recipients("me", "boss", ["me", "boss", None, ""]) == [("boss", rules.SUPERVISOR)]

	def test_without_a_supervisor_only_colleagues(self):
		assert rules.recipients("me", None, ["ann"]) == [("ann", rules.COLLEAGUE)]
		assert rules.recipients("me", None, []) == []
