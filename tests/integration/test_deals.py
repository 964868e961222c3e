"""Deals (ERPNext Opportunities) in pipelines: landing, stage rules on every path, ERPNext status
coherence, stage history, board counts."""

import frappe
import frappe.client
import pytest
from frappe.utils import today

from korus_crm.api.boards import get_deal_board, get_deal_board_counts
from korus_crm.api.deals import move_deal
from korus_crm.boards import counts
from korus_crm.exceptions import InactiveRecordError, LostReasonRequiredError, StageNotInPipelineError
from korus_crm.setup.install import backfill_existing_deals
from tests.integration.factories import lost_reason, make_customer, make_deal, make_pipeline, stage_of


def default_pipeline() -> str:
	return frappe.db.get_value("Deal Pipeline", {"is_default": 1})


def history(deal: str) -> list:
	return frappe.get_all(
		"Deal Stage History",
		filters={"deal": deal},
		fields=["from_stage", "to_stage", "entered_at", "left_at", "changed_by", "pipeline"],
		order_by="entered_at asc, creation asc",
	)


@pytest.fixture
def pipeline():
	return make_pipeline()


class TestLanding:
	def test_a_deal_without_pipeline_lands_in_the_default_pipeline_and_stage(self):
		deal = make_deal()
		pipeline = frappe.get_doc("Deal Pipeline", deal.deal_pipeline)
		assert pipeline.is_default
		default = next(r for r in pipeline.stages if r.is_default)
		assert (deal.deal_stage, deal.sales_stage) == (default.deal_stage, default.stage_name)

	def test_a_deal_in_a_pipeline_without_stage_takes_its_default_stage(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		assert deal.deal_stage == stage_of(pipeline.name, "Open")
		assert deal.probability == 20

	def test_opportunities_made_before_korus_are_placed_on_the_board(self):
		deal = make_deal()
		lost = make_deal()
		frappe.db.set_value(
			"Opportunity", deal.name, {"deal_pipeline": None, "deal_stage": None, "sales_stage": None}
		)
		frappe.db.set_value(
			"Opportunity", lost.name, {"deal_pipeline": None, "deal_stage": None, "status": "Lost"}
		)
		backfill_existing_deals()
		pipeline = default_pipeline()
		assert frappe.db.get_value("Opportunity", deal.name, "deal_stage") == frappe.db.get_value(
			"Deal Stage", {"pipeline": pipeline, "is_default": 1}
		)
		assert frappe.db.get_value("Opportunity", lost.name, "deal_stage") == frappe.db.get_value(
			"Deal Stage", {"pipeline": pipeline, "is_lost": 1}
		)

	def test_an_inactive_pipeline_takes_no_new_deals(self):
		closed = make_pipeline(is_active=0)
		with pytest.raises(InactiveRecordError):
			make_deal(deal_pipeline=closed.name)

	def test_an_inactive_company_cannot_be_chosen_on_a_new_deal(self):
		company = make_customer(disabled=1)
		with pytest.raises(InactiveRecordError):
			make_deal(customer=company.name)

	def test_a_stage_of_another_pipeline_is_refused(self, pipeline):
		other = make_pipeline()
		with pytest.raises(StageNotInPipelineError):
			make_deal(deal_pipeline=pipeline.name, deal_stage=stage_of(other.name, "Proposal"))


class TestStageRules:
	def test_won_sets_the_close_date_and_erpnext_status(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		deal.deal_stage = stage_of(pipeline.name, "Won")
		deal.save()
		assert (str(deal.closed_on), deal.status, deal.probability) == (today(), "Converted", 100)

	def test_lost_needs_a_reason(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		deal.deal_stage = stage_of(pipeline.name, "Lost")
		with pytest.raises(LostReasonRequiredError):
			deal.save()

	def test_lost_with_a_reason_closes_the_deal(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		deal.deal_stage = stage_of(pipeline.name, "Lost")
		deal.append("lost_reasons", {"lost_reason": lost_reason()})
		deal.save()
		assert (str(deal.closed_on), deal.status) == (today(), "Lost")

	def test_moving_back_from_won_clears_the_close_date(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name, deal_stage=stage_of(pipeline.name, "Won"))
		deal.deal_stage = stage_of(pipeline.name, "Proposal")
		deal.save()
		assert (deal.closed_on, deal.status, deal.probability) == (None, "Open", 60)

	def test_moving_back_from_lost_clears_the_close_date_and_the_reason(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		move_deal(deal.name, stage_of(pipeline.name, "Lost"), lost_reason())
		deal.reload()
		assert deal.lost_reasons and deal.closed_on
		deal.deal_stage = stage_of(pipeline.name, "Open")
		deal.save()
		assert (deal.closed_on, len(deal.lost_reasons), deal.status) == (None, 0, "Open")

	def test_a_probability_set_with_the_move_overrides_the_stage(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		deal.update({"deal_stage": stage_of(pipeline.name, "Proposal"), "probability": 45}).save()
		assert deal.probability == 45

	def test_moving_the_deal_to_another_pipeline_lands_in_its_default_stage(self, pipeline):
		other = make_pipeline()
		deal = make_deal(deal_pipeline=pipeline.name, deal_stage=stage_of(pipeline.name, "Proposal"))
		deal.deal_pipeline = other.name
		deal.save()
		assert deal.deal_stage == stage_of(other.name, "Open")


class TestBoardMoves:
	def test_a_move_on_the_board_goes_through_the_same_rules(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		move_deal(deal.name, stage_of(pipeline.name, "Won"))  # the Deal Board's drag
		assert frappe.db.get_value(
			"Opportunity", deal.name, ["deal_stage", "status", "closed_on", "sales_stage"]
		) == (stage_of(pipeline.name, "Won"), "Converted", frappe.utils.getdate(today()), "Won")

	def test_a_move_to_lost_without_reason_is_refused_and_offers_the_dialog(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		frappe.local.message_log = []
		with pytest.raises(LostReasonRequiredError):
			move_deal(deal.name, stage_of(pipeline.name, "Lost"))
		offered = [m for m in frappe.local.message_log if "primary_action" in str(m)]
		assert offered and "korus_crm.deals.ask_lost_reason" in str(offered[0])

	def test_a_stage_of_another_pipeline_is_refused_on_a_set_value(self, pipeline):
		other = make_pipeline(stages=[{"stage_name": "Korus Elsewhere", "is_default": 1}])
		deal = make_deal(deal_pipeline=pipeline.name)
		with pytest.raises(StageNotInPipelineError):
			frappe.client.set_value(
				"Opportunity", deal.name, "deal_stage", stage_of(other.name, "Korus Elsewhere")
			)

	def test_move_deal_with_a_reason(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		result = move_deal(deal.name, stage_of(pipeline.name, "Lost"), lost_reason())
		assert (result["status"], str(result["closed_on"])) == ("Lost", today())

	def test_move_deal_with_an_unknown_reason_is_refused(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		with pytest.raises(LostReasonRequiredError):
			move_deal(deal.name, stage_of(pipeline.name, "Lost"), "No Such Reason")


class TestErpnextSetsTheStatus:
	def test_declare_lost_moves_the_deal_to_the_lost_stage(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name, deal_stage=stage_of(pipeline.name, "Proposal"))
		deal.declare_enquiry_lost([{"lost_reason": lost_reason()}], [])
		assert frappe.db.get_value("Opportunity", deal.name, ["deal_stage", "status"]) == (
			stage_of(pipeline.name, "Lost"),
			"Lost",
		)

	def test_erpnext_setting_converted_moves_to_won_and_reopening_returns_to_the_last_stage(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name, deal_stage=stage_of(pipeline.name, "Proposal"))
		deal.reload()
		deal.set_status(status="Converted", update=True)  # what a submitted Sales Order does
		assert frappe.db.get_value("Opportunity", deal.name, "deal_stage") == stage_of(pipeline.name, "Won")
		deal.reload()
		deal.set_status(status="Quotation", update=True)  # what cancelling it does
		assert frappe.db.get_value("Opportunity", deal.name, ["deal_stage", "closed_on"]) == (
			stage_of(pipeline.name, "Proposal"),
			None,
		)
		assert [h.to_stage for h in history(deal.name)][-3:] == [
			stage_of(pipeline.name, "Proposal"),
			stage_of(pipeline.name, "Won"),
			stage_of(pipeline.name, "Proposal"),
		]

	def test_an_erpnext_reopen_clears_the_lost_reasons_as_a_move_back_does(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name, deal_stage=stage_of(pipeline.name, "Proposal"))
		move_deal(deal.name, stage_of(pipeline.name, "Lost"), lost_reason())
		deal.reload()
		assert deal.lost_reasons and deal.closed_on
		deal.set_status(status="Open", update=True)  # ERPNext reopening it (db_set, no save)
		deal.reload()
		assert (deal.deal_stage, deal.closed_on, len(deal.lost_reasons), deal.sales_stage) == (
			stage_of(pipeline.name, "Proposal"),
			None,
			0,
			"Proposal",
		)
		assert deal.probability == 60

	def test_a_lost_quotation_moves_the_deal_to_lost_without_asking_for_a_reason(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name, deal_stage=stage_of(pipeline.name, "Proposal"))
		deal.reload()
		deal.set_status(status="Lost", update=True)  # Quotation.declare_enquiry_lost (reasons on it)
		assert frappe.db.get_value("Opportunity", deal.name, ["deal_stage", "closed_on"]) == (
			stage_of(pipeline.name, "Lost"),
			frappe.utils.getdate(today()),
		)
		counted = counts.count_from_table(counts.DEALS, scope=pipeline.name)
		assert (pipeline.name, stage_of(pipeline.name, "Lost")) in counted


class TestHistory:
	def test_every_move_is_recorded_with_times_and_user(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		move_deal(deal.name, stage_of(pipeline.name, "Proposal"))
		move_deal(deal.name, stage_of(pipeline.name, "Won"))
		rows = history(deal.name)
		assert [(h.from_stage, h.to_stage) for h in rows] == [
			(None, stage_of(pipeline.name, "Open")),
			(stage_of(pipeline.name, "Open"), stage_of(pipeline.name, "Proposal")),
			(stage_of(pipeline.name, "Proposal"), stage_of(pipeline.name, "Won")),
		]
		assert all(h.left_at for h in rows[:-1]) and rows[-1].left_at is None
		assert all(h.changed_by == "Administrator" and h.pipeline == pipeline.name for h in rows)

	def test_saving_without_a_move_records_nothing(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		deal.update({"opportunity_amount": 5}).save()
		assert len(history(deal.name)) == 1

	def test_deleting_a_deal_deletes_its_history(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name)
		frappe.delete_doc("Opportunity", deal.name)
		assert not history(deal.name)


class TestBoardData:
	def test_counts_and_totals_follow_moves(self, pipeline):
		a = make_deal(deal_pipeline=pipeline.name, amount=100)
		make_deal(deal_pipeline=pipeline.name, amount=50)
		move_deal(a.name, stage_of(pipeline.name, "Won"))
		columns = {
			c["name"]: (c["count"], c["value_total"], c["weighted_total"])
			for c in get_deal_board_counts(pipeline=pipeline.name)
		}
		# Open's probability is 20%, Won's 100%
		assert columns["Open"] == (1, 50, 10) and columns["Won"] == (1, 100, 100)
		assert columns["Lost"] == (0, 0, 0)
		table = counts.count_from_table(counts.DEALS, scope=pipeline.name)
		assert table[(pipeline.name, stage_of(pipeline.name, "Open"))] == counts.ColumnTotal(1, 50.0, 10.0)

	def test_a_columns_weighted_total_follows_a_probability_override(self, pipeline):
		deal = make_deal(deal_pipeline=pipeline.name, amount=200)
		deal.update({"probability": 50}).save()
		columns = {c["name"]: c["weighted_total"] for c in get_deal_board_counts(pipeline=pipeline.name)}
		assert columns["Open"] == 100

	def test_the_board_lists_stages_in_order_with_first_pages(self, pipeline):
		for _ in range(3):
			make_deal(deal_pipeline=pipeline.name)
		board = get_deal_board(pipeline.name, page_length=2)
		assert [c["name"] for c in board["columns"]] == ["Open", "Proposal", "Won", "Lost"]
		assert board["columns"][0]["count"] == 3 and len(board["columns"][0]["cards"]) == 2


class TestRest:
	def test_a_sales_user_moves_deals_over_rest_and_history_is_complete(self, api, committed):
		pipeline = make_pipeline()
		deal = make_deal(deal_pipeline=pipeline.name)
		reason_existed = frappe.db.exists("Opportunity Lost Reason", "Korus Test: Too expensive")
		reason = lost_reason()
		frappe.db.commit()
		committed.add("Deal Pipeline", pipeline.name)
		committed.add("Customer", deal.party_name)
		committed.add("Opportunity", deal.name)
		if not reason_existed:
			committed.add("Opportunity Lost Reason", reason)
		client = api("Sales User")

		moved = client.post(
			"/api/method/korus_crm.api.deals.move_deal",
			{"deal": deal.name, "stage": stage_of(pipeline.name, "Proposal")},
		)
		assert moved.status_code == 200, moved
		refused = client.put(
			f"/api/resource/Opportunity/{deal.name}", {"deal_stage": stage_of(pipeline.name, "Lost")}
		)
		assert refused.status_code == 417 and refused.exc_type == "LostReasonRequiredError", refused
		lost = client.post(
			"/api/method/korus_crm.api.deals.move_deal",
			{"deal": deal.name, "stage": stage_of(pipeline.name, "Lost"), "lost_reason": reason},
		)
		assert lost.status_code == 200 and lost.data["status"] == "Lost", lost
		back = client.put(
			f"/api/resource/Opportunity/{deal.name}", {"deal_stage": stage_of(pipeline.name, "Open")}
		)
		assert back.status_code == 200, back
		assert (back.data.get("closed_on"), back.data.get("lost_reasons")) == (None, [])

		frappe.db.rollback()
		rows = history(deal.name)
		assert [h.to_stage for h in rows] == [
			stage_of(pipeline.name, s) for s in ("Open", "Proposal", "Lost", "Open")
		]
		assert all(h.left_at for h in rows[:-1])
		assert {h.changed_by for h in rows[1:]} == {client.user}

	def test_a_user_without_crm_roles_cannot_move_deals(self, api, committed):
		deal = make_deal()
		frappe.db.commit()
		committed.add("Customer", deal.party_name)
		committed.add("Opportunity", deal.name)
		client = api()
		response = client.post(
			"/api/method/korus_crm.api.deals.move_deal", {"deal": deal.name, "stage": deal.deal_stage}
		)
		assert response.status_code == 403, response
		assert (
			client.get(
				"/api/method/korus_crm.api.boards.get_deal_board_counts", {"pipeline": deal.deal_pipeline}
			).status_code
			== 403
		)
