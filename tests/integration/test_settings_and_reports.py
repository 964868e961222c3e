"""Korus CRM Settings export/import/reset; the forecast and stage duration reports; the number card."""

import json

import frappe
import pytest

from korus_crm.api.cards import get_weighted_pipeline_card
from korus_crm.api.forecast import forecast_rows
from korus_crm.api.settings import export_settings, import_settings, reset_settings
from tests.integration.factories import make_deal, make_pipeline, stage_of, unique


class TestSettings:
	def test_export_carries_statuses_pipelines_and_stages(self):
		data = export_settings()
		assert data["format"] == "korus-crm-settings"
		assert {"New", "Converted", "Lost"} <= {s["status_name"] for s in data["lead_statuses"]}
		sales = next(p for p in data["pipelines"] if p["is_default"])
		assert any(s["is_won"] for s in sales["stages"]) and any(s["is_lost"] for s in sales["stages"])

	def test_import_round_trips_an_export(self):
		pipeline = make_pipeline(unique("Export Me"))
		data = json.loads(json.dumps(export_settings(), default=str))
		# a site that lacks the pipeline and has a changed status gets them back
		frappe.delete_doc("Deal Pipeline", pipeline.name)
		frappe.get_doc("Lead Status", "Contacted").update({"color": "#000000"}).save()
		result = import_settings(json.dumps(data))
		assert pipeline.name in result["pipelines"]
		assert [r.stage_name for r in frappe.get_doc("Deal Pipeline", pipeline.name).stages] == [
			"Open",
			"Proposal",
			"Won",
			"Lost",
		]
		exported = next(s for s in data["lead_statuses"] if s["status_name"] == "Contacted")
		assert frappe.db.get_value("Lead Status", "Contacted", "color") == exported["color"]

	def test_a_broken_file_is_refused_and_changes_nothing(self):
		before = frappe.db.count("Deal Pipeline")
		with pytest.raises(frappe.ValidationError):
			import_settings(json.dumps({"format": "something else"}))
		bad = json.loads(json.dumps(export_settings(), default=str))
		bad["pipelines"].append(
			{"pipeline_name": unique("Broken"), "stages": [{"stage_name": "A", "is_won": 1, "is_lost": 1}]}
		)
		bad["pipelines"].insert(
			0, {"pipeline_name": unique("Would Be Kept"), "stages": [{"stage_name": "A"}]}
		)
		with pytest.raises(frappe.ValidationError):
			import_settings(json.dumps(bad))
		assert frappe.db.count("Deal Pipeline") == before

	def test_reset_restores_the_defaults_and_keeps_other_records(self):
		frappe.get_doc("Lead Status", "Qualified").update({"color": "#000000", "display_order": 40}).save()
		custom = frappe.get_doc(
			{"doctype": "Lead Status", "status_name": "Korus Custom", "is_default": 1}
		).insert()
		reset_settings()
		assert frappe.db.get_value("Lead Status", "Qualified", ["color", "display_order"]) == ("#7575FF", 3)
		assert frappe.db.get_value("Lead Status", {"is_default": 1}) == "New"
		assert frappe.db.exists("Lead Status", custom.name)

	def test_only_crm_managers_may_export(self, api):
		assert api("Sales User").get("/api/method/korus_crm.api.settings.export_settings").status_code == 403
		assert (
			api("Korus CRM Manager").get("/api/method/korus_crm.api.settings.export_settings").status_code
			== 200
		)


class TestForecast:
	def test_open_deals_weighted_by_stage_probability_per_month(self):
		pipeline = make_pipeline()
		make_deal(deal_pipeline=pipeline.name, amount=1000, expected_closing="2027-01-15")  # Open, 20%
		make_deal(
			deal_pipeline=pipeline.name,
			amount=500,
			expected_closing="2027-01-20",
			deal_stage=stage_of(pipeline.name, "Proposal"),
		)  # 60%
		make_deal(
			deal_pipeline=pipeline.name,
			amount=9999,
			expected_closing="2027-01-20",
			deal_stage=stage_of(pipeline.name, "Won"),
		)
		rows = [r for r in forecast_rows(pipeline.name)]
		assert rows == [
			{
				"pipeline": pipeline.name,
				"month": "2027-01",
				"deals": 2,
				"value": 1500.0,
				"weighted_value": 500.0,
			}
		]

	def test_the_report_and_the_card_run(self):
		from frappe.desk.query_report import run

		result = run("Deal Forecast", filters={})
		# one row per month of expected close (the pipeline is a filter), so that the forecast stands
		# beside a month's target (issue 12)
		assert [c["fieldname"] for c in result["columns"]][:2] == ["month", "deals"]
		card = get_weighted_pipeline_card()
		assert card["fieldtype"] == "Currency" and card["value"] >= 0


class TestStageDuration:
	def test_days_in_each_stage_per_pipeline(self):
		from frappe.desk.query_report import run

		pipeline = make_pipeline()
		deal = make_deal(deal_pipeline=pipeline.name)
		frappe.db.set_value(
			"Deal Stage History",
			{"deal": deal.name},
			"entered_at",
			frappe.utils.add_days(frappe.utils.now_datetime(), -4),
		)
		deal.update({"deal_stage": stage_of(pipeline.name, "Proposal")}).save()
		result = run("Deal Stage Duration", filters={"pipeline": pipeline.name})
		rows = {r["stage"]: r for r in result["result"]}
		assert rows[stage_of(pipeline.name, "Open")]["visits"] == 1
		assert 3.9 < rows[stage_of(pipeline.name, "Open")]["average_days"] < 4.1
		assert rows[stage_of(pipeline.name, "Proposal")]["visits"] == 1
