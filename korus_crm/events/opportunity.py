"""doc_events of ERPNext's Opportunity: Korus's deals. The stage rules live in
korus_crm.deals.stages; this module wires them to the deal's events, with the board counts and what
a deal's deletion takes with it.

Every path ends here: the form, the board (move_deal), REST, bulk edit, imports, and ERPNext's own
buttons (Declare Lost saves; Quotation and Sales Order events db_set the status, which runs
on_change).
"""

from __future__ import annotations

import frappe
from frappe.utils import flt

from korus_crm.analytics import stays
from korus_crm.boards import counts
from korus_crm.deals import stages
from korus_crm.leads import conversion
from korus_crm.selling import contract_orders


def before_validate(doc, method=None) -> None:
	set_default_currency(doc)
	stages.place_in_pipeline(doc)


def validate(doc, method=None) -> None:
	set_base_amount(doc)
	stages.on_validate(doc)


def after_insert(doc, method=None) -> None:
	stages.start_stage_history(doc)
	counts.record_inserted(counts.DEALS, doc)


def on_update(doc, method=None) -> None:
	before = doc.get_doc_before_save()
	if before is None:  # an insert: after_insert did the work
		return
	if before.deal_stage != doc.deal_stage:
		stages.after_stage_change(doc, before.deal_stage)
	counts.record_updated(counts.DEALS, doc)


def on_change(doc, method=None) -> None:
	stages.follow_erpnext_status(doc)


def on_trash(doc, method=None) -> None:
	"""A deal takes with it what Korus made for it: its stage history and the draft contract orders
	made when it was won (an approved one refuses the deletion). A conversion forgets it."""
	contract_orders.delete_drafts_of_deal(doc.name)
	stays.forget_deal(doc.name)
	frappe.db.delete("Deal Stage History", {"deal": doc.name})
	conversion.forget_document("Opportunity", doc.name)


def after_delete(doc, method=None) -> None:
	counts.record_deleted(counts.DEALS, doc)


def set_default_currency(doc) -> None:
	"""A deal without a currency is in its company's (the desk form does this; REST and scripts
	did not), so that ERPNext computes its value in the company currency."""
	if not doc.currency and doc.company:
		doc.currency = frappe.get_cached_value("Company", doc.company, "default_currency")


def set_base_amount(doc) -> None:
	"""ERPNext's form computes the deal's value in the company currency in the browser only; boards,
	totals and the forecast need it on every path. ERPNext's validate has set the conversion rate."""
	doc.base_opportunity_amount = flt(doc.opportunity_amount) * flt(doc.conversion_rate or 1)
