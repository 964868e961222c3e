# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A price offer: a Korus workflow (approval, sending, revisions, acceptance) around an ERPNext
Quotation, which holds the priced lines and totals (see docs/quote-to-cash.md)."""

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate

from korus_crm import approvals
from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import OfferStateError
from korus_crm.rules import offers as rules
from korus_crm.selling import offer_mail, pricing
from korus_crm.selling.contract_orders import accept_offer


class PriceOffer(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from korus_crm.korus_crm.doctype.price_offer_item.price_offer_item import PriceOfferItem

		amended_from: DF.Link | None
		approved_by: DF.Link | None
		base_grand_total: DF.Currency
		company: DF.Link
		contact_email: DF.Data | None
		contract_order: DF.Link | None
		conversion_rate: DF.Float
		currency: DF.Link | None
		customer_name: DF.Data | None
		decided_by: DF.Link | None
		decided_on: DF.Date | None
		grand_total: DF.Currency
		items: DF.Table[PriceOfferItem]
		max_manual_discount: DF.Percent
		naming_series: DF.Literal["KOR-OFR-.YYYY.-"]
		needs_manager_approval: DF.Check
		offer_owner: DF.Link | None
		net_total: DF.Currency
		opportunity: DF.Link | None
		party_name: DF.DynamicLink
		quotation: DF.Link | None
		quotation_to: DF.Literal["Customer", "Lead"]
		revision: DF.Int
		rounded_total: DF.Currency
		selling_price_list: DF.Link | None
		sent_on: DF.Datetime | None
		sent_to: DF.SmallText | None
		status: DF.Literal[
			"Draft", "Pending Approval", "Approved", "Sent", "Accepted", "Rejected", "Expired", "Cancelled"
		]
		tax_policy: DF.Link | None
		terms: DF.TextEditor | None
		title: DF.Data | None
		total: DF.Currency
		total_taxes_and_charges: DF.Currency
		transaction_date: DF.Date
		valid_till: DF.Date
	# end: auto-generated types

	def onload(self) -> None:
		if self.amended_from:
			self.set_onload("changes", [c.__dict__ for c in self.changes_since_previous_revision()])
		self.set_onload("actions", approvals.available_actions(self) if not self.is_new() else [])

	def before_insert(self) -> None:
		if self.amended_from:
			self.revision = (frappe.db.get_value("Price Offer", self.amended_from, "revision") or 0) + 1
			self.status = "Draft"

	def validate(self) -> None:
		# ERPNext prices the offer below: what it needs must be there first (Frappe checks mandatory
		# fields only after validate)
		self._validate_mandatory()
		self.set_party_name()
		self.set_title()
		self.validate_dates()
		self.price_with_erpnext()
		self.set_approval_need()
		if self.docstatus == 0:
			approvals.guard(self)

	def before_submit(self) -> None:
		approvals.state_on_submit(self)
		approvals.guard(self)
		self.approved_by = frappe.session.user

	def on_submit(self) -> None:
		quotation = frappe.get_doc("Quotation", self.quotation)
		quotation.flags.ignore_permissions = True
		quotation.submit()

	def before_update_after_submit(self) -> None:
		approvals.guard(self)
		if not self.has_value_changed("status"):
			return
		if self.status in ("Accepted", "Rejected"):
			self.check_not_expired()
			self.decided_by = frappe.session.user
			self.decided_on = nowdate()
		if self.status == "Sent" and not self.sent_on:
			# sent from the Workflow's "Send" (the API has sent it and recorded it already)
			offer_mail.send(self)

	def on_update_after_submit(self) -> None:
		if self.has_value_changed("status") and self.status == "Accepted":
			accept_offer(self)

	def before_cancel(self) -> None:
		approvals.state_on_cancel(self)
		approvals.guard(self)

	def on_cancel(self) -> None:
		if self.quotation and frappe.db.get_value("Quotation", self.quotation, "docstatus") == 1:
			quotation = frappe.get_doc("Quotation", self.quotation)
			quotation.flags.ignore_permissions = True
			quotation.cancel()

	def on_trash(self) -> None:
		"""A draft offer takes its draft Quotation (Korus made it to price the offer) with it."""
		quotation = self.quotation
		if quotation and frappe.db.get_value("Quotation", quotation, "docstatus") == 0:
			self.db_set("quotation", None, update_modified=False)
			frappe.delete_doc("Quotation", quotation, ignore_permissions=True, force=True)

	def approval_note(self) -> str | None:
		"""Why the user may not approve (the guard's message)."""
		if self.needs_manager_approval:
			return _(
				"This offer's discount ({0}%) is above the approval threshold: a {1} must approve it."
			).format(flt(self.max_manual_discount, 2), _("Sales Manager"))
		return None

	# --- validate ---

	def set_party_name(self) -> None:
		if self.quotation_to == "Customer":
			self.customer_name = frappe.db.get_value("Customer", self.party_name, "customer_name")
		else:
			lead = (
				frappe.db.get_value(
					"Lead", self.party_name, ["lead_name", "company_name", "email_id"], as_dict=True
				)
				or {}
			)
			self.customer_name = lead.get("company_name") or lead.get("lead_name")
			self.contact_email = self.contact_email or lead.get("email_id")

	def set_title(self) -> None:
		self.title = self.title or _("Offer to {0}").format(self.customer_name or self.party_name)

	def validate_dates(self) -> None:
		if self.valid_till and getdate(self.valid_till) < getdate(self.transaction_date):
			frappe.throw(_("Valid Till cannot be before the offer's date."), frappe.ValidationError)

	def price_with_erpnext(self) -> None:
		"""Keep the draft Quotation in step with the offer's lines and copy ERPNext's figures back."""
		if self.docstatus != 0:
			return
		quotation = self.draft_quotation()
		quotation.update(
			{
				"quotation_to": self.quotation_to,
				"party_name": self.party_name,
				"company": self.company,
				"transaction_date": self.transaction_date,
				"valid_till": self.valid_till,
				"opportunity": self.opportunity,
				# the deal's campaign, which ERPNext's mappers carry on to the order and invoice
				"campaign": frappe.db.get_value("Opportunity", self.opportunity, "campaign")
				if self.opportunity
				else None,
				"currency": self.currency,
				"selling_price_list": self.selling_price_list,
				"terms": self.terms,
				"order_type": "Sales",
			}
		)
		if self.currency and quotation.get("currency") != self.currency:
			quotation.conversion_rate = None
		pricing.fill_lines(quotation, self.items, "requested_rate", "requested_discount")
		pricing.set_taxes(quotation, self.tax_policy)
		quotation.flags.ignore_permissions = True
		quotation.save()
		self.quotation = quotation.name
		pricing.copy_figures(quotation, self, self.items)

	def draft_quotation(self):
		if self.quotation and frappe.db.get_value("Quotation", self.quotation, "docstatus") == 0:
			return frappe.get_doc("Quotation", self.quotation)
		return frappe.new_doc("Quotation")

	def set_approval_need(self) -> None:
		discounts = [
			rules.manual_discount(
				flt(line.price_list_rate), flt(line.requested_rate) or None, flt(line.requested_discount)
			)
			for line in self.items
		]
		self.max_manual_discount = max(discounts, default=0)
		threshold = frappe.db.get_single_value("Korus CRM Settings", "offer_discount_threshold")
		self.needs_manager_approval = int(rules.needs_manager_approval(discounts, flt(threshold)))

	def check_not_expired(self) -> None:
		if rules.is_expired(getdate(self.valid_till), getdate(nowdate())):
			frappe.throw(
				_("Offer {0} expired on {1} and can no longer be accepted or rejected.").format(
					frappe.bold(self.name), frappe.format(self.valid_till, {"fieldtype": "Date"})
				),
				OfferStateError,
			)

	# --- revisions ---

	def changes_since_previous_revision(self) -> list[rules.Change]:
		previous = frappe.get_doc("Price Offer", self.amended_from)

		def lines(doc):
			return [{"item_code": d.item_code, "qty": d.qty, "rate": d.rate} for d in doc.items]

		def fields(doc):
			return {
				"valid_till": str(doc.valid_till),
				"terms": doc.terms or "",
				"tax_policy": doc.tax_policy,
				"currency": doc.currency,
				"grand_total": flt(doc.grand_total, 2),
			}

		return rules.diff_revisions(lines(previous), lines(self), fields(previous), fields(self))
