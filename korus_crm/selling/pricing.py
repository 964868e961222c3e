"""ERPNext's selling engine prices Korus's offers and orders.

Korus never computes a rate, a discount, a tax or a total: it fills an ERPNext selling document
(a Quotation for an offer, a Sales Order for a contract order) with the requested lines, lets
ERPNext's own code price it (`set_missing_values` -> `get_item_details` with pricing rules, the
Sales Taxes and Charges Template, `calculate_taxes_and_totals`), and copies the figures back.
"""

from __future__ import annotations

import frappe
from frappe.utils import flt

LINE_FIGURES = ("price_list_rate", "discount_percentage", "rate", "amount", "pricing_rules")
TOTALS = (
	"total",
	"net_total",
	"total_taxes_and_charges",
	"grand_total",
	"rounded_total",
	"base_grand_total",
	"conversion_rate",
)


def tax_template(tax_policy: str | None) -> str | None:
	return frappe.db.get_value("Tax Policy", tax_policy, "sales_taxes_template") if tax_policy else None


def fill_lines(selling_doc, lines: list, rate_field: str, discount_field: str | None = None) -> None:
	"""Put the requested lines on an ERPNext selling document and let ERPNext price them; then apply
	what the salesperson agreed (a rate, or a discount on the list price) the way ERPNext's form
	does, leaving the arithmetic to calculate_taxes_and_totals.

	ERPNext re-applies pricing rules on every save unless the document ignores them, so, as in
	ERPNext, an agreed rate or discount on any line sets the document's Ignore Pricing Rule."""
	negotiated = any(
		flt(line.get(rate_field)) or (discount_field and flt(line.get(discount_field))) for line in lines
	)
	selling_doc.ignore_pricing_rule = 1 if negotiated else 0
	selling_doc.set("items", [])
	for line in lines:
		row = {"item_code": line.item_code, "qty": line.qty}
		if line.get("delivery_date"):
			row["delivery_date"] = line.delivery_date
		selling_doc.append("items", row)
	selling_doc.run_method("set_missing_values")
	for row, line in zip(selling_doc.items, lines, strict=True):
		agreed_rate = flt(line.get(rate_field))
		agreed_discount = flt(line.get(discount_field)) if discount_field else 0.0
		if agreed_rate:
			# a negotiated rate replaces list price and pricing rules for this line
			row.discount_percentage = 0
			row.discount_amount = 0
			row.margin_rate_or_amount = 0
			row.pricing_rules = ""
			row.rate = agreed_rate
		elif agreed_discount:
			row.pricing_rules = ""
			row.discount_percentage = agreed_discount
			row.rate = 0  # ERPNext derives it from the price list rate and the discount


def set_taxes(selling_doc, tax_policy: str | None) -> None:
	selling_doc.taxes_and_charges = tax_template(tax_policy)
	selling_doc.set("taxes", [])
	if selling_doc.taxes_and_charges:
		selling_doc.append_taxes_from_master()


def copy_figures(selling_doc, target, lines: list) -> None:
	"""The priced figures of the ERPNext document, back on the Korus document (display only)."""
	for row, line in zip(selling_doc.items, lines, strict=True):
		for field in LINE_FIGURES:
			if line.meta.has_field(field):
				line.set(field, row.get(field))
	for field in TOTALS:
		if target.meta.has_field(field):
			target.set(field, selling_doc.get(field))
	for field in ("currency", "selling_price_list"):
		if target.meta.has_field(field) and not target.get(field):
			target.set(field, selling_doc.get(field))
