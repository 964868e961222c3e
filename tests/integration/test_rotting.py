"""Rotting deals (issue 12): each stage may set idle days; a deal's last activity (stage move,
follow-up, offer, comment) sets the day it rots on; the Deal Board marks rotting cards, the Rotting
Deals report lists them (in the user's scope) and a daily job tells each owner once."""

from __future__ import annotations

from unittest.mock import patch

import frappe
import frappe.desk.query_report
import pytest
from frappe.utils import get_datetime, getdate

from korus_crm.api import boards
from korus_crm.api.deals import move_deal
from korus_crm.deals import rotting
from korus_crm.exceptions import InvalidStagesError
from tests.integration.factories import (
	default_company,
	lost_reason,
	make_customer,
	make_deal,
	make_pipeline,
	make_selling_item,
	stage_of,
	unique,
)
from tests.integration.support import moved_to, new_user, set_scope

MONDAY = "2026-03-02 10:00:00"
D = getdate  # a day


@pytest.fixture
def pipeline():
	return make_pipeline(
		stages=[
			{"stage_name": "Open", "is_default": 1, "probability": 20, "idle_days": 7},
			{"stage_name": "Proposal", "probability": 60, "idle_days": 3},
			{"stage_name": "Parked", "probability": 10},
			{"stage_name": "Won", "is_won": 1, "probability": 100, "idle_days": 5},
			{"stage_name": "Lost", "is_lost": 1, "probability": 0},
		]
	).name


def deal_on(when: str, pipeline: str, **values):
	with moved_to(when):
		return make_deal(deal_pipeline=pipeline, **values)


def clock(name: str) -> frappe._dict:
	return frappe.db.get_value("Opportunity", name, list(rotting.FIELDS), as_dict=True)


def alerts_for(user: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Notification Log",
		filters={"for_user": user, "document_type": "Opportunity"},
		fields=["document_name", "subject", "email_content"],
	)


