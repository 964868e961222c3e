"""Deleting a record for which Korus made other rows takes them with it, or refuses with the reason."""

import frappe
import pytest

from korus_crm.api.leads import convert_lead
from korus_crm.api.offers import approve_price_offer
from korus_crm.boards import counts
from korus_crm.exceptions import DealInUseError, LeadConvertedError
from korus_crm.selling import won_deals
from tests.integration.factories import make_deal, make_lead, make_pipeline, stage_of, unique
from tests.integration.selling_setup import make_offer, selling_world


@pytest.fixture
def world():
	return selling_world(currency="USD")


def won_deal_with_order(world):
	pipeline = make_pipeline()
	deal = make_deal(customer=world.customer, deal_pipeline=pipeline.name)
	deal.append("items", {"item_code": world.item, "qty": 1, "rate": 50})
	deal.save()
	deal.update({"deal_stage": stage_of(pipeline.name, "Won")}).save()
	order = won_deals.make_contract_order(deal.name)
	assert order
	return deal, order


class TestDeals:
	def test_a_won_deal_is_deleted_with_its_history_and_its_draft_contract_order(self, world):
		deal, order = won_deal_with_order(world)
		frappe.delete_doc("Opportunity", deal.name)
		assert not frappe.db.exists("Contract Order", order)
		assert not frappe.db.exists("Deal Stage History", {"deal": deal.name})

	def test_a_deal_with_an_approved_contract_order_cannot_be_deleted(self, world):
		deal, order = won_deal_with_order(world)
		frappe.get_doc("Contract Order", order).submit()
		with pytest.raises(DealInUseError) as raised:
			frappe.delete_doc("Opportunity", deal.name)
		assert order in str(raised.value)

	def test_a_deleted_deal_leaves_the_board_counts(self):
		pipeline = make_pipeline()
		deal = make_deal(deal_pipeline=pipeline.name, amount=70)
		frappe.delete_doc("Opportunity", deal.name)
		assert counts.read_counts(counts.DEALS, pipeline.name)[deal.deal_stage].count == 0


class TestOffers:
	def test_a_draft_offer_is_deleted_with_its_draft_quotation(self, world):
		offer = make_offer(world)
		quotation = offer.quotation
		assert frappe.db.get_value("Quotation", quotation, "docstatus") == 0
		frappe.delete_doc("Price Offer", offer.name)
		assert not frappe.db.exists("Quotation", quotation)

	def test_an_approved_offer_is_not_deleted(self, world):
		offer = make_offer(world)
		approve_price_offer(offer.name)
		with pytest.raises(frappe.ValidationError):
			frappe.delete_doc("Price Offer", offer.name)


class TestConversions:
	def test_deleting_the_customer_undoes_the_conversion_and_keeps_the_leads_person(self):
		lead = make_lead(email_id=f"undo.{frappe.generate_hash(length=5)}@example.com")
		result = convert_lead(lead.name, create_deal=False)
		frappe.delete_doc("Customer", result["customer"])
		assert not frappe.db.exists("Lead Conversion", lead.name)
		# ERPNext puts the lead back to Interested; Korus to the status mapped to it
		assert frappe.db.get_value("Lead", lead.name, ["status", "lead_status"]) == (
			"Interested",
			"Qualified",
		)
		contact = frappe.get_doc("Contact", result["contact"])
		assert contact.has_link("Lead", lead.name) and not contact.has_link("Customer", result["customer"])

	def test_a_converted_lead_cannot_be_deleted(self):
		lead = make_lead()
		convert_lead(lead.name)
		with pytest.raises(LeadConvertedError):
			frappe.delete_doc("Lead", lead.name)

	def test_a_deleted_deal_or_contact_is_forgotten_by_the_conversion(self):
		lead = make_lead(company_name=unique("Forget Co"))
		result = convert_lead(
			lead.name, company_option="new", new_company_name=unique("Forget"), create_deal=True
		)
		frappe.delete_doc("Opportunity", result["deal"])
		assert frappe.db.get_value("Lead Conversion", lead.name, "deal") is None
		assert frappe.db.get_value("Lead Conversion", lead.name, "customer") == result["customer"]


class TestConfiguration:
	def test_an_empty_pipeline_is_deleted_with_its_stages_and_their_counter_rows(self):
		pipeline = make_pipeline()
		deal = make_deal(deal_pipeline=pipeline.name)
		stage = deal.deal_stage
		frappe.delete_doc("Opportunity", deal.name)
		frappe.delete_doc("Deal Pipeline", pipeline.name)
		assert not frappe.db.exists("Deal Stage", {"pipeline": pipeline.name})
		assert not frappe.db.exists("Board Column Count", {"group_value": stage})

	def test_a_deleted_status_leaves_no_counter_row(self):
		frappe.get_doc({"doctype": "Lead Status", "status_name": "Korus Short Lived"}).insert()
		lead = make_lead(lead_status="Korus Short Lived")
		frappe.delete_doc("Lead", lead.name)
		frappe.delete_doc("Lead Status", "Korus Short Lived")
		assert not frappe.db.exists("Board Column Count", {"group_value": "Korus Short Lived"})
