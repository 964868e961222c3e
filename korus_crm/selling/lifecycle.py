"""The lifecycle check shared by Price Offer and Contract Order: the workflow moves their `status`,
and this guard holds the same moves when the workflow is switched off or the status is written
directly (REST)."""

from __future__ import annotations

import frappe
from frappe import _

from korus_crm.exceptions import OfferStateError
from korus_crm.rules import offers as rules


def check_status_move(doc, transitions: dict[str, set[str]], draft_states: set[str]) -> None:
	if doc.docstatus == 0 and not rules.status_fits_draft(doc.status, draft_states):
		frappe.throw(
			_("A draft cannot be {0}: it gets there through its approval.").format(
				frappe.bold(_(doc.status))
			),
			OfferStateError,
		)
	before = doc.get_doc_before_save()
	old = before.status if before else "Draft"
	if not rules.can_move(transitions, old, doc.status):
		frappe.throw(
			_("A {0} cannot go from {1} to {2}.").format(
				_(doc.doctype), frappe.bold(_(old)), frappe.bold(_(doc.status))
			),
			OfferStateError,
		)
