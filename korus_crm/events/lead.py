"""doc_events of ERPNext's Lead: Korus's configurable status, unique contact email, active
sources and companies, ERPNext status coherence, and assignment of the lead owner."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import get_link_to_form

from korus_crm.boards import counts
from korus_crm.boards.lead_status_config import get_config
from korus_crm.exceptions import (
	DuplicateEmailError,
	InactiveRecordError,
	LeadConvertedError,
)
from korus_crm.leads import conversion
from korus_crm.rules import leads as rules


def onload(doc, method=None) -> None:
	"""The form shows what the lead became (korus_crm/public/js/lead.js)."""
	doc.set_onload("korus_conversion", conversion.conversion_of(doc.name))


def before_validate(doc, method=None) -> None:
	set_initial_status(doc)
	check_unique_email(doc)


def validate(doc, method=None) -> None:
	validate_status(doc)
	validate_source_active(doc)
	validate_customer_active(doc)
	keep_statuses_coherent(doc)


def after_insert(doc, method=None) -> None:
	counts.record_inserted(counts.LEADS, doc)


def on_update(doc, method=None) -> None:
	counts.record_updated(counts.LEADS, doc)
	assign_lead_owner(doc)


def on_trash(doc, method=None) -> None:
	record = conversion.conversion_of(doc.name)
	if record:
		frappe.throw(
			_("Lead {0} became customer {1} and is kept as its history: it cannot be deleted.").format(
				frappe.bold(doc.name), frappe.bold(record.customer)
			),
			LeadConvertedError,
			title=_("Converted lead"),
		)


def after_delete(doc, method=None) -> None:
	counts.record_deleted(counts.LEADS, doc)


def set_initial_status(doc) -> None:
	if doc.is_new():
		doc.lead_status = rules.pick_initial_status(doc.lead_status, get_config().default)


def check_unique_email(doc) -> None:
	"""Contact emails are unique across leads, compared trimmed and case-insensitively, on every path
	(desk, REST, Data Import). The lookup uses the indexed `email_normalized` column."""
	doc.email_normalized = rules.normalize_email(doc.email_id)
	if doc.email_id and doc.email_id != doc.email_id.strip():
		doc.email_id = doc.email_id.strip()
	if not doc.email_normalized:
		return
	existing = frappe.db.get_value(
		"Lead",
		{"email_normalized": doc.email_normalized, "name": ("!=", doc.name or "")},
		["name", "lead_name"],
		as_dict=True,
	)
	if existing:
		frappe.throw(
			_("A lead with the email {0} already exists: {1} ({2}).").format(
				frappe.bold(doc.email_id), get_link_to_form("Lead", existing.name), existing.lead_name or ""
			),
			DuplicateEmailError,
			title=_("Duplicate email"),
		)


def validate_status(doc) -> None:
	"""A converted lead keeps its converted status (an unknown status is refused by Frappe's own
	link validation: Lead.lead_status links to Lead Status)."""
	config = get_config()
	if doc.is_new() or not doc.has_value_changed("lead_status"):
		return
	before = doc.get_doc_before_save()
	old_status = before.lead_status if before else None
	if rules.leaves_converted(
		old_status, doc.lead_status, config.converted, conversion.is_converted(doc.name)
	):
		frappe.throw(
			_("Lead {0} has become a customer: it stays {1}.").format(
				frappe.bold(doc.name), config.converted
			),
			LeadConvertedError,
		)


def validate_source_active(doc) -> None:
	if not doc.source or not (doc.is_new() or doc.has_value_changed("source")):
		return
	if not frappe.db.get_value("Lead Source", doc.source, "is_active"):
		frappe.throw(
			_("Lead Source {0} is inactive and cannot be chosen for a lead.").format(frappe.bold(doc.source)),
			InactiveRecordError,
		)


def validate_customer_active(doc) -> None:
	if not doc.customer or not (doc.is_new() or doc.has_value_changed("customer")):
		return
	if frappe.db.get_value("Customer", doc.customer, "disabled"):
		frappe.throw(
			_("Customer {0} is inactive and cannot be chosen.").format(frappe.bold(doc.customer)),
			InactiveRecordError,
		)


def keep_statuses_coherent(doc) -> None:
	config = get_config()
	korus_status, erpnext_status = rules.coherent_statuses(
		korus_status=doc.lead_status,
		korus_changed=doc.is_new() or doc.has_value_changed("lead_status"),
		erpnext_status=doc.status,
		converted=not doc.is_new() and conversion.is_converted(doc.name),
		korus_to_erpnext=config.to_erpnext,
		converted_status=config.converted,
	)
	doc.lead_status = korus_status
	if erpnext_status:
		doc.status = erpnext_status


def assign_lead_owner(doc) -> None:
	"""Setting the lead owner assigns the lead to that user (Frappe's Assign To), which notifies them
	(Notification Log, and an email through the queue when their settings ask for it)."""
	if not doc.lead_owner or not doc.has_value_changed("lead_owner"):
		return
	if doc.lead_owner == frappe.session.user:
		return  # ERPNext defaults the owner to the creator: nobody to tell
	assigned = {row.owner for row in assign_to.get({"doctype": doc.doctype, "name": doc.name})}
	if doc.lead_owner in assigned:
		return
	assign_to.add(
		{
			"assign_to": [doc.lead_owner],
			"doctype": doc.doctype,
			"name": doc.name,
			"description": _("Lead {0}").format(doc.lead_name or doc.name),
		},
		ignore_permissions=True,
	)
