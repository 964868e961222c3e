"""Finding what a journey made in the browser, to register it in the `committed` fixture.

Journeys assert on, and clean up by, ERPNext's own records (Customer.lead_name, Opportunity.party_name,
Dynamic Links of Contacts), and delete whatever Korus's own doctypes hold about them by reading their
Link fields from the metadata, so that a change of Korus's data model does not leave records behind.
"""

from __future__ import annotations

import frappe

from tests.integration.support import CommittedRecords


def links_to(doctype: str, name: str) -> list[tuple[str, str]]:
	"""(doctype, name) of every record of a Korus doctype (module "Korus CRM", not a child table)
	with a Link field to `doctype` set to `name`."""
	korus = frappe.get_all(
		"DocType", filters={"module": "Korus CRM", "istable": 0, "issingle": 0}, pluck="name"
	)
	fields = frappe.get_all(
		"DocField",
		filters={"parent": ["in", korus], "fieldtype": "Link", "options": doctype},
		fields=["parent", "fieldname"],
	)
	fields += frappe.get_all(
		"Custom Field",
		filters={"dt": ["in", korus], "fieldtype": "Link", "options": doctype},
		fields=["dt as parent", "fieldname"],
	)
	found = []
	for field in fields:
		for record in frappe.get_all(field.parent, filters={field.fieldname: name}, pluck="name"):
			found.append((field.parent, record))
	return found


def contacts_linked_to(doctype: str, name: str) -> list[str]:
	return frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "link_doctype": doctype, "link_name": name},
		pluck="parent",
	)


def register_lead_conversion(committed: CommittedRecords, lead: str) -> dict[str, list[str]]:
	"""Register (for deletion, before the lead) what converting `lead` committed: its customers
	(Customer.lead_name), their and the lead's contacts, their deals (Opportunity.party_name) and the
	Korus records pointing at any of them (stage history, conversion records...). Returns them."""
	frappe.db.rollback()  # see what the browser's requests committed
	customers = frappe.get_all("Customer", filters={"lead_name": lead}, pluck="name")
	contacts = sorted(
		{c for customer in customers for c in contacts_linked_to("Customer", customer)}
		| set(contacts_linked_to("Lead", lead))
	)
	deals = frappe.get_all("Opportunity", filters={"party_name": ["in", [*customers, lead]]}, pluck="name")
	made = {"Customer": customers, "Contact": contacts, "Opportunity": deals}
	for doctype, names in made.items():
		for name in names:
			committed.add(doctype, name)
	korus = []
	for doctype, names in (*made.items(), ("Lead", [lead])):
		for name in names:
			korus += [r for r in links_to(doctype, name) if r not in korus]
	for doctype, name in korus:
		committed.add(doctype, name)
	return {**made, "korus": [f"{d} {n}" for d, n in korus]}
