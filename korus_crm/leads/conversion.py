"""The one place where a lead becomes (or stops being) a customer.

A lead is converted when it has a Lead Conversion record (named after the lead, so one per lead).
Both ways a customer is made from a lead end here: Korus's Convert (korus_crm.api.leads) and
ERPNext's own "Customer" button on the lead (a Customer whose `lead_name` is the lead, seen by the
Customer hooks). The lead then shows Korus's converted status and ERPNext's "Converted".
"""

from __future__ import annotations

import frappe
from frappe.utils import now_datetime

from korus_crm.boards import counts
from korus_crm.boards.lead_status_config import get_config

DOCTYPE = "Lead Conversion"


def is_converted(lead: str | None, for_update: bool = False) -> bool:
	"""`for_update`: a locking read, which sees the latest committed conversion (a plain read sees
	the transaction's snapshot, older than a conversion committed while this one waited)."""
	if not lead:
		return False
	return bool(frappe.db.get_value(DOCTYPE, lead, "name", for_update=for_update))


def conversion_of(lead: str | None) -> dict | None:
	if not lead:
		return None
	return frappe.db.get_value(
		DOCTYPE, lead, ["customer", "contact", "deal", "converted_on", "converted_by"], as_dict=True
	)


def record_conversion(lead: str, customer: str, contact: str | None = None, deal: str | None = None) -> None:
	"""Record that `lead` became `customer` (with its contact and deal, when known) and give the
	lead its converted statuses. Called again with more detail, it fills in what was missing."""
	if frappe.db.exists(DOCTYPE, lead):
		record = frappe.get_doc(DOCTYPE, lead)
		for field, value in (("customer", customer), ("contact", contact), ("deal", deal)):
			if value and not record.get(field):
				record.set(field, value)
		record.flags.ignore_permissions = True
		record.save()
	else:
		frappe.get_doc(
			{
				"doctype": DOCTYPE,
				"lead": lead,
				"customer": customer,
				"contact": contact,
				"deal": deal,
				"converted_on": now_datetime(),
				"converted_by": frappe.session.user,
			}
		).insert(ignore_permissions=True)
	set_lead_statuses(lead, get_config().converted, "Converted")


def undo_conversion(customer: str) -> None:
	"""The customer a lead became is deleted: the lead is no longer converted. ERPNext puts it back
	to "Interested" (Customer.on_trash); Korus gives it the status mapped to that, else its default."""
	for lead in frappe.get_all(DOCTYPE, filters={"customer": customer}, pluck="name"):
		frappe.delete_doc(DOCTYPE, lead, ignore_permissions=True, force=True)
		config = get_config()
		status = next((r.name for r in config.rows if r.erpnext_status == "Interested"), config.default)
		set_lead_statuses(lead, status, "Interested")


def forget_document(doctype: str, name: str) -> None:
	"""A contact or deal made by a conversion is deleted: the conversion stops pointing at it."""
	field = {"Contact": "contact", "Opportunity": "deal"}[doctype]
	for lead in frappe.get_all(DOCTYPE, filters={field: name}, pluck="name"):
		frappe.db.set_value(DOCTYPE, lead, field, None, update_modified=False)


def set_lead_statuses(lead: str, korus_status: str | None, erpnext_status: str) -> None:
	"""Set both statuses without saving the lead (as ERPNext itself does when a customer is made from
	a lead), keeping the board counts in step."""
	row = frappe.db.get_value(
		"Lead", lead, [*counts.record_fields(counts.LEADS), "status"], as_dict=True
	)  # with the scope columns, so that the counters of the user's scope follow too
	if not row:
		return
	values = {}
	if korus_status and row.lead_status != korus_status:
		values["lead_status"] = korus_status
	if row.status != erpnext_status:
		values["status"] = erpnext_status
	if not values:
		return
	frappe.db.set_value("Lead", lead, values, update_modified=False)
	if "lead_status" in values:
		counts.record_moved(
			counts.LEADS,
			counts.placement(counts.LEADS, row),
			counts.placement(counts.LEADS, {**row, "lead_status": korus_status}),
		)
