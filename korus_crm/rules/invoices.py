"""Invoice rules as plain functions (seed 001 Finanse; issue 14; docs/invoices.md).

Korus does no invoice arithmetic: an invoice is ERPNext's Sales Invoice, a correction invoice
(faktura korygująca) is ERPNext's return against it (`is_return`, `return_against`), and every
quantity, rate, amount and total is the one ERPNext computed. What is here is how they are shown:

- a correction invoice lists, per corrected line, the line before the correction (the original
  invoice's line with the corrections submitted before this one), the change (this return's line)
  and the line after it (`correction_lines`); the same for the totals (`correction_totals`);
- a correction invoice needs a reason (`reason_missing`);
- a pro forma invoice is a print of a Sales Order or a Contract Order under its own heading, with
  a number of its own from one naming series (`PROFORMA_SERIES`), given once and kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# Print Headings Korus creates (their names are shown translated): the correction invoice's title
# and the pro forma invoice's.
PRINT_HEADINGS = (
	("Correction Invoice", "Faktura korygująca: corrects an invoice (ERPNext's return against it)."),
	("Pro Forma Invoice", "Faktura proforma: a sales order or contract order, not a tax invoice."),
)
CORRECTION_HEADING, PROFORMA_HEADING = (name for name, _description in PRINT_HEADINGS)
# the heading ERPNext gives a return when it has one (make_return_doc); Korus's replaces it
ERPNEXT_RETURN_HEADINGS = ("Credit Note",)

# one series for the pro forma invoices of Sales Orders and Contract Orders: a number is never given
# twice, whichever document it went to
PROFORMA_SERIES = "PF-.YYYY.-.#####"

# the print formats (standard, module Korus CRM)
SALES_INVOICE_FORMAT = "Korus Sales Invoice"
CORRECTION_FORMAT = "Korus Correction Invoice"
PROFORMA_FORMATS = {
	"Sales Order": "Korus Pro Forma Invoice",
	"Contract Order": "Korus Pro Forma Contract Order",
}


def reason_missing(is_return: object, reason: object) -> bool:
	"""A return (correction invoice) without a reason, blanks not counting."""
	return bool(is_return) and not str(reason or "").strip()


def heading_for_return(current: str | None) -> str | None:
	"""The heading a correction invoice gets: Korus's, unless someone chose another one than
	ERPNext's default; None when it keeps its own."""
	if not current or current in ERPNEXT_RETURN_HEADINGS:
		return CORRECTION_HEADING
	return None


def _num(value: object) -> float:
	return float(value or 0)


def correction_lines(
	original: Iterable[Mapping],
	earlier: Iterable[Mapping],
	current: Iterable[Mapping],
	precision: int = 2,
) -> list[dict]:
	"""Each line of a correction invoice with its values before and after.

	`original`: the original invoice's lines (name, item_code, item_name, uom, qty, rate, amount);
	`earlier`: the lines of the corrections submitted before this one (sales_invoice_item, qty,
	amount); `current`: this correction's lines (sales_invoice_item, item_code, item_name, uom, qty,
	rate, amount), as ERPNext computed them (a return's quantities and amounts are negative).

	Before = the original line plus the earlier corrections of it; after = before plus this
	correction; a line's rate after is its amount over its quantity (the rate before when nothing is
	left). A line that corrects no original line starts from nothing."""
	by_name = {row["name"]: row for row in original}
	corrected: dict[str, list[float]] = {}
	for row in earlier:
		sums = corrected.setdefault(row.get("sales_invoice_item") or "", [0.0, 0.0])
		sums[0] += _num(row.get("qty"))
		sums[1] += _num(row.get("amount"))

	lines = []
	for idx, row in enumerate(current, start=1):
		source = by_name.get(row.get("sales_invoice_item") or "")
		earlier_qty, earlier_amount = corrected.get(row.get("sales_invoice_item") or "", (0.0, 0.0))
		if source:
			before_qty = _num(source.get("qty")) + earlier_qty
			before_amount = round(_num(source.get("amount")) + earlier_amount, precision)
			before_rate = _num(source.get("rate"))
			if earlier_qty and before_qty:
				before_rate = round(before_amount / before_qty, precision)
		else:
			before_qty = before_amount = before_rate = 0.0
		change_qty, change_amount = _num(row.get("qty")), _num(row.get("amount"))
		after_qty = before_qty + change_qty
		after_amount = round(before_amount + change_amount, precision)
		after_rate = round(after_amount / after_qty, precision) if after_qty else before_rate
		lines.append(
			{
				"idx": row.get("idx") or idx,
				"item_code": row.get("item_code"),
				"item_name": row.get("item_name") or (source or {}).get("item_name"),
				"uom": row.get("uom") or (source or {}).get("uom"),
				"original_line": (source or {}).get("idx"),
				"before_qty": before_qty,
				"before_rate": before_rate,
				"before_amount": before_amount,
				"change_qty": change_qty,
				"change_rate": _num(row.get("rate")),
				"change_amount": change_amount,
				"after_qty": after_qty,
				"after_rate": after_rate,
				"after_amount": after_amount,
			}
		)
	return lines


TOTALS = ("net_total", "total_taxes_and_charges", "grand_total")


def correction_totals(
	original: Mapping, earlier: Iterable[Mapping], current: Mapping, precision: int = 2
) -> dict[str, dict[str, float]]:
	"""The invoice's totals (net, taxes, grand: ERPNext's) before this correction (the original's
	with the earlier corrections'), this correction's, and after it: {total: {before, change, after}}."""
	earlier = list(earlier)
	out = {}
	for field in TOTALS:
		before = round(_num(original.get(field)) + sum(_num(e.get(field)) for e in earlier), precision)
		change = _num(current.get(field))
		out[field] = {"before": before, "change": change, "after": round(before + change, precision)}
	return out