class TestTheClock:
	def test_a_new_deal_starts_its_clock_in_its_stage(self, pipeline):
		deal = deal_on(MONDAY, pipeline)
		c = clock(deal.name)
		assert get_datetime(c.korus_last_activity_at) == get_datetime(MONDAY)
		assert D(c.korus_rots_on) == D("2026-03-09")  # Open: 7 idle days
		assert not c.korus_rot_notified

	def test_a_stage_move_resets_it_with_the_new_stages_idle_days(self, pipeline):
		deal = deal_on(MONDAY, pipeline)
		with moved_to("2026-03-05 09:00:00"):
			move_deal(deal.name, stage_of(pipeline, "Proposal"))
		c = clock(deal.name)
		assert get_datetime(c.korus_last_activity_at) == get_datetime("2026-03-05 09:00:00")
		assert D(c.korus_rots_on) == D("2026-03-08")  # Proposal: 3 idle days

	def test_a_stage_without_idle_days_or_a_closed_deal_does_not_rot(self, pipeline):
		deal = deal_on(MONDAY, pipeline)
		move_deal(deal.name, stage_of(pipeline, "Parked"))
		assert clock(deal.name).korus_rots_on is None
		move_deal(deal.name, stage_of(pipeline, "Open"))
		assert clock(deal.name).korus_rots_on is not None
		move_deal(deal.name, stage_of(pipeline, "Won"))  # idle days on a closing stage: ignored
		assert clock(deal.name).korus_rots_on is None
		move_deal(deal.name, stage_of(pipeline, "Lost"), lost_reason=lost_reason())
		assert clock(deal.name).korus_rots_on is None

	def test_a_follow_up_with_the_deal_resets_it(self, pipeline):
		customer = make_customer().name
		deal = deal_on(MONDAY, pipeline, customer=customer)
		with moved_to("2026-03-06 15:00:00"):
			frappe.get_doc(
				{
					"doctype": "Customer Follow-up",
					"customer": customer,
					"deal": deal.name,
					"content": unique("Called about the deal"),
					"followed_up_at": "2026-03-06 14:00:00",
				}
			).insert()
		c = clock(deal.name)
		assert get_datetime(c.korus_last_activity_at) == get_datetime("2026-03-06 14:00:00")
		assert D(c.korus_rots_on) == D("2026-03-13")

	def test_a_follow_up_logged_late_does_not_move_the_clock_back(self, pipeline):
		customer = make_customer().name
		deal = deal_on("2026-03-06 10:00:00", pipeline, customer=customer)
		with moved_to("2026-03-07 10:00:00"):
			frappe.get_doc(
				{
					"doctype": "Customer Follow-up",
					"customer": customer,
					"deal": deal.name,
					"content": unique("Met them last week"),
					"followed_up_at": "2026-03-01 10:00:00",
				}
			).insert()
		assert get_datetime(clock(deal.name).korus_last_activity_at) == get_datetime("2026-03-06 10:00:00")

	def test_a_price_offer_for_the_deal_resets_it(self, pipeline):
		customer = make_customer().name
		deal = deal_on(MONDAY, pipeline, customer=customer)
		with moved_to("2026-03-04 11:00:00"):
			frappe.get_doc(
				{
					"doctype": "Price Offer",
					"quotation_to": "Customer",
					"party_name": customer,
					"opportunity": deal.name,
					"company": default_company(),
					"valid_till": "2026-03-30",
					"items": [{"item_code": make_selling_item(), "qty": 1}],
				}
			).insert()
		c = clock(deal.name)
		assert get_datetime(c.korus_last_activity_at) == get_datetime("2026-03-04 11:00:00")
		assert D(c.korus_rots_on) == D("2026-03-11")

	def test_a_comment_on_the_deal_resets_it_not_the_timelines_own_entries(self, pipeline):
		deal = deal_on(MONDAY, pipeline)
		with moved_to("2026-03-03 08:00:00"):
			deal.add_comment("Info", "changed something")
		assert D(clock(deal.name).korus_rots_on) == D("2026-03-09")
		with moved_to("2026-03-04 08:00:00"):
			deal.add_comment("Comment", "Customer asked for a call back")
		c = clock(deal.name)
		assert get_datetime(c.korus_last_activity_at) == get_datetime("2026-03-04 08:00:00")
		assert D(c.korus_rots_on) == D("2026-03-11")

	def test_an_activity_is_not_an_edit_of_the_deal(self, pipeline):
		deal = deal_on(MONDAY, pipeline)
		modified = frappe.db.get_value("Opportunity", deal.name, "modified")
		with moved_to("2026-03-04 08:00:00"):
			deal.add_comment("Comment", "A note")
		assert frappe.db.get_value("Opportunity", deal.name, "modified") == modified


