"""Lead conversion: contact, customer (none / existing / new company), optional deal; once, all or
nothing, also under concurrent calls."""

import threading

import frappe
import pytest

from korus_crm.api.leads import convert_lead
from korus_crm.exceptions import LeadAlreadyConvertedError, StageNotInPipelineError
from tests.integration.factories import make_customer, make_lead, make_pipeline, stage_of, unique


def contacts_of(customer: str) -> list[str]:
	return frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "link_doctype": "Customer", "link_name": customer},
		pluck="parent",
	)


class TestCompanyOptions:
	def test_none_makes_an_individual_customer_and_a_contact(self):
		lead = make_lead(
			first_name="Ivy", last_name="Single", email_id="ivy.korus@example.com", mobile_no="+15550001"
		)
		result = convert_lead(lead.name, customer_name="Ivy Single", company_option="none")
		customer = frappe.get_doc("Customer", result["customer"])
		assert (customer.customer_type, customer.customer_name, customer.lead_name) == (
			"Individual",
			"Ivy Single",
			lead.name,
		)
		assert result["contact"] in contacts_of(customer.name)
		contact = frappe.get_doc("Contact", result["contact"])
		assert contact.email_id == "ivy.korus@example.com" and contact.has_link("Lead", lead.name)
		lead.reload()
		record = frappe.get_doc("Lead Conversion", lead.name)
		assert (lead.lead_status, lead.status, record.customer, record.contact) == (
			"Converted",
			"Converted",
			customer.name,
			contact.name,
		)
		assert record.converted_on and record.converted_by == "Administrator"

	def test_existing_links_the_contact_to_that_company(self):
		company = make_customer(customer_name=unique("Existing Co"))
		lead = make_lead(email_id="ext.korus@example.com")
		result = convert_lead(lead.name, company_option="existing", company=company.name)
		assert result["customer"] == company.name
		assert result["contact"] in contacts_of(company.name)
		assert frappe.db.count("Customer", {"lead_name": lead.name}) <= 1

	def test_new_makes_the_company_customer(self):
		lead = make_lead(company_name="Acme Korus", email_id="new.korus@example.com")
		result = convert_lead(lead.name, company_option="new", new_company_name="Acme Korus Ltd")
		customer = frappe.get_doc("Customer", result["customer"])
		assert (customer.customer_type, customer.customer_name) == ("Company", "Acme Korus Ltd")

	def test_an_existing_contact_with_the_email_is_reused_and_updated(self):
		other = make_customer()
		existing = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Known",
				"email_ids": [{"email_id": "known.korus@example.com", "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": other.name}],
			}
		).insert()
		lead = make_lead(email_id="Known.Korus@example.com")
		for own in frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": "Contact", "link_doctype": "Lead", "link_name": lead.name},
			pluck="parent",
		):
			frappe.delete_doc(
				"Contact", own
			)  # a lead without a contact of its own (CRM Settings can switch them off)
		result = convert_lead(lead.name, company_option="none", customer_phone="+15550199")
		assert result["contact"] == existing.name
		contact = frappe.get_doc("Contact", existing.name)
		assert contact.has_link("Customer", result["customer"]) and contact.has_link("Customer", other.name)
		assert "+15550199" in {p.phone for p in contact.phone_nos}

	def test_the_leads_own_contact_becomes_the_customers(self):
		lead = make_lead(first_name="Own", email_id="own.korus@example.com")
		own = frappe.db.get_value(
			"Dynamic Link",
			{"parenttype": "Contact", "link_doctype": "Lead", "link_name": lead.name},
			"parent",
		)
		assert own, "ERPNext makes a contact for each lead"
		result = convert_lead(lead.name, company_option="none")
		assert result["contact"] == own
		assert frappe.db.count("Contact Email", {"email_id": "own.korus@example.com"}) == 1


