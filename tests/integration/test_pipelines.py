"""Deal pipelines and their stages: rules, records, boards."""

import frappe
import pytest

from korus_crm.api.boards import get_deal_board, get_deal_board_counts
from korus_crm.boards.pipeline_config import get_pipeline
from korus_crm.exceptions import DefaultStatusError, InvalidStagesError, StageInUseError
from tests.integration.factories import make_deal, make_pipeline, stage_of, unique


def default_pipeline() -> str:
	return frappe.db.get_value("Deal Pipeline", {"is_default": 1})


class TestInstall:
	def test_a_default_pipeline_with_won_and_lost_stages_exists(self):
		pipeline = frappe.get_doc("Deal Pipeline", default_pipeline())
		assert pipeline.is_active
		assert sum(r.is_won for r in pipeline.stages) == 1 and sum(r.is_lost for r in pipeline.stages) == 1
		assert all(r.deal_stage and frappe.db.exists("Deal Stage", r.deal_stage) for r in pipeline.stages)


class TestPipelineRules:
	def test_names_are_unique(self):
		name = make_pipeline().name
		with pytest.raises(frappe.DuplicateEntryError):
			make_pipeline(name)

	def test_exactly_one_default_pipeline(self):
		old = default_pipeline()
		new = make_pipeline(is_default=1)
		assert default_pipeline() == new.name
		new.is_default = 0
		with pytest.raises(DefaultStatusError):
			new.save()
		frappe.get_doc("Deal Pipeline", old).update({"is_default": 1}).save()
		assert default_pipeline() == old

	def test_the_default_pipeline_cannot_be_deleted_or_deactivated(self):
		pipeline = frappe.get_doc("Deal Pipeline", default_pipeline())
		with pytest.raises(StageInUseError):
			frappe.delete_doc("Deal Pipeline", pipeline.name)
		pipeline.is_active = 0
		with pytest.raises(DefaultStatusError):
			pipeline.save()

	def test_a_pipeline_with_deals_cannot_be_deleted(self):
		pipeline = make_pipeline()
		make_deal(deal_pipeline=pipeline.name)
		with pytest.raises(StageInUseError):
			frappe.delete_doc("Deal Pipeline", pipeline.name)

	def test_an_empty_pipeline_is_deleted_with_its_stages(self):
		pipeline = make_pipeline()
		frappe.delete_doc("Deal Pipeline", pipeline.name)
		assert not frappe.db.exists("Deal Stage", {"pipeline": pipeline.name})
		assert not get_pipeline(pipeline.name)


class TestStageRules:
	@pytest.mark.parametrize(
		"stages",
		[
			[{"stage_name": "A"}, {"stage_name": "a "}],
			[{"stage_name": "A", "is_won": 1}, {"stage_name": "B", "is_won": 1}],
			[{"stage_name": "A", "is_lost": 1}, {"stage_name": "B", "is_lost": 1}],
			[{"stage_name": "A", "is_default": 1}, {"stage_name": "B", "is_default": 1}],
			[{"stage_name": "A", "is_default": 1, "is_won": 1}],
			[],
		],
	)
	def test_invalid_stages_are_refused(self, stages):
		with pytest.raises(InvalidStagesError):
			frappe.get_doc(
				{"doctype": "Deal Pipeline", "pipeline_name": unique("Bad"), "stages": stages}
			).insert()

	def test_the_same_stage_name_is_fine_in_two_pipelines(self):
		a, b = make_pipeline(), make_pipeline()
		assert stage_of(a.name, "Open") != stage_of(b.name, "Open")

	def test_a_stage_with_deals_cannot_be_removed(self):
		pipeline = make_pipeline()
		make_deal(deal_pipeline=pipeline.name, deal_stage=stage_of(pipeline.name, "Proposal"))
		pipeline.set("stages", [r for r in pipeline.stages if r.stage_name != "Proposal"])
		with pytest.raises(StageInUseError):
			pipeline.save()

	def test_the_default_stage_cannot_be_removed_while_others_exist(self):
		pipeline = make_pipeline()
		pipeline.set("stages", [r for r in pipeline.stages if r.stage_name != "Open"])
		with pytest.raises(StageInUseError):
			pipeline.save()

	def test_an_unused_stage_is_removed_with_its_record(self):
		pipeline = make_pipeline()
		record = stage_of(pipeline.name, "Proposal")
		pipeline.set("stages", [r for r in pipeline.stages if r.stage_name != "Proposal"])
		pipeline.save()
		assert not frappe.db.exists("Deal Stage", record)

	def test_renaming_a_stage_keeps_its_deals(self):
		pipeline = make_pipeline()
		deal = make_deal(deal_pipeline=pipeline.name, deal_stage=stage_of(pipeline.name, "Proposal"))
		for row in pipeline.stages:
			if row.stage_name == "Proposal":
				row.stage_name = "Offer"
		pipeline.save()
		new_stage = stage_of(pipeline.name, "Offer")
		assert frappe.db.get_value("Opportunity", deal.name, ["deal_stage", "sales_stage"]) == (
			new_stage,
			"Offer",
		)
		totals = {c["name"]: c["count"] for c in get_deal_board_counts(pipeline.name)}
		assert totals["Offer"] == 1

	def test_stages_cannot_be_edited_outside_their_pipeline(self):
		stage = frappe.get_doc("Deal Stage", stage_of(default_pipeline(), "Won"))
		stage.probability = 5
		with pytest.raises(frappe.ValidationError):
			stage.save()


class TestBoardsAndMirrors:
	def test_each_pipeline_has_a_board_with_its_stages_in_order(self):
		pipeline = make_pipeline()
		board = get_deal_board(pipeline.name, page_length=1)
		assert [(c["name"], c["indicator"]) for c in board["columns"]] == [
			("Open", "Blue"),
			("Proposal", "Purple"),
			("Won", "Green"),
			("Lost", "Red"),
		]

	def test_reordering_stages_reorders_the_board(self):
		pipeline = make_pipeline()
		pipeline.stages.reverse()
		for i, row in enumerate(pipeline.stages, 1):
			row.idx = i
		pipeline.save()
		board = get_deal_board(pipeline.name, page_length=1)
		assert [c["name"] for c in board["columns"]] == ["Lost", "Won", "Proposal", "Open"]

	def test_every_stage_is_an_erpnext_sales_stage(self):
		make_pipeline(stages=[{"stage_name": "Korus Unique Stage", "is_default": 1}])
		assert frappe.db.exists("Sales Stage", "Korus Unique Stage")
