"""Price Offer API: make one from a lead or deal, send it, accept or reject it, revise it. Every
lifecycle move is one move of the offer's approval specification (korus_crm.approvals): through its
Workflow when that is active, else directly, with the controller's guard either way."""

from __future__ import annotations

from typing import Literal

import frappe
from frappe import _
from frappe.utils import add_days, getdate, nowdate

from korus_crm import approvals
from korus_crm.boundary import whitelist
from korus_crm.exceptions import OfferStateError
from korus_crm.selling import offer_mail

DOCTYPE = "Price Offer"
DEFAULT_VALIDITY_DAYS = 30
Source = Literal["Lead", "Opportunity"]


@whitelist()
def make_price_offer(source_doctype: Source, source_name: str):
	"""A new, unsaved offer from a Lead or a deal (Opportunity), as ERPNext's mappers do: its party,
	its deal, its items, a validity date. The desk opens it; scripts add items and insert it."""
	frappe.has_permission(DOCTYPE, "create", throw=True)
	source = frappe.get_doc(source_doctype, source_name)
	source.check_permission("read")
	offer = frappe.new_doc(DOCTYPE)
	if source_doctype == "Lead":
		offer.update({"quotation_to": "Lead", "party_name": source.name, "contact_email": source.email_id})
	else:
		offer.update(
			{
				"quotation_to": "Lead" if source.opportunity_from == "Lead" else "Customer",
				"party_name": source.party_name,
				"opportunity": source.name,
				"currency": source.currency,
				"contact_email": source.contact_email,
				"offer_owner": source.opportunity_owner or frappe.session.user,
			}
		)
		for item in source.get("items") or []:
			offer.append("items", {"item_code": item.item_code, "qty": item.qty})
	offer.company = (
		source.company
		or frappe.defaults.get_user_default("Company")
		or frappe.defaults.get_global_default("company")
	)
	offer.valid_till = add_days(nowdate(), DEFAULT_VALIDITY_DAYS)
	return offer


@whitelist()
def make_price_offer_for(source_name: str, source_doctype: Source | None = None, args: dict | None = None):
	"""The desk's "Create > Price Offer" (frappe.model.open_mapped_doc passes source_name and args)."""
	source_doctype = source_doctype or (args or {}).get("source_doctype")
	if source_doctype not in ("Lead", "Opportunity"):
		frappe.throw(_("A price offer is made from a Lead or a deal (Opportunity)."), frappe.ValidationError)
	return make_price_offer(source_doctype, source_name)


def move(offer: str, action: str) -> dict:
	doc = frappe.get_doc(DOCTYPE, offer)
	doc.check_permission("read")
	doc = approvals.take_action(doc, action)
	return {"name": doc.name, "status": doc.status, "contract_order": doc.contract_order}


@whitelist(methods=["POST"])
def approve_price_offer(offer: str) -> dict:
	return move(offer, "Approve")


@whitelist(methods=["POST"])
def accept_price_offer(offer: str) -> dict:
	"""The customer accepted: recorded with user and date; a Contract Order is made and the deal
	moves to its pipeline's won stage."""
	return move(offer, "Accept")


@whitelist(methods=["POST"])
def reject_price_offer(offer: str) -> dict:
	return move(offer, "Reject")


@whitelist(methods=["POST"])
def send_price_offer(
	offer: str, recipients: str | list[str] | None = None, message: str | None = None
) -> dict:
	"""Email the offer's PDF to `recipients` (else its contact email), record when and to whom, and
	mark it Sent (an offer already sent is sent again)."""
	doc = frappe.get_doc(DOCTYPE, offer)
	doc.check_permission("write")
	if doc.status not in ("Approved", "Sent"):
		frappe.throw(
			_("Only an approved offer can be sent (this one is {0}).").format(_(doc.status)), OfferStateError
		)
	offer_mail.send(doc, recipients, message)
	# recorded first: the move reloads the offer, and an offer with sent_on is not sent again
	doc.db_set({"sent_on": doc.sent_on, "sent_to": doc.sent_to}, update_modified=False)
	if doc.status == "Approved":
		doc = approvals.take_action(doc, "Send")
	doc.reload()
	return {"name": doc.name, "status": doc.status, "sent_to": doc.sent_to, "sent_on": doc.sent_on}


@whitelist(methods=["POST"])
def make_revision(offer: str) -> str:
	"""Changing an approved or sent offer: the old one is cancelled ("Revise") and kept; the new
	revision is its amendment (amended_from), priced again, and shows what changed."""
	old = frappe.get_doc(DOCTYPE, offer)
	old.check_permission("write")
	old = approvals.take_action(old, "Revise")
	new = frappe.copy_doc(old, ignore_no_copy=False)
	new.docstatus = 0
	new.amended_from = old.name
	new.status = "Draft"
	new.quotation = None
	new.insert()
	return new.name


def expire_offers() -> list[str]:
	"""Daily: sent offers past their validity date become Expired (an indexed read of due offers).
	Idempotent (an expired offer is no longer Sent); one that cannot expire is logged and left Sent
	for the next run, the others expire."""
	expired = []
	for name in frappe.get_all(
		DOCTYPE,
		filters={"status": "Sent", "docstatus": 1, "valid_till": ("<", getdate(nowdate()))},
		pluck="name",
	):
		frappe.db.savepoint("korus_expire_offer")
		try:
			doc = frappe.get_doc(DOCTYPE, name)
			doc.flags.ignore_permissions = True
			approvals.take_action(doc, "Expire")
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			raise  # the transaction is gone: the scheduler's next run expires them
		except Exception:
			frappe.db.rollback(save_point="korus_expire_offer")
			frappe.log_error(title=f"Price Offer {name} could not expire")
			continue
		expired.append(name)
	return expired
