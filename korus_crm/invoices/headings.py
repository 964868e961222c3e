"""The Print Headings of Korus's invoices ("Correction Invoice", "Pro Forma Invoice";
korus_crm.rules.invoices.PRINT_HEADINGS), made at install and on migrate if missing (an
administrator's edits of their description are kept), removed on uninstall when unused."""

from __future__ import annotations

import frappe

from korus_crm.rules.invoices import PRINT_HEADINGS


def ensure_print_headings() -> None:
	for name, description in PRINT_HEADINGS:
		if not frappe.db.exists("Print Heading", name):
			frappe.get_doc(
				{"doctype": "Print Heading", "print_heading": name, "description": description}
			).insert(ignore_permissions=True)


def remove_print_headings() -> None:
	for name, _description in PRINT_HEADINGS:
		used = frappe.db.exists("Sales Invoice", {"select_print_heading": name})
		if frappe.db.exists("Print Heading", name) and not used:
			frappe.delete_doc("Print Heading", name, ignore_permissions=True, force=True)