class TestStageIdleDaysChange:
	def set_idle_days(self, pipeline: str, stage_name: str, idle_days: int | None) -> None:
		doc = frappe.get_doc("Deal Pipeline", pipeline)
		next(r for r in doc.stages if r.stage_name == stage_name).idle_days = idle_days
		doc.save()

	def test_its_open_deals_are_recomputed(self, pipeline):
		deal = deal_on(MONDAY, pipeline)
		parked = deal_on(MONDAY, pipeline)
		move_deal(parked.name, stage_of(pipeline, "Parked"))
		self.set_idle_days(pipeline, "Open", 2)
		assert D(clock(deal.name).korus_rots_on) == D("2026-03-04")
		self.set_idle_days(pipeline, "Open", 0)
		assert clock(deal.name).korus_rots_on is None
		assert clock(parked.name).korus_rots_on is None

	def test_a_told_deal_is_told_again_only_after_it_stopped_rotting(self, pipeline):
		deal = deal_on(MONDAY, pipeline)
		rotting.run(D("2026-03-20"))
		assert clock(deal.name).korus_rot_notified
		with moved_to("2026-03-20 09:00:00"):
			self.set_idle_days(pipeline, "Open", 10)  # still rotting (rots on 12 March)
			assert clock(deal.name).korus_rot_notified
			self.set_idle_days(pipeline, "Open", 30)  # not any more
		assert not clock(deal.name).korus_rot_notified

	def test_many_deals_are_recomputed_by_a_background_job(self, pipeline):
		deal = deal_on(MONDAY, pipeline)
		with (
			patch.object(rotting, "INLINE_LIMIT", 0),
			patch.object(rotting.jobs, "enqueue") as enqueue,  # after the commit (korus_crm.jobs)
		):
			self.set_idle_days(pipeline, "Open", 4)
		enqueue.assert_called_once()
		assert enqueue.call_args.args == (rotting.RECOMPUTE_JOB,)
		stage = enqueue.call_args.kwargs["stage"]
		assert stage == stage_of(pipeline, "Open")
		assert D(clock(deal.name).korus_rots_on) == D("2026-03-09")  # not yet
		with patch.object(rotting.frappe, "publish_progress") as progress:
			assert rotting.recompute_stage(stage, user="Administrator") == 1
		progress.assert_called()
		assert D(clock(deal.name).korus_rots_on) == D("2026-03-06")

	@pytest.mark.parametrize("idle_days", [-1, 10**6])
	def test_idle_days_out_of_range_are_refused(self, pipeline, idle_days):
		with pytest.raises(InvalidStagesError):
			self.set_idle_days(pipeline, "Open", idle_days)


class TestTheDailyNotice:
	def test_each_owner_is_told_once_of_all_their_rotting_deals(self, pipeline):
		ann, bob = new_user("Sales User"), new_user("Sales User")
		a1 = deal_on(MONDAY, pipeline, opportunity_owner=ann)
		a2 = deal_on("2026-03-03 10:00:00", pipeline, opportunity_owner=ann)
		b1 = deal_on(MONDAY, pipeline, opportunity_owner=bob)
		fresh = deal_on("2026-03-09 10:00:00", pipeline, opportunity_owner=bob)
		told = rotting.run(D("2026-03-11"))  # a1 rots on 9 March, a2 on the 10th, fresh on the 16th
		assert sorted(told[ann]) == sorted([a1.name, a2.name])
		assert told[bob] == [b1.name]
		assert fresh.name not in told[bob]
		(notice,) = alerts_for(ann)
		assert a1.name in notice.email_content and a2.name in notice.email_content
		assert "2" in notice.subject
		assert len(alerts_for(bob)) == 1
		# told once
		assert rotting.run(D("2026-03-12")) == {}
		assert len(alerts_for(ann)) == 1

	def test_new_activity_clears_the_flag_and_it_may_rot_again(self, pipeline):
		ann = new_user("Sales User")
		deal = deal_on(MONDAY, pipeline, opportunity_owner=ann)
		assert rotting.run(D("2026-03-11")) == {ann: [deal.name]}
		with moved_to("2026-03-11 10:00:00"):
			deal.add_comment("Comment", "Still interested?")
		assert not clock(deal.name).korus_rot_notified
		assert rotting.run(D("2026-03-12")) == {}  # not rotting again yet
		assert rotting.run(D("2026-03-19")) == {ann: [deal.name]}
		assert len(alerts_for(ann)) == 2

	def test_closed_and_binned_deals_are_not_told(self, pipeline):
		ann = new_user("Sales User")
		won = deal_on(MONDAY, pipeline, opportunity_owner=ann)
		move_deal(won.name, stage_of(pipeline, "Won"))
		binned = deal_on(MONDAY, pipeline, opportunity_owner=ann)
		frappe.db.set_value("Opportunity", binned.name, "korus_deleted", 1)
		assert rotting.run(D("2026-03-20")) == {}
		assert clock(binned.name).korus_rot_notified  # claimed: not read again
		assert alerts_for(ann) == []

	def test_the_job_reads_only_due_rows_by_the_index(self):
		query = rotting.due_rows_query(D("2026-03-11")).get_sql()
		plan = frappe.db.sql(f"explain {query}", as_dict=True)
		assert [(row.key, row.type) for row in plan] == [("korus_rot_due", "range")], plan


