"""One timeline from deal to payment (the deal form's "Quote to Cash" section): its offers with
status and revision, its contract order, the Sales Order, Delivery Notes, Sales Invoices and
Payment Entries, in order, with amounts and links.

Read through the user's permissions (docs/permissions.md): offers and orders the user may not read
are left out; an ERPNext document the user may not open (a Sales User has no access to invoices
and payments in ERPNext) is shown as its kind, date and status only, without its number, amount or
link."""

from __future__ import annotations

import frappe

from korus_crm.boundary import whitelist
from korus_crm.selling.contract_orders import deliveries_of, invoices_of, payments_of


@whitelist()
def get_deal_timeline(deal: str) -> list[dict]:
	opportunity = frappe.get_doc("Opportunity", deal)
	opportunity.check_permission("read")
	events: list[dict] = []
	for offer in frappe.get_list(
		"Price Offer",
		filters={"opportunity": deal},
		fields=["name", "status", "revision", "grand_total", "currency", "creation"],
		order_by="creation asc",
	):
		events.append(
			entry(
				"Price Offer",
				offer.name,
				offer.creation,
				offer.grand_total,
				offer.currency,
				offer.status,
				revision=offer.revision,
			)
		)
	for order in frappe.get_list(
		"Contract Order",
		filters={"opportunity": deal},
		fields=["name", "status", "grand_total", "currency", "creation", "sales_order"],
		order_by="creation asc",
	):
		events.append(
			entry(
				"Contract Order", order.name, order.creation, order.grand_total, order.currency, order.status
			)
		)
		if not order.sales_order:
			continue
		events.extend(erpnext_documents("Sales Order", [order.sales_order]))
		events.extend(erpnext_documents("Delivery Note", deliveries_of(order.sales_order)))
		invoices = invoices_of(order.sales_order)
		events.extend(erpnext_documents("Sales Invoice", invoices))
		events.extend(erpnext_documents("Payment Entry", payments_of(invoices)))
	return events


AMOUNT = {
	"Sales Order": "grand_total",
	"Delivery Note": "grand_total",
	"Sales Invoice": "grand_total",
	"Payment Entry": "paid_amount",
}
CURRENCY = {"Payment Entry": "paid_from_account_currency"}


def erpnext_documents(doctype: str, names: list[str]) -> list[dict]:
	"""The documents of the chain, as the user may see them."""
	if not names:
		return []
	amount = AMOUNT[doctype]
	currency = CURRENCY.get(doctype, "currency")
	rows = frappe.get_all(
		doctype,
		filters={"name": ("in", names)},
		fields=["name", "status", amount, currency, "creation"],
		order_by="creation asc",
	)
	return [
		entry(doctype, r.name, r.creation, r.get(amount), r.get(currency), r.status)
		if frappe.has_permission(doctype, "read", doc=r.name)
		else entry(doctype, None, r.creation, None, None, r.status, restricted=True)
		for r in rows
	]


def entry(doctype: str, name: str | None, when, amount, currency, status, **extra) -> dict:
	return {
		"doctype": doctype,
		"name": name,
		"date": when,
		"amount": amount,
		"currency": currency,
		"status": status,
		"route": f"/app/{frappe.scrub(doctype).replace('_', '-')}/{name}" if name else None,
		**extra,
	}
