"""Price Offer API: make one from a lead or deal, send it, accept or reject it, revise it. Every
lifecycle move goes through the offer's Workflow when it is active (so its role rules apply), or
through the controller's own guards when it is not."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow, get_workflow_name
from frappe.utils import add_days, getdate, now_datetime, nowdate

from korus_crm.exceptions import OfferStateError

DOCTYPE = "Price Offer"
PRINT_FORMAT = "Korus Price Offer"
DEFAULT_VALIDITY_DAYS = 30


@frappe.whitelist()
def make_price_offer(source_doctype: str, source_name: str):
	"""A new, unsaved offer from a Lead or a deal (Opportunity), as ERPNext's mappers do: its party,
	its deal, its items, a validity date. The desk opens it; scripts add items and insert it."""
	frappe.has_permission(DOCTYPE, "create", throw=True)
	source = frappe.get_doc(source_doctype, source_name)
	source.check_permission("read")
	offer = frappe.new_doc(DOCTYPE)
	if source_doctype == "Lead":
		offer.update({"quotation_to": "Lead", "party_name": source.name, "contact_email": source.email_id})
		company = source.company
	elif source_doctype == "Opportunity":
		offer.update(
			{
				"quotation_to": "Lead" if source.opportunity_from == "Lead" else "Customer",
				"party_name": source.party_name,
				"opportunity": source.name,
				"currency": source.currency,
				"contact_email": source.contact_email,
			}
		)
		company = source.company
		for item in source.get("items") or []:
			offer.append("items", {"item_code": item.item_code, "qty": item.qty})
	else:
		frappe.throw(_("A price offer is made from a Lead or a deal (Opportunity)."), frappe.ValidationError)
	offer.company = (
		company
		or frappe.defaults.get_user_default("Company")
		or frappe.defaults.get_global_default("company")
	)
	offer.valid_till = add_days(nowdate(), DEFAULT_VALIDITY_DAYS)
	return offer


@frappe.whitelist()
def make_price_offer_for(source_name: str, source_doctype: str | None = None, args: str | dict | None = None):
	"""The desk's "Create > Price Offer" (frappe.model.open_mapped_doc passes source_name and args)."""
	args = frappe.parse_json(args) if args else {}
	return make_price_offer(source_doctype or args.get("source_doctype"), source_name)


def move(offer, action: str, status: str) -> None:
	"""Move the offer with its workflow's action when the workflow is active, else directly (the
	controller still enforces the lifecycle and its guards)."""
	if get_workflow_name(DOCTYPE):
		apply_workflow(offer, action)
		return
	offer.status = status
	if offer.docstatus == 0 and status == "Approved":
		offer.submit()
	else:
		offer.save()


@frappe.whitelist(methods=["POST"])
def approve_price_offer(offer: str) -> dict:
	doc = frappe.get_doc(DOCTYPE, offer)
	doc.check_permission("submit")
	move(doc, "Approve", "Approved")
	doc.reload()
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def send_price_offer(offer: str, recipients: str | list | None = None, message: str | None = None) -> dict:
	"""Email the offer's PDF (Print Format "Korus Price Offer") to the customer through Frappe's
	Email Queue, record when and to whom, and mark it Sent."""
	doc = frappe.get_doc(DOCTYPE, offer)
	doc.check_permission("write")
	if doc.status not in ("Approved", "Sent"):
		frappe.throw(
			_("Only an approved offer can be sent (this one is {0}).").format(_(doc.status)), OfferStateError
		)
	to = recipients_of(doc, recipients)
	frappe.sendmail(
		recipients=to,
		subject=_("Price Offer {0}").format(doc.name),
		message=message or _("Please find our price offer {0} attached.").format(doc.name),
		attachments=[frappe.attach_print(DOCTYPE, doc.name, print_format=PRINT_FORMAT, file_name=doc.name)],
		reference_doctype=DOCTYPE,
		reference_name=doc.name,
	)
	# recorded first: the workflow reloads the document when it moves it
	doc.db_set({"sent_on": now_datetime(), "sent_to": ", ".join(to)}, update_modified=False)
	if doc.status == "Approved":
		move(doc, "Send", "Sent")
	doc.reload()
	return {"name": doc.name, "status": doc.status, "sent_to": doc.sent_to, "sent_on": doc.sent_on}


def recipients_of(doc, recipients) -> list[str]:
	if isinstance(recipients, str):
		recipients = [r.strip() for r in recipients.replace(";", ",").split(",") if r.strip()]
	to = list(recipients or []) or [e for e in [doc.contact_email] if e]
	if not to and doc.quotation_to == "Customer":
		email = frappe.db.get_value("Customer", doc.party_name, "email_id")
		to = [email] if email else []
	if not to:
		frappe.throw(_("No email to send the offer to: fill in Send To."), frappe.ValidationError)
	return to


@frappe.whitelist(methods=["POST"])
def accept_price_offer(offer: str) -> dict:
	"""The customer accepted: recorded with user and date; a Contract Order is made and the deal
	moves to its pipeline's won stage."""
	doc = frappe.get_doc(DOCTYPE, offer)
	doc.check_permission("write")
	doc.check_not_expired()
	move(doc, "Accept", "Accepted")
	doc.reload()
	return {"name": doc.name, "status": doc.status, "contract_order": doc.contract_order}


@frappe.whitelist(methods=["POST"])
def reject_price_offer(offer: str) -> dict:
	doc = frappe.get_doc(DOCTYPE, offer)
	doc.check_permission("write")
	move(doc, "Reject", "Rejected")
	doc.reload()
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def make_revision(offer: str) -> str:
	"""Changing a submitted (sent) offer: the old one is cancelled and kept; the new revision is its
	amendment (amended_from), priced again, and shows what changed."""
	old = frappe.get_doc(DOCTYPE, offer)
	old.check_permission("write")
	if old.docstatus != 1 or old.status in ("Accepted",):
		frappe.throw(_("Only an approved or sent offer is revised; edit a draft directly."), OfferStateError)
	if get_workflow_name(DOCTYPE):
		apply_workflow(old, "Revise")
	else:
		old.flags.ignore_permissions = True
		old.cancel()
	new = frappe.copy_doc(old)
	new.docstatus = 0
	new.amended_from = old.name
	new.status = "Draft"
	new.quotation = None
	new.insert()
	return new.name


def expire_offers() -> list[str]:
	"""Daily: sent offers past their validity date become Expired."""
	expired = []
	for name in frappe.get_all(
		DOCTYPE,
		filters={"status": "Sent", "docstatus": 1, "valid_till": ("<", getdate(nowdate()))},
		pluck="name",
	):
		doc = frappe.get_doc(DOCTYPE, name)
		doc.flags.ignore_permissions = True
		doc.flags.expiring = True
		move(doc, "Expire", "Expired")
		expired.append(name)
	return expired
