"""doc_events of ERPNext's Customer: the seed's "Company" is a Customer of type Company.

- office email unique (trimmed, case-insensitive), office phone;
- a customer made from a lead (by ERPNext or by Korus's Convert) records the lead's conversion;
  deleting it undoes the conversion (korus_crm.leads.conversion);
- a company with contacts or deals cannot be deleted;
- customer groups keep their number of customers.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, get_link_to_form

from korus_crm.events.customer_group import refresh_customer_counts
from korus_crm.exceptions import CompanyInUseError, DuplicateEmailError
from korus_crm.leads import conversion
from korus_crm.rules import leads as lead_rules


def validate(doc, method=None) -> None:
	check_unique_office_email(doc)


def after_insert(doc, method=None) -> None:
	if doc.lead_name:
		conversion.record_conversion(doc.lead_name, doc.name)
	refresh_customer_counts([doc.customer_group])


def on_update(doc, method=None) -> None:
	if doc.lead_name and doc.has_value_changed("lead_name") and not doc.flags.in_insert:
		conversion.record_conversion(doc.lead_name, doc.name)
	before = doc.get_doc_before_save()
	if before and before.customer_group != doc.customer_group:
		refresh_customer_counts([before.customer_group, doc.customer_group])


def on_trash(doc, method=None) -> None:
	# ERPNext's Customer.on_trash has already run (it deletes or unlinks the customer's contacts);
	# `doc` still holds the contact count it was loaded with. Raising here rolls all of it back.
	# The desk's Delete moves a customer to the recycle bin (korus_crm.customers.recycle_bin), which
	# keeps its contacts; emptying the bin deletes it for good (its binned deals are gone by then, its
	# contacts go with it as ERPNext does). A direct delete (server code, REST DELETE) of a company
	# that is not in the bin keeps the rule: not while it has contacts or deals.
	# A merge (korus_crm.customers.duplicates.merge) has moved the contacts and deals to the target.
	purging = cint(doc.get("korus_deleted")) or frappe.flags.korus_merging
	if doc.customer_type == "Company" and not purging:
		refuse_deleting_company_in_use(doc)
	conversion.undo_conversion(doc.name)


def after_delete(doc, method=None) -> None:
	refresh_customer_counts([doc.customer_group])


def check_unique_office_email(doc) -> None:
	doc.office_email = lead_rules.normalize_email(doc.office_email)
	if not doc.office_email:
		return
	existing = frappe.db.get_value(
		"Customer", {"office_email": doc.office_email, "name": ("!=", doc.name or "")}, "name"
	)
	if existing:
		frappe.throw(
			_("The office email {0} already belongs to {1}.").format(
				frappe.bold(doc.office_email), get_link_to_form("Customer", existing)
			),
			DuplicateEmailError,
			title=_("Duplicate email"),
		)


def refuse_deleting_company_in_use(doc) -> None:
	contacts = cint(doc.get("contact_count"))
	deals = frappe.get_all(
		"Opportunity",
		filters={"opportunity_from": "Customer", "party_name": doc.name},
		pluck="name",
		limit=20,
	)
	if not contacts and not deals:
		return
	parts = []
	if contacts:
		parts.append(_("{0} contact(s)").format(contacts))
	if deals:
		parts.append(_("deals: {0}").format(", ".join(deals)))
	frappe.throw(
		_("Company {0} cannot be deleted while it has linked {1}. Remove or reassign them first.").format(
			frappe.bold(doc.name), "; ".join(parts)
		),
		CompanyInUseError,
		title=_("Company in use"),
	)
