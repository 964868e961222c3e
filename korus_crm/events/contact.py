"""doc_events of Frappe's Contact.

When a Customer is deleted, ERPNext's Customer.on_trash deletes the contacts linked only to it and
unlinks the others, before any hook of ours can run (Frappe has no event before on_trash, and our
Customer on_trash hook runs after ERPNext's). These handlers note which contacts a customer's own
deletion removed, so that the Customer hook can refuse the deletion (its rollback restores them).
A contact deleted or unlinked by anything else is not noted.
"""

from __future__ import annotations

import sys

import frappe
from frappe.model.document import Document

FLAG = "korus_contacts_removed_by_customer_deletion"


def on_trash(doc, method=None) -> None:
	customer = customer_in_deletion()
	if customer and links_to(doc.links, customer):
		_note(customer, doc.name)


def validate(doc, method=None) -> None:
	customer = customer_in_deletion()
	if not customer or doc.is_new():
		return
	before = doc.get_doc_before_save()
	if before and links_to(before.links, customer) and not links_to(doc.links, customer):
		_note(customer, doc.name)


def links_to(links, customer: str) -> bool:
	return any(link.link_doctype == "Customer" and link.link_name == customer for link in links)


def customer_in_deletion() -> str | None:
	"""The Customer whose on_trash is running further up this call stack, if any."""
	frame = sys._getframe(1)
	while frame is not None:
		if frame.f_code.co_name == "on_trash":
			owner = frame.f_locals.get("self")
			if isinstance(owner, Document) and owner.doctype == "Customer":
				return owner.name
		frame = frame.f_back
	return None


def _note(customer: str, contact: str) -> None:
	removed = frappe.flags.get(FLAG)
	if removed is None:
		removed = frappe.flags[FLAG] = {}
	removed.setdefault(customer, []).append(contact)


def pop_unlinked_contacts(customer: str) -> list[str]:
	"""The contacts the deletion of `customer` removed (and forget them)."""
	removed = frappe.flags.get(FLAG) or {}
	return removed.pop(customer, [])
