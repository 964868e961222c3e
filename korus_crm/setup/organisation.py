"""The organisation Korus builds on: ERPNext's Company, Branch, Department, Employee; Branch made an
Accounting Dimension, so that Sales Orders, Invoices, Payments and the General Ledger carry it and
ERPNext's own reports filter by it."""

from __future__ import annotations

import frappe
from erpnext.accounts.doctype.accounting_dimension.accounting_dimension import (
	make_dimension_in_accounting_doctypes,
)

DIMENSION = "Branch"


def ensure_branch_dimension() -> str:
	"""The Branch Accounting Dimension and its fields on ERPNext's accounting doctypes (made now,
	not left to a background job: a site without workers gets them too)."""
	name = frappe.db.get_value("Accounting Dimension", {"document_type": DIMENSION})
	if name:
		dimension = frappe.get_doc("Accounting Dimension", name)
	else:
		dimension = frappe.get_doc({"doctype": "Accounting Dimension", "document_type": DIMENSION})
		dimension.insert(ignore_permissions=True)
	if not frappe.db.exists("Custom Field", {"dt": "Sales Order", "fieldname": dimension.fieldname}):
		make_dimension_in_accounting_doctypes(doc=dimension)
	return dimension.fieldname
