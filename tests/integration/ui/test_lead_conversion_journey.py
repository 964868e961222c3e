"""Desk journey: a sales user converts a lead from its form (Korus > Convert), an individual
customer and a deal."""

import frappe

from tests.integration.factories import make_lead, unique
from tests.integration.ui.cleanup import contacts_linked_to, register_lead_conversion
from tests.integration.ui.desk import dialog, dialog_field, group_button, open_form, submit_dialog


def test_a_sales_user_converts_a_lead_with_a_deal_from_its_form(desk_as, committed):
	lead = make_lead(
		first_name=unique("Journey"),
		last_name="Lead",
		email_id=f"{frappe.generate_hash(length=10)}@example.com",
	)
	frappe.db.commit()
	committed.add("Lead", lead.name)

	page = desk_as("Sales User")
	try:
		open_form(page, "Lead", lead.name)
		group_button(page, "Korus", "Convert").click()
		modal = dialog(page, "Convert Lead")
		dialog_field(modal, "company_option").select_option(label="None (an individual customer)")
		dialog_field(modal, "create_deal").check()
		submit_dialog(page, modal)
	finally:
		made = register_lead_conversion(committed, lead.name)

	# ERPNext's own records say what the conversion made (committed by the browser's request)
	assert len(made["Customer"]) == 1, made
	customer = frappe.get_doc("Customer", made["Customer"][0])
	assert (customer.customer_type, customer.lead_name) == ("Individual", lead.name)
	deals = frappe.get_all(
		"Opportunity",
		filters={"opportunity_from": "Customer", "party_name": customer.name},
		fields=["name", "status"],
	)
	assert len(deals) == 1, deals
	assert contacts_linked_to("Customer", customer.name), "the customer has no contact"
