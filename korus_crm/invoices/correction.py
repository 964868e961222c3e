"""Correction invoices (faktura korygująca): ERPNext's return against a Sales Invoice (`is_return`,
`return_against`, made with erpnext's `make_sales_return`), with a reason Korus requires.

- `validate` (Sales Invoice validate): a return without a reason is refused (a typed, translated
  error: 417); a return is titled with Korus's "Correction Invoice" Print Heading unless another
  heading than ERPNext's default was chosen.
- `correction_invoice(doc)` (a Jinja method of the "Korus Correction Invoice" print format): the
  original invoice, and per line the values before this correction (the original line with the
  corrections submitted before this one), the change (this return's line) and after; the rules are
  korus_crm.rules.invoices. Three queries, whatever the number of lines.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import get_datetime
from pypika.terms import Criterion

from korus_crm.exceptions import CorrectionReasonRequiredError
from korus_crm.rules import invoices as rules
from korus_crm.setup.invoices import REASON_FIELD

ORIGINAL_FIELDS = ("name", "posting_date", "currency", "customer", "customer_name", *rules.TOTALS)
LINE_FIELDS = ("name", "idx", "item_code", "item_name", "uom", "qty", "rate", "amount")


def validate(doc, method=None) -> None:
	if not doc.get("is_return"):
		return
	if rules.reason_missing(doc.is_return, doc.get(REASON_FIELD)):
		frappe.throw(
			_("A correction invoice needs a reason: say why invoice {0} is corrected.").format(
				doc.return_against or ""
			),
			CorrectionReasonRequiredError,
			title=_("Correction Reason"),
		)
	heading = rules.heading_for_return(doc.get("select_print_heading"))
	if heading and frappe.db.exists("Print Heading", heading):
		doc.select_print_heading = heading


def _earlier_returns(doc) -> list[str]:
	"""The corrections of the same invoice submitted before this one (by posting date, then creation)."""
	if not doc.return_against:
		return []
	si = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(si)
		.select(si.name)
		.where(
			(si.return_against == doc.return_against)
			& (si.is_return == 1)
			& (si.docstatus == 1)
			& (si.name != (doc.name or ""))
		)
	)
	if not doc.is_new() and doc.docstatus == 1 and doc.posting_date:
		creation = get_datetime(doc.creation)
		query = query.where(
			Criterion.any(
				[
					si.posting_date < doc.posting_date,
					(si.posting_date == doc.posting_date) & (si.creation < creation),
				]
			)
		)
	return [row[0] for row in query.run()]


def correction_invoice(doc) -> frappe._dict:
	"""What the correction invoice prints: the original invoice, the lines and totals before and
	after (ERPNext's figures), the reason."""
	precision = frappe.get_precision("Sales Invoice Item", "amount") or 2
	original = (
		frappe.db.get_value("Sales Invoice", doc.return_against, ORIGINAL_FIELDS, as_dict=True)
		if doc.get("return_against")
		else None
	) or frappe._dict()
	original_lines = (
		frappe.get_all(
			"Sales Invoice Item",
			filters={"parenttype": "Sales Invoice", "parent": original.name},
			fields=LINE_FIELDS,
			order_by="idx asc",
		)
		if original.name
		else []
	)
	earlier_names = _earlier_returns(doc)
	earlier_lines = (
		frappe.get_all(
			"Sales Invoice Item",
			filters={"parenttype": "Sales Invoice", "parent": ["in", earlier_names]},
			fields=["sales_invoice_item", "qty", "amount"],
		)
		if earlier_names
		else []
	)
	earlier_totals = (
		frappe.get_all("Sales Invoice", filters={"name": ["in", earlier_names]}, fields=list(rules.TOTALS))
		if earlier_names
		else []
	)
	current = [
		{
			"idx": row.idx,
			"sales_invoice_item": row.get("sales_invoice_item"),
			"item_code": row.item_code,
			"item_name": row.item_name,
			"uom": row.uom,
			"qty": row.qty,
			"rate": row.rate,
			"amount": row.amount,
		}
		for row in doc.items
	]
	return frappe._dict(
		original=original,
		earlier=earlier_names,
		lines=[
			frappe._dict(line)
			for line in rules.correction_lines(original_lines, earlier_lines, current, precision)
		],
		totals=frappe._dict(
			{
				field: frappe._dict(values)
				for field, values in rules.correction_totals(
					original, earlier_totals, {f: doc.get(f) for f in rules.TOTALS}, precision
				).items()
			}
		),
		reason=doc.get(REASON_FIELD) or "",
	)
