"""What a user sees in the desk: one status on a lead and one stage on a deal, the workspace's
cards and what they count for each role, the contract order printed as a contract, the lost
reasons a new site starts with."""

import json

import frappe
import pytest

from korus_crm.api.cards import get_open_leads_card, get_weighted_pipeline_card
from korus_crm.setup.install import LOST_REASONS, seed_lost_reasons
from tests.integration.factories import make_deal, make_lead, make_pipeline
from tests.integration.selling_setup import selling_world


class TestOneStatusAndOneStage:
	def test_a_lead_shows_korus_status_and_erpnext_status_is_hidden(self):
		meta = frappe.get_meta("Lead")
		assert meta.get_field("status").hidden and not meta.get_field("lead_status").hidden
		assert meta.get_field("lead_status").label == "Status"
		assert meta.get_field("email_normalized").hidden

	def test_a_deal_shows_korus_stage_and_erpnext_sales_stage_is_hidden_and_kept_in_step(self):
		meta = frappe.get_meta("Opportunity")
		assert meta.get_field("sales_stage").hidden and not meta.get_field("deal_stage").hidden
		assert meta.get_field("status").read_only
		assert not meta.has_field("stage_column")
		deal = make_deal()
		assert deal.sales_stage == frappe.db.get_value("Deal Stage", deal.deal_stage, "stage_name")


class TestWorkspaceCards:
	@pytest.mark.parametrize("roles", [["Sales User"], ["Sales User", "Sales Manager"]])
	def test_every_crm_role_sees_the_workspace_cards_with_what_their_label_says(self, api, roles):
		client = api(*roles)
		page = client.post(
			"/api/method/frappe.desk.desktop.get_desktop_page",
			{"page": json.dumps({"name": "Korus CRM", "title": "Korus CRM", "public": 1})},
		)
		assert page.status_code == 200, page
		cards = {c["number_card_name"] for c in page.data["number_cards"]["items"]}
		assert {"Open Leads", "Weighted Pipeline", "Awaiting My Approval"} <= cards
		for method in (
			"korus_crm.api.cards.get_open_leads_card",
			"korus_crm.api.cards.get_weighted_pipeline_card",
			"korus_crm.requests.views.count_awaiting_me",
		):
			response = client.get(f"/api/method/{method}")
			assert response.status_code == 200, response
			assert "value" in response.data

	def test_open_leads_counts_leads_in_statuses_that_are_not_final(self):
		before = get_open_leads_card()["value"]
		make_lead(lead_status="New")
		make_lead(lead_status="Contacted")
		make_lead(lead_status="Lost")
		assert get_open_leads_card()["value"] == before + 2

	def test_weighted_pipeline_is_open_deals_value_times_probability(self):
		before = get_weighted_pipeline_card()["value"]
		pipeline = make_pipeline()
		make_deal(deal_pipeline=pipeline.name, amount=1000)  # Open, 20%
		make_deal(
			deal_pipeline=pipeline.name,
			amount=1000,
			deal_stage=frappe.db.get_value("Deal Stage", {"pipeline": pipeline.name, "is_won": 1}),
		)  # won: not open
		assert get_weighted_pipeline_card()["value"] == before + 200


class TestContractOrderPrint:
	def test_a_contract_order_prints_as_a_contract(self):
		world = selling_world(currency="USD")
		order = frappe.get_doc(
			{
				"doctype": "Contract Order",
				"customer": world.customer,
				"company": world.company,
				"sign_date": "2026-12-01",
				"effective_date": "2026-12-01",
				"expiry_date": "2027-11-30",
				"terms": "<p>Delivery within 14 days.</p>",
				"items": [{"item_code": world.item, "qty": 2, "rate": 150}],
			}
		).insert()
		assert frappe.get_meta("Contract Order").default_print_format == "Korus Contract Order"
		html = frappe.get_print("Contract Order", order.name, "Korus Contract Order")
		for text in (
			order.name,
			world.customer,
			world.company,
			world.item,
			"Delivery within 14 days",
			"Signature",
		):
			assert text in html, text
		assert "300" in html  # the line amount


class TestLostReasons:
	def test_a_new_site_starts_with_lost_reasons_that_can_be_removed(self):
		for reason in frappe.get_all("Opportunity Lost Reason", pluck="name"):
			frappe.delete_doc("Opportunity Lost Reason", reason, force=True)
		assert seed_lost_reasons() == list(LOST_REASONS)
		assert set(frappe.get_all("Opportunity Lost Reason", pluck="name")) == set(LOST_REASONS)
		assert frappe.get_meta("Opportunity Lost Reason").translated_doctype
		frappe.delete_doc("Opportunity Lost Reason", LOST_REASONS[0])
		assert seed_lost_reasons() == []  # a site with reasons keeps its own set
