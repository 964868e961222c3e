"""Bulk actions on deals (seed 003): assign, change stage (each deal's history kept), add and remove
labels, delete into the recycle bin (restorable), export; each deal with the user's permissions (a
refused one is reported, the others go on); a large selection runs as a background job with
progress and a notification; bad input answers 417. Labels on the deal board; custom fields on deals."""

from __future__ import annotations

from unittest.mock import patch

import frappe
import pytest

from korus_crm.api import boards
from korus_crm.deals import bulk
from korus_crm.exceptions import BulkActionError, InvalidInputError
from korus_crm.jobs import JOBS
from korus_crm.rules import bulk as rules
from tests.integration.factories import lost_reason, make_deal, make_pipeline, stage_of
from tests.integration.support import new_user


@pytest.fixture
def pipeline():
	return make_pipeline().name


def deals(pipeline: str, n: int = 3, **values) -> list[str]:
	return [make_deal(deal_pipeline=pipeline, **values).name for _ in range(n)]


def tags_of(name: str) -> list[str]:
	return [t for t in (frappe.db.get_value("Opportunity", name, "_user_tags") or "").split(",") if t]


class TestActions:
	def test_assign_sets_the_owner_through_a_save(self, pipeline):
		names = deals(pipeline)
		owner = new_user("Sales User")
		report = bulk.run("assign", names, owner=owner)
		assert (report["done"], report["failed"], report["queued"]) == (3, [], False)
		assert {frappe.db.get_value("Opportunity", n, "opportunity_owner") for n in names} == {owner}

	def test_change_stage_keeps_each_deals_history(self, pipeline):
		names = deals(pipeline, 2)
		proposal = stage_of(pipeline, "Proposal")
		assert bulk.run("change_stage", names, stage=proposal)["done"] == 2
		for name in names:
			assert frappe.db.get_value("Opportunity", name, "deal_stage") == proposal
			history = frappe.get_all(
				"Deal Stage History",
				filters={"deal": name},
				fields=["to_stage"],
				order_by="entered_at asc, creation asc",
			)
			assert [h.to_stage for h in history][-1] == proposal and len(history) == 2

	def test_a_lost_stage_needs_a_reason_per_deal(self, pipeline):
		names = deals(pipeline, 2)
		lost = stage_of(pipeline, "Lost")
		refused = bulk.run("change_stage", names, stage=lost)
		assert refused["done"] == 0 and {f["name"] for f in refused["failed"]} == set(names)
		assert bulk.run("change_stage", names, stage=lost, lost_reason=lost_reason())["done"] == 2
		assert frappe.db.get_value("Opportunity", names[0], "closed_on")

	def test_a_stage_of_another_pipeline_is_refused_per_deal(self, pipeline):
		names = deals(pipeline, 1)
		other = make_pipeline().name
		report = bulk.run("change_stage", names, stage=stage_of(other, "Proposal"))
		assert report["done"] == 0 and report["failed"][0]["name"] == names[0]

	def test_add_and_remove_labels(self, pipeline):
		names = deals(pipeline, 2)
		assert bulk.run("add_label", names, label="Hot")["done"] == 2
		bulk.run("add_label", names[:1], label="VIP")
		assert tags_of(names[0]) == ["Hot", "VIP"] and tags_of(names[1]) == ["Hot"]
		assert (
			frappe.db.count(
				"Tag Link", {"document_type": "Opportunity", "tag": "Hot", "document_name": ("in", names)}
			)
			== 2
		)
		bulk.run("remove_label", names, label="Hot")
		assert tags_of(names[0]) == ["VIP"] and tags_of(names[1]) == []

	def test_delete_moves_to_the_recycle_bin_and_restores(self, pipeline):
		recycle_bin = pytest.importorskip("korus_crm.customers.recycle_bin")
		names = deals(pipeline, 2)
		assert bulk.run("delete", names)["done"] == 2
		assert {frappe.db.get_value("Opportunity", n, "korus_deleted") for n in names} == {1}
		recycle_bin.restore("Opportunity", names[0])
		assert frappe.db.get_value("Opportunity", names[0], "korus_deleted") == 0

	def test_export_reads_what_the_user_may_read(self, pipeline):
		names = deals(pipeline, 2)
		bulk.run("add_label", names[:1], label="Hot")
		report = bulk.run("export", [*names, "no such deal"])
		assert report["columns"][0] == "ID" and sorted(r[0] for r in report["rows"]) == sorted(names)
		tags = {r[0]: r[-1] for r in report["rows"]}
		assert tags[names[0]] == "Hot" and tags[names[1]] == ""

	def test_export_needs_the_export_right(self, pipeline):
		names = deals(pipeline, 1)
		frappe.set_user(new_user("Sales User"))  # ERPNext gives Sales User no export of Opportunity
		with pytest.raises(frappe.PermissionError):
			bulk.run("export", names)


class TestPermissions:
	def test_a_refused_deal_is_reported_and_the_others_go_on(self, pipeline):
		"""A deal the user may not write (another owner's, with a data scope of their own) is reported;
		the rest are done."""
		names = deals(pipeline, 2)
		user = new_user("Sales User")
		missing = "CRM-OPP-NO-SUCH"
		frappe.set_user(user)
		report = bulk.run("add_label", [*names, missing], label="Hot")
		assert report["done"] == 2
		assert report["failed"] == [{"name": missing, "error": "Not found"}]

	def test_deals_the_user_may_not_write_are_refused(self, pipeline):
		names = deals(pipeline, 2)
		frappe.set_user(new_user("Korus Dispatcher"))  # reads deals, writes none
		report = bulk.run("add_label", names, label="Hot")
		assert report["done"] == 0
		assert report["failed"] == [{"name": n, "error": "Not permitted"} for n in names]
		report = bulk.run("assign", names, owner="Administrator")
		assert report["done"] == 0 and len(report["failed"]) == 2
		frappe.set_user("Administrator")
		assert all(tags_of(n) == [] for n in names)


