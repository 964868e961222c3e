"""Rotting deals (issue 12): the day a deal rots on, when it is rotting, who is told."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from korus_crm.rules import pipelines
from korus_crm.rules import rotting as rules
from korus_crm.rules.rotting import DueDeal

MONDAY = datetime(2026, 3, 2, 16, 30)


class TestRotsOn:
	def test_last_activitys_day_plus_the_stages_idle_days(self):
		assert rules.rots_on(MONDAY, 7, closed=False) == date(2026, 3, 9)

	def test_the_time_of_day_does_not_matter(self):
		assert rules.rots_on(datetime(2026, 3, 2, 0, 1), 3, False) == rules.rots_on(
			datetime(2026, 3, 2, 23, 59), 3, False
		)

	def test_a_date_works_as_well(self):
		assert rules.rots_on(date(2026, 2, 27), 2, False) == date(2026, 3, 1)

	@pytest.mark.parametrize("idle_days", [None, 0, -3])
	def test_a_stage_without_idle_days_never_rots(self, idle_days):
		assert rules.rots_on(MONDAY, idle_days, closed=False) is None

	def test_a_closed_deal_never_rots(self):
		assert rules.rots_on(MONDAY, 7, closed=True) is None

	def test_no_activity_no_date(self):
		assert rules.rots_on(None, 7, closed=False) is None


class TestRotting:
	def test_rotting_only_after_the_rots_on_day(self):
		rots_on = rules.rots_on(MONDAY, 7, False)
		assert not rules.is_rotting(rots_on, date(2026, 3, 8))
		assert not rules.is_rotting(rots_on, date(2026, 3, 9))  # 7 days idle: not longer yet
		assert rules.is_rotting(rots_on, date(2026, 3, 10))

	def test_no_date_is_never_rotting(self):
		assert not rules.is_rotting(None, date(2099, 1, 1))

	def test_idle_days_count_whole_days_since_the_last_activity(self):
		assert rules.idle_for(MONDAY, date(2026, 3, 10)) == 8
		assert rules.idle_for(MONDAY, date(2026, 3, 2)) == 0
		assert rules.idle_for(MONDAY, date(2026, 3, 1)) == 0  # a clock behind: never negative
		assert rules.idle_for(None, date(2026, 3, 1)) is None

	def test_a_late_recorded_activity_does_not_move_the_clock_back(self):
		earlier = datetime(2026, 2, 20, 9, 0)
		assert rules.latest(MONDAY, earlier) == MONDAY
		assert rules.latest(earlier, MONDAY) == MONDAY
		assert rules.latest(None, earlier) == earlier

	def test_after_a_recompute_a_deal_stays_told_only_while_it_still_rots(self):
		today = date(2026, 3, 20)
		assert rules.notified_after_recompute(True, date(2026, 3, 10), today)
		assert not rules.notified_after_recompute(True, date(2026, 3, 25), today)
		assert not rules.notified_after_recompute(True, None, today)
		assert not rules.notified_after_recompute(False, date(2026, 3, 10), today)


class TestIdleDaysOfAStage:
	@pytest.mark.parametrize("idle_days", [None, 0, 1, 30, rules.MAX_IDLE_DAYS])
	def test_valid(self, idle_days):
		assert rules.idle_days_valid(idle_days)
		assert "idle_days_range" not in pipelines.stage_problems(
			[pipelines.StageRow("A", idle_days=idle_days)]
		)

	@pytest.mark.parametrize("idle_days", [-1, rules.MAX_IDLE_DAYS + 1])
	def test_out_of_range_is_a_problem_of_the_pipeline(self, idle_days):
		assert not rules.idle_days_valid(idle_days)
		assert "idle_days_range" in pipelines.stage_problems([pipelines.StageRow("A", idle_days=idle_days)])


class TestNotices:
	def test_one_notice_per_owner_longest_rotting_first(self):
		deals = [
			DueDeal("D3", "ann@x", "bob@x", date(2026, 3, 5)),
			DueDeal("D1", "ann@x", "ann@x", date(2026, 3, 1)),
			DueDeal("D2", "bob@x", "ann@x", date(2026, 3, 2)),
		]
		notices = rules.notices(deals)
		assert list(notices) == ["ann@x", "bob@x"]
		assert [d.name for d in notices["ann@x"]] == ["D1", "D3"]
		assert [d.name for d in notices["bob@x"]] == ["D2"]

	def test_a_deal_without_an_owner_goes_to_its_creator(self):
		assert list(rules.notices([DueDeal("D1", None, "cre@x", date(2026, 3, 1))])) == ["cre@x"]

	def test_binned_deals_and_deals_with_nobody_to_tell_go_to_no_one(self):
		assert (
			rules.notices(
				[
					DueDeal("D1", "ann@x", "ann@x", date(2026, 3, 1), deleted=True),
					DueDeal("D2", None, None, date(2026, 3, 1)),
				]
			)
			== {}
		)
