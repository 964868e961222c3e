"""doc_events of Frappe's Contact: each customer's number of contacts (Customer.contact_count),
maintained on every write of a contact.

The company deletion guard (korus_crm.events.customer) reads that number from the Customer being
deleted as it was loaded, before ERPNext's Customer.on_trash deletes or unlinks its contacts.
"""

from __future__ import annotations

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count

from korus_crm.leads import conversion


def after_insert(doc, method=None) -> None:
	refresh_contact_counts(linked_customers(doc.links))


def on_update(doc, method=None) -> None:
	before = doc.get_doc_before_save()
	if before is None:
		return
	old, new = linked_customers(before.links), linked_customers(doc.links)
	if old != new:
		refresh_contact_counts(old | new)


def on_trash(doc, method=None) -> None:
	conversion.forget_document("Contact", doc.name)


def after_delete(doc, method=None) -> None:
	refresh_contact_counts(linked_customers(doc.links))


def linked_customers(links) -> set[str]:
	return {link.link_name for link in links or [] if link.link_doctype == "Customer" and link.link_name}


def refresh_contact_counts(customers: set[str] | list[str]) -> None:
	"""Store the number of contacts of each customer, counted once (grouped) from the links."""
	customers = [c for c in set(customers) if c]
	if not customers:
		return
	link = DocType("Dynamic Link")
	counted = dict(
		frappe.qb.from_(link)
		.select(link.link_name, Count("*"))
		.where(
			(link.parenttype == "Contact")
			& (link.link_doctype == "Customer")
			& link.link_name.isin(customers)
		)
		.groupby(link.link_name)
		.run()
	)
	for customer in customers:
		if frappe.db.exists("Customer", customer):
			frappe.db.set_value(
				"Customer", customer, "contact_count", counted.get(customer, 0), update_modified=False
			)
