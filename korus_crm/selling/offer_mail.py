"""Sending a price offer to the customer: its PDF (Print Format "Korus Price Offer") through
Frappe's Email Queue, with when and to whom recorded on the offer. Both ways of sending end here:
the API's `send_price_offer` (recipients and message given) and the Workflow's "Send" (to the
offer's contact email)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import now_datetime

from korus_crm.exceptions import EmailNotConfiguredError

DOCTYPE = "Price Offer"
PRINT_FORMAT = "Korus Price Offer"


def send(offer, recipients: str | list[str] | None = None, message: str | None = None) -> list[str]:
	"""Queue the offer's email and record it on the offer (in memory: the caller saves, or it is
	written here when the offer is not being saved)."""
	to = recipients_of(offer, recipients)
	ensure_outgoing_account()
	frappe.sendmail(
		recipients=to,
		subject=_("Price Offer {0}").format(offer.name),
		message=message or _("Please find our price offer {0} attached.").format(offer.name),
		attachments=[
			frappe.attach_print(DOCTYPE, offer.name, print_format=PRINT_FORMAT, file_name=offer.name)
		],
		reference_doctype=DOCTYPE,
		reference_name=offer.name,
	)
	offer.sent_on = now_datetime()
	offer.sent_to = ", ".join(to)
	return to


def ensure_outgoing_account() -> None:
	if not EmailAccount.find_outgoing(match_by_doctype=DOCTYPE):
		frappe.throw(
			_(
				"No email can be sent yet: set up an outgoing Email Account (Settings > Email Account, with"
				" 'Enable Outgoing' and 'Default Outgoing' checked) and send the offer again."
			),
			EmailNotConfiguredError,
			title=_("Email is not set up"),
			primary_action={
				"label": _("New Email Account"),
				"client_action": "frappe.new_doc",
				"args": "Email Account",
			},
		)


def recipients_of(offer, recipients: str | list[str] | None) -> list[str]:
	if isinstance(recipients, str):
		recipients = [r.strip() for r in recipients.replace(";", ",").split(",") if r.strip()]
	to = list(recipients or []) or [e for e in [offer.contact_email] if e]
	if not to and offer.quotation_to == "Customer":
		email = frappe.db.get_value("Customer", offer.party_name, "email_id")
		to = [email] if email else []
	if not to:
		frappe.throw(
			_("No email to send the offer to: fill in the offer's Contact Email."), frappe.ValidationError
		)
	for address in to:
		frappe.utils.validate_email_address(address, throw=True)
	return to