class TestBackground:
	def test_a_large_selection_runs_as_a_job_with_progress_and_a_notice(self, pipeline):
		names = deals(pipeline, 3)
		selection = [*names, *[f"CRM-OPP-NONE-{i}" for i in range(rules.INLINE_LIMIT)]]
		jobs = []
		with patch("korus_crm.jobs.enqueue", lambda method, **kwargs: jobs.append((method, kwargs))):
			report = bulk.run("add_label", selection, label="Bulk")
		assert report == {"action": "add_label", "total": len(selection), "queued": True}
		assert [(m, JOBS[m][0], k["action"], len(k["names"]), k["args"]) for m, k in jobs] == [
			("korus_crm.deals.bulk.run_job", "long", "add_label", len(selection), {"label": "Bulk"})
		]
		progress = []
		with patch("frappe.publish_progress", lambda percent, **kw: progress.append(percent)):
			done = bulk.run_job(**{k: v for k, v in jobs[0][1].items() if k in ("action", "names", "args")})
		assert done["done"] == 3 and len(done["failed"]) == rules.INLINE_LIMIT
		assert progress[-1] == 100 and progress == sorted(progress) and len(progress) > 2
		notice = frappe.get_all(
			"Notification Log",
			filters={"for_user": "Administrator", "document_name": names[0]},
			pluck="subject",
		)
		assert notice and "3" in notice[0]
		assert all(tags_of(n) == ["Bulk"] for n in names)


class TestBadInput:
	def test_refused_before_anything_is_done(self, pipeline):
		names = deals(pipeline, 1)
		with pytest.raises(InvalidInputError):
			bulk.run("merge", names)
		with pytest.raises(BulkActionError):
			bulk.run("assign", [])
		with pytest.raises(BulkActionError):
			bulk.run("assign", names)
		with pytest.raises(BulkActionError):
			bulk.run("assign", names, owner="nobody@example.com")
		with pytest.raises(BulkActionError):
			bulk.run("add_label", names, label="a,b")
		with pytest.raises(BulkActionError):
			bulk.run("change_stage", names, stage="no such stage")
		with pytest.raises(BulkActionError):
			bulk.run("delete", ["x"] * (rules.MAX_NAMES + 1))

	def test_over_rest(self, api):
		client = api("Sales User")
		for body in (
			{"action": "merge", "names": ["x"]},
			{"action": "assign", "names": "not a list"},
			{"action": "add_label", "names": []},
			{"action": "add_label", "names": ["x"]},
		):
			response = client.post("/api/method/korus_crm.deals.bulk.run", body)
			assert response.status_code == 417, (body, response.text)
		response = client.post(
			"/api/method/korus_crm.deals.bulk.run", {"action": "add_label", "names": ["x"], "label": "Hot"}
		)
		assert response.status_code == 200 and response.data["failed"][0]["name"] == "x"


class TestBoard:
	def test_the_board_filters_by_label_and_shows_labels(self, pipeline):
		names = deals(pipeline, 3)
		bulk.run("add_label", names[:2], label="Hot")
		bulk.run("add_label", names[2:], label="Hotter")
		board = boards.get_deal_board(pipeline, label="Hot")
		cards = [c for col in board["columns"] for c in col["cards"]]
		assert sorted(c["name"] for c in cards) == sorted(names[:2])
		assert all(c["_user_tags"] for c in cards)
		assert sum(col["count"] for col in board["columns"]) == 2
		counts = boards.get_deal_board_counts(pipeline, label="Hotter")
		assert sum(c["count"] for c in counts) == 1
		open_stage = frappe.db.get_value("Deal Stage", {"pipeline": pipeline, "is_default": 1}, "stage_name")
		assert [c["name"] for c in boards.get_deal_column(pipeline, open_stage, label="Hotter")] == names[2:]
		assert sum(col["count"] for col in boards.get_deal_board(pipeline)["columns"]) == 3


class TestCustomFields:
	def test_an_administrator_adds_a_field_to_deals(self):
		"""Frappe's Customize Form / Custom Field on Opportunity: a deal saves with it. (The field's
		ALTER TABLE commits: it is made before any record of the test, and removed afterwards.)"""
		from frappe.custom.doctype.custom_field.custom_field import create_custom_field

		create_custom_field(
			"Opportunity",
			{"fieldname": "custom_region", "label": "Region", "fieldtype": "Data", "insert_after": "title"},
		)
		frappe.db.commit()
		# another process may have cached the meta before the field was committed
		frappe.clear_cache(doctype="Opportunity")
		try:
			deal = make_deal(custom_region="North")
			deal.custom_region = "South"
			deal.save()
			assert frappe.db.get_value("Opportunity", deal.name, "custom_region") == "South"
		finally:
			frappe.db.rollback()
			frappe.delete_doc(
				"Custom Field", "Opportunity-custom_region", force=True, ignore_permissions=True
			)
			frappe.db.commit()
			frappe.db.sql_ddl("alter table `tabOpportunity` drop column `custom_region`")
			frappe.clear_cache(doctype="Opportunity")
