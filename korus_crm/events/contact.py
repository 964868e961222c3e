"""doc_events of Frappe's Contact.

When a Customer is deleted, ERPNext's Customer.on_trash deletes the contacts linked only to it and
unlinks the others, before any hook of ours can run (Frappe has no event before on_trash). These
handlers note, for the current request, which customers lost contacts that way, so that the
Customer hook can refuse the deletion (and its rollback restores the contacts).
"""

from __future__ import annotations

import frappe

FLAG = "korus_contacts_unlinked_from_customer"


def on_trash(doc, method=None) -> None:
	for link in doc.links:
		if link.link_doctype == "Customer":
			_note(link.link_name, doc.name)


def validate(doc, method=None) -> None:
	before = doc.get_doc_before_save() if not doc.is_new() else None
	if not before:
		return
	now = {(link.link_doctype, link.link_name) for link in doc.links}
	for link in before.links:
		if link.link_doctype == "Customer" and (link.link_doctype, link.link_name) not in now:
			_note(link.link_name, doc.name)


def _note(customer: str, contact: str) -> None:
	unlinked = frappe.flags.get(FLAG)
	if unlinked is None:
		unlinked = frappe.flags[FLAG] = {}
	unlinked.setdefault(customer, []).append(contact)


def pop_unlinked_contacts(customer: str) -> list[str]:
	"""The contacts this request removed from `customer` (and forget them)."""
	unlinked = frappe.flags.get(FLAG) or {}
	return unlinked.pop(customer, [])
