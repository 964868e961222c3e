"""Lead conversion (seed 002 "Converting a Lead"): a contact, a customer (none / existing / new
company), optionally a deal; once per lead, all or nothing."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

import frappe
from erpnext.crm.doctype.lead.lead import make_customer, make_opportunity
from frappe import _

from korus_crm.boundary import Between, whitelist
from korus_crm.exceptions import InactiveRecordError, LeadAlreadyConvertedError
from korus_crm.leads import conversion
from korus_crm.rules.leads import normalize_email


@whitelist(methods=["POST"])
def convert_lead(
	lead: str,
	customer_name: str | None = None,
	customer_email: str | None = None,
	customer_phone: str | None = None,
	company_option: Literal["none", "existing", "new"] = "none",
	company: str | None = None,
	new_company_name: str | None = None,
	create_deal: bool = False,
	deal_title: str | None = None,
	deal_value: Annotated[float, Between(0, 10**12 - 1)] | None = None,
	pipeline: str | None = None,
	stage: str | None = None,
	expected_close_date: datetime.date | None = None,
) -> dict:
	"""Convert `lead`. company_option: "none" makes an Individual customer; "existing" links the
	contact to `company` (a Customer of type Company); "new" makes the Company customer
	`new_company_name`. With create_deal, an Opportunity for that customer in `pipeline` and
	`stage` (default stage when none). A lead converts once, even under concurrent calls (its row is
	locked first); a failure part-way leaves nothing behind."""
	check_permissions(company_option, create_deal)

	frappe.db.savepoint("korus_convert_lead")
	try:
		result = _convert(
			lead, customer_name, customer_email, customer_phone, company_option, company, new_company_name,
			create_deal,
			deal_title, deal_value, pipeline, stage, expected_close_date,
		)  # fmt: skip
	except Exception:
		frappe.db.rollback(save_point="korus_convert_lead")
		raise
	return result


def check_permissions(company_option: str, create_deal: bool) -> None:
	frappe.has_permission("Lead", "write", throw=True)
	frappe.has_permission("Contact", "create", throw=True)
	if company_option in ("none", "new"):
		frappe.has_permission("Customer", "create", throw=True)
	if create_deal:
		frappe.has_permission("Opportunity", "create", throw=True)


def _convert(
	lead_name, customer_name, customer_email, customer_phone, company_option, company, new_company_name,
	create_deal, deal_title, deal_value, pipeline, stage, expected_close_date,
) -> dict:  # fmt: skip
	# lock the lead first: a concurrent conversion waits here until the first commits, then sees
	# the committed conversion
	if not frappe.db.get_value("Lead", lead_name, "name", for_update=True):
		frappe.throw(_("Lead {0} not found.").format(frappe.bold(lead_name)), frappe.DoesNotExistError)
	lead = frappe.get_doc("Lead", lead_name)
	lead.check_permission("write")
	if conversion.is_converted(lead.name, for_update=True):
		frappe.throw(
			_("Lead {0} has already been converted.").format(frappe.bold(lead.name)),
			LeadAlreadyConvertedError,
		)

	customer = resolve_customer(lead, company_option, company, new_company_name, customer_name)
	contact = upsert_contact(lead, customer_name, customer_email, customer_phone, customer)
	deal = None
	if create_deal:
		deal = make_deal(lead, customer, deal_title, deal_value, pipeline, stage, expected_close_date)
	conversion.record_conversion(lead.name, customer, contact, deal)
	return {"lead": lead.name, "customer": customer, "contact": contact, "deal": deal}


def resolve_customer(
	lead, company_option: str, company: str | None, new_company_name: str | None, customer_name: str | None
) -> str:
	if company_option == "existing":
		if not company or frappe.db.get_value("Customer", company, "customer_type") != "Company":
			frappe.throw(
				_("Choose an existing company (a Customer of type Company)."), frappe.ValidationError
			)
		if frappe.db.get_value("Customer", company, "disabled"):
			frappe.throw(_("Company {0} is inactive.").format(frappe.bold(company)), InactiveRecordError)
		frappe.db.set_value("Customer", company, "lead_name", company_lead_link(company, lead.name))
		return company
	customer = make_customer(lead.name)  # ERPNext's mapper: names, territory, group, lead link
	if company_option == "new":
		if not new_company_name:
			frappe.throw(_("Give the new company's name."), frappe.ValidationError)
		customer.customer_name = new_company_name
		customer.customer_type = "Company"
	else:
		customer.customer_name = customer_name or lead.lead_name
		customer.customer_type = "Individual"
	customer.flags.ignore_permissions = True
	customer.insert()
	return customer.name


def company_lead_link(company: str, lead: str) -> str:
	"""An existing company keeps the lead it came from; one without gets this lead."""
	return frappe.db.get_value("Customer", company, "lead_name") or lead


def upsert_contact(lead, customer_name, customer_email, customer_phone, customer: str) -> str:
	"""The lead's person as a Contact of the customer: the lead's own contact (ERPNext makes one for
	each lead), else the contact with that email, updated and linked; else a new one."""
	email = normalize_email(customer_email or lead.email_id)
	name = frappe.db.get_value(
		"Dynamic Link", {"parenttype": "Contact", "link_doctype": "Lead", "link_name": lead.name}, "parent"
	)
	if not name and email:
		name = frappe.db.get_value("Contact Email", {"email_id": email, "parenttype": "Contact"}, "parent")
	contact = frappe.get_doc("Contact", name) if name else frappe.new_doc("Contact")
	if email and email not in {e.email_id.lower() for e in contact.email_ids}:
		contact.append("email_ids", {"email_id": email, "is_primary": 0 if contact.email_ids else 1})
	if not name:
		full_name = customer_name or lead.lead_name or ""
		first, _sep, last = full_name.partition(" ")
		contact.first_name = first or full_name
		contact.last_name = last or None
		contact.company_name = lead.company_name
	phone = customer_phone or lead.mobile_no or lead.phone
	if phone and phone not in {p.phone for p in contact.phone_nos}:
		contact.append("phone_nos", {"phone": phone, "is_primary_mobile_no": 0 if contact.phone_nos else 1})
	for doctype, link in (("Customer", customer), ("Lead", lead.name)):
		if not contact.has_link(doctype, link):
			contact.append("links", {"link_doctype": doctype, "link_name": link})
	contact.flags.ignore_permissions = True
	contact.save()
	return contact.name


def make_deal(lead, customer: str, title, value, pipeline, stage, expected_close_date) -> str:
	deal = make_opportunity(lead.name)  # ERPNext's mapper: source, campaign, contact, owner...
	deal.update(
		{
			"opportunity_from": "Customer",
			"party_name": customer,
			"title": title or deal.title,
			"opportunity_amount": value or 0,
			"expected_closing": expected_close_date,
			"deal_pipeline": pipeline,
			"deal_stage": stage,
			"company": deal.company or default_company(),
		}
	)
	deal.flags.ignore_permissions = True
	deal.insert()
	return deal.name


def default_company() -> str | None:
	return (
		frappe.defaults.get_user_default("Company")
		or frappe.db.get_single_value("Korus CRM Settings", "default_deal_company")
		or frappe.defaults.get_global_default("company")
	)
