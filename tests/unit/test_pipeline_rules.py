"""Rules of deal pipelines, stages and stage moves."""

from datetime import date, datetime, timedelta

import pytest

from korus_crm.rules import pipelines as rules
from korus_crm.rules.pipelines import StageRow

TODAY = date(2026, 11, 22)
OPEN = StageRow("Proposal", probability=60, order=2)
FIRST = StageRow("Qualification", is_default=True, probability=10, order=1)
WON = StageRow("Won", is_won=True, probability=100, order=5)
LOST = StageRow("Lost", is_lost=True, probability=0, order=6)
STAGES = [FIRST, OPEN, WON, LOST]


class TestStageProblems:
	def test_a_sound_pipeline_has_none(self):
		assert rules.stage_problems(STAGES) == []

	def test_names_are_unique_case_insensitively(self):
		assert "duplicate_name" in rules.stage_problems([StageRow("New"), StageRow(" new ")])

	@pytest.mark.parametrize("flag", ["is_default", "is_won", "is_lost"])
	def test_at_most_one_of_each_flag(self, flag):
		stages = [StageRow("A", **{flag: True}), StageRow("B", **{flag: True})]
		assert f"several_{flag[3:]}" in rules.stage_problems(stages)

	def test_a_stage_cannot_be_won_and_lost(self):
		assert "won_and_lost" in rules.stage_problems([StageRow("X", is_won=True, is_lost=True)])

	def test_the_default_stage_cannot_close_deals(self):
		assert "default_closes" in rules.stage_problems([StageRow("X", is_default=True, is_won=True)])

	@pytest.mark.parametrize(("p", "bad"), [(-1, True), (0, False), (100, False), (101, True), (None, False)])
	def test_probability_is_a_percentage(self, p, bad):
		assert ("probability_range" in rules.stage_problems([StageRow("X", probability=p)])) is bad


class TestDefaultStage:
	def test_the_default_stage(self):
		assert rules.default_stage(STAGES) == FIRST

	def test_without_a_default_the_first_open_stage(self):
		assert rules.default_stage([WON, StageRow("B", order=3), StageRow("A", order=2)]).name == "A"

	def test_won_and_lost_stages(self):
		assert rules.won_stage(STAGES) == WON and rules.lost_stage(STAGES) == LOST


class TestEnterStage:
	def test_reaching_won_closes_today_and_converts(self):
		out = rules.enter_stage(WON, OPEN, None, False, TODAY)
		assert (out.closed_on, out.erpnext_status, out.needs_lost_reason) == (TODAY, "Converted", False)

	def test_reaching_lost_closes_today_and_needs_a_reason(self):
		out = rules.enter_stage(LOST, OPEN, None, False, TODAY)
		assert (out.closed_on, out.erpnext_status, out.needs_lost_reason) == (TODAY, "Lost", True)
		assert rules.enter_stage(LOST, OPEN, None, True, TODAY).needs_lost_reason is False

	def test_moving_back_to_an_open_stage_clears_close_date_and_reasons(self):
		out = rules.enter_stage(OPEN, LOST, TODAY, True, TODAY)
		assert (out.closed_on, out.clear_lost_reasons, out.erpnext_status) == (None, True, "Open")

	def test_reopening_with_an_active_quotation_reads_quotation(self):
		assert (
			rules.enter_stage(OPEN, WON, TODAY, False, TODAY, has_active_quotation=True).erpnext_status
			== "Quotation"
		)

	def test_moving_between_open_stages_leaves_erpnext_status(self):
		assert rules.enter_stage(OPEN, FIRST, None, False, TODAY).erpnext_status is None

	def test_staying_won_keeps_the_close_date(self):
		earlier = TODAY - timedelta(days=3)
		assert rules.enter_stage(WON, WON, earlier, False, TODAY).closed_on == earlier


class TestErpnextStatus:
	def test_lost_moves_to_the_lost_stage(self):
		assert rules.stage_for_erpnext_status("Lost", OPEN, STAGES, None) == LOST

	def test_converted_moves_to_the_won_stage(self):
		assert rules.stage_for_erpnext_status("Converted", OPEN, STAGES, None) == WON

	def test_reopened_returns_to_the_last_open_stage(self):
		assert rules.stage_for_erpnext_status("Quotation", WON, STAGES, OPEN) == OPEN
		assert rules.stage_for_erpnext_status("Open", LOST, STAGES, None) == FIRST

	def test_no_move_when_already_there_or_open(self):
		assert rules.stage_for_erpnext_status("Lost", LOST, STAGES, None) is None
		assert rules.stage_for_erpnext_status("Quotation", OPEN, STAGES, None) is None


class TestProbability:
	def test_follows_the_stage(self):
		assert rules.probability_after_move(OPEN, 10, probability_edited=False) == 60

	def test_an_edit_in_the_same_change_overrides(self):
		assert rules.probability_after_move(OPEN, 45, probability_edited=True) == 45

	def test_a_stage_without_probability_keeps_the_deals(self):
		assert rules.probability_after_move(StageRow("X"), 33, probability_edited=False) == 33

	def test_weighted_value(self):
		assert rules.weighted_value(1000, 60) == 600
		assert rules.weighted_value(None, 60) == 0


class TestDurations:
	def test_average_and_median_days_per_stage_with_open_stays_counted_to_now(self):
		t0 = datetime(2026, 11, 1)
		visits = [
			rules.StageVisit("Sales", "S-A", t0, t0 + timedelta(days=2)),
			rules.StageVisit("Sales", "S-A", t0, t0 + timedelta(days=4)),
			rules.StageVisit("Sales", "S-A", t0, t0 + timedelta(days=9)),
			rules.StageVisit("Sales", "S-B", t0 + timedelta(days=9), None),
		]
		result = rules.stage_durations(visits, now=t0 + timedelta(days=10))
		a, b = result
		assert (a.stage, a.visits, a.average_days, a.median_days) == ("S-A", 3, 5.0, 4.0)
		assert (b.stage, b.visits, b.average_days, b.median_days) == ("S-B", 1, 1.0, 1.0)


def test_the_default_pipeline_is_sound():
	name, stages = rules.DEFAULT_PIPELINE
	assert name and rules.stage_problems(stages) == []
	assert rules.won_stage(stages) and rules.lost_stage(stages) and rules.default_stage(stages).is_default