class TestReads:
	def test_the_board_marks_rotting_cards_with_their_idle_days(self, pipeline):
		old = deal_on(MONDAY, pipeline)
		new = deal_on("2026-03-09 10:00:00", pipeline)
		with moved_to("2026-03-11 12:00:00"):
			board = boards.get_deal_board(pipeline)
			column = boards.get_deal_column(pipeline, "Open")
		cards = {c["name"]: c for col in board["columns"] for c in col["cards"]}
		assert cards[old.name]["rotting"] and cards[old.name]["idle_days"] == 9
		assert not cards[new.name]["rotting"] and cards[new.name]["idle_days"] == 2
		assert {c["name"]: c["rotting"] for c in column} == {old.name: True, new.name: False}

	def test_the_report_and_the_board_keep_to_the_users_scope(self, pipeline):
		# a sales user whose scope is their own deals
		set_scope("Sales User", "Own")
		seller = new_user("Sales User")
		mine = deal_on(MONDAY, pipeline, opportunity_owner=seller)
		theirs = deal_on(MONDAY, pipeline)
		with moved_to("2026-03-20 09:00:00"):
			as_admin = {r["name"] for r in rotting.rotting_deals(pipeline)}
			frappe.set_user(seller)
			try:
				result = frappe.desk.query_report.run("Rotting Deals", filters={"pipeline": pipeline})
				board = boards.get_deal_board(pipeline)
			finally:
				frappe.set_user("Administrator")
		assert {mine.name, theirs.name} <= as_admin
		rows = [r for r in result["result"] if isinstance(r, dict)]
		assert [r["name"] for r in rows] == [mine.name]
		assert rows[0]["idle_days"] == 18 and str(rows[0]["korus_rots_on"]) == "2026-03-09"
		assert [c["name"] for col in board["columns"] for c in col["cards"]] == [mine.name]

	def test_the_report_lists_only_rotting_deals_longest_first(self, pipeline):
		first = deal_on(MONDAY, pipeline)
		second = deal_on("2026-03-04 10:00:00", pipeline)
		deal_on("2026-03-15 10:00:00", pipeline)
		rows = rotting.rotting_deals(pipeline, today_=D("2026-03-16"))
		assert [r["name"] for r in rows] == [first.name, second.name]

	def test_the_reports_query_reads_the_index_for_everyone_and_a_scoped_user(self):
		set_scope("Sales User", "Own")
		seller = new_user("Sales User")
		for user in ("Administrator", seller):
			frappe.set_user(user)
			try:
				query = frappe.get_list(
					"Opportunity", **rotting.rotting_list(None, None, D("2026-03-16")), run=0
				)
			finally:
				frappe.set_user("Administrator")
			assert "ifnull(`tabOpportunity`.`korus_rots_on`" not in query
			plan = frappe.db.sql(f"explain {query}", as_dict=True)
			assert "korus_rots_on_index" in (plan[0].possible_keys or ""), plan


class TestBackfill:
	def test_deals_without_a_last_activity_take_their_last_stage_move(self, pipeline):
		deal = deal_on(MONDAY, pipeline)
		with moved_to("2026-03-04 10:00:00"):
			move_deal(deal.name, stage_of(pipeline, "Proposal"))
		frappe.db.set_value("Opportunity", deal.name, "korus_last_activity_at", None)
		rotting.backfill_last_activity()
		assert get_datetime(clock(deal.name).korus_last_activity_at) == get_datetime("2026-03-04 10:00:00")
