"""doc_events of ERPNext's Delivery Note: with "Make the Sales Invoice: On Delivery" (Korus CRM
Settings), delivering a contract order's goods makes its receivable (ERPNext's own mapper)."""

from __future__ import annotations

import frappe
from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

from korus_crm.selling.contract_orders import invoice_on_approval, submit_invoice


def on_submit(doc, method=None) -> None:
	if invoice_on_approval():
		return
	orders = {row.against_sales_order for row in doc.items if row.against_sales_order}
	for sales_order in orders:
		contract = frappe.db.get_value(
			"Contract Order",
			{"sales_order": sales_order, "docstatus": 1},
			["name", "payment_terms_template"],
			as_dict=True,
		)
		if not contract:
			continue
		invoice = submit_invoice(make_sales_invoice(doc.name), contract.payment_terms_template)
		if not frappe.db.get_value("Contract Order", contract.name, "sales_invoice"):
			frappe.db.set_value(
				"Contract Order", contract.name, "sales_invoice", invoice, update_modified=False
			)