class TestDeal:
	def test_the_deal_lands_in_the_chosen_pipeline_and_stage(self):
		pipeline = make_pipeline()
		lead = make_lead(email_id="deal.korus@example.com", source="Cold Calling")
		result = convert_lead(
			lead.name,
			company_option="new",
			new_company_name=unique("Deal Co"),
			create_deal=True,
			deal_title="Big one",
			deal_value=5000,
			pipeline=pipeline.name,
			stage=stage_of(pipeline.name, "Proposal"),
			expected_close_date="2026-12-31",
		)
		deal = frappe.get_doc("Opportunity", result["deal"])
		assert (deal.opportunity_from, deal.party_name, deal.title, deal.opportunity_amount) == (
			"Customer",
			result["customer"],
			"Big one",
			5000,
		)
		assert (deal.deal_pipeline, deal.deal_stage, str(deal.expected_closing), deal.source) == (
			pipeline.name,
			stage_of(pipeline.name, "Proposal"),
			"2026-12-31",
			"Cold Calling",
		)
		assert frappe.db.get_value("Lead Conversion", lead.name, "deal") == deal.name

	def test_without_a_stage_the_deal_takes_the_default_stage(self):
		pipeline = make_pipeline()
		lead = make_lead()
		result = convert_lead(lead.name, create_deal=True, pipeline=pipeline.name)
		assert frappe.db.get_value("Opportunity", result["deal"], "deal_stage") == stage_of(
			pipeline.name, "Open"
		)


class TestOnceAndAllOrNothing:
	def test_a_second_conversion_fails_and_creates_nothing(self):
		lead = make_lead(email_id="twice.korus@example.com")
		convert_lead(lead.name)
		customers, contacts = frappe.db.count("Customer"), frappe.db.count("Contact")
		with pytest.raises(LeadAlreadyConvertedError):
			convert_lead(lead.name)
		assert (frappe.db.count("Customer"), frappe.db.count("Contact")) == (customers, contacts)

	def test_a_failure_part_way_leaves_no_partial_records(self):
		pipeline, other = make_pipeline(), make_pipeline()
		lead = make_lead(email_id="partial.korus@example.com")
		customers, contacts, deals = (
			frappe.db.count("Customer"),
			frappe.db.count("Contact"),
			frappe.db.count("Opportunity"),
		)
		with pytest.raises(StageNotInPipelineError):
			convert_lead(
				lead.name,
				company_option="new",
				new_company_name=unique("Half Co"),
				create_deal=True,
				pipeline=pipeline.name,
				stage=stage_of(other.name, "Won"),
			)
		assert (frappe.db.count("Customer"), frappe.db.count("Contact"), frappe.db.count("Opportunity")) == (
			customers,
			contacts,
			deals,
		)
		assert not frappe.db.exists("Lead Conversion", lead.name)

	def test_an_unknown_company_option_is_refused(self):
		with pytest.raises(frappe.ValidationError):
			convert_lead(make_lead().name, company_option="maybe")


class TestRest:
	def test_twenty_concurrent_conversions_make_exactly_one_customer(self, api, committed):
		lead = make_lead(email_id=f"race.{frappe.generate_hash(length=6)}@example.com")
		frappe.db.commit()
		committed.add("Lead", lead.name)
		clients = [api("Sales Manager", "Sales Master Manager") for _ in range(4)]
		responses = []

		def convert(client):
			responses.append(
				client.post(
					"/api/method/korus_crm.api.leads.convert_lead",
					{"lead": lead.name, "company_option": "none"},
				)
			)

		threads = [threading.Thread(target=convert, args=(clients[i % 4],)) for i in range(20)]
		for t in threads:
			t.start()
		for t in threads:
			t.join()

		frappe.db.rollback()
		customers = frappe.get_all("Customer", filters={"lead_name": lead.name}, pluck="name")
		for customer in customers:
			for contact in contacts_of(customer):
				committed.add("Contact", contact)
			committed.add("Customer", customer)
		ok = [r for r in responses if r.status_code == 200]
		refused = [r for r in responses if r.exc_type == "LeadAlreadyConvertedError"]
		assert len(customers) == 1, customers
		assert len(ok) == 1 and len(refused) == 19, [r.status_code for r in responses]
		assert ok[0].data["customer"] == customers[0]

	def test_a_user_without_crm_roles_cannot_convert(self, api, committed):
		lead = make_lead()
		frappe.db.commit()
		committed.add("Lead", lead.name)
		response = api().post("/api/method/korus_crm.api.leads.convert_lead", {"lead": lead.name})
		assert response.status_code == 403, response
		frappe.db.rollback()
		assert not frappe.db.exists("Lead Conversion", lead.name)
