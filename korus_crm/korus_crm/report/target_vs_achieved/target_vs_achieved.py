# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Target vs Achieved (seed 004 回款计划): each sales target of a fiscal year beside what was achieved
(orders, invoices, collections or new customers), per month, quarter or the year, with the
completion rate; each row links to the documents behind its achieved figure. What counts and how it
scales: korus_crm.analytics.targets."""

from __future__ import annotations

from typing import Literal

import frappe
from frappe import _

from korus_crm.analytics.targets import target_rows
from korus_crm.boundary import report_filters
from korus_crm.exceptions import InvalidInputError
from korus_crm.rules import targets as rules

FILTERS = {
	"fiscal_year": str | None,
	"period": Literal["Monthly", "Quarterly", "Yearly"] | None,
	"metric": Literal["Order Value", "Invoiced Value", "Collected Value", "New Customers"] | None,
	"target_for": Literal["Employee", "Department", "Company"] | None,
	"employee": str | None,
	"department": str | None,
	"company": str | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	if not filters.fiscal_year:
		frappe.throw(_("Choose a fiscal year."), InvalidInputError)
	if not frappe.db.exists("Fiscal Year", filters.fiscal_year):
		frappe.throw(
			_("{0} is not a fiscal year.").format(frappe.bold(filters.fiscal_year)), InvalidInputError
		)
	frappe.has_permission("Korus Sales Target", "read", throw=True)
	periods, rows = target_rows(
		filters.fiscal_year,
		filters.period or rules.MONTHLY,
		metric=filters.metric,
		target_for=filters.target_for,
		employee=filters.employee,
		department=filters.department,
		company=filters.company,
	)
	for row in rows:
		row["metric_label"] = _(row["metric"])
		row["target_for_label"] = _(row["target_for"])
	return columns(periods), rows, None, chart(periods, rows)


def columns(periods: list[rules.Period]) -> list[dict]:
	out = [
		{
			"fieldname": "target",
			"label": _("Sales Target"),
			"fieldtype": "Link",
			"options": "Korus Sales Target",
			"width": 110,
		},
		{"fieldname": "target_name", "label": _("Target For"), "fieldtype": "Data", "width": 170},
		{"fieldname": "target_for_label", "label": _("Level"), "fieldtype": "Data", "width": 100},
		{"fieldname": "metric_label", "label": _("Metric"), "fieldtype": "Data", "width": 130},
	]
	for p in periods:
		out += [
			{"fieldname": f"target_{p.key}", "label": _("Target ({0})").format(p.label), "fieldtype": "Float", "width": 130},
			{"fieldname": f"achieved_{p.key}", "label": _("Achieved ({0})").format(p.label), "fieldtype": "Float", "width": 130},
			{"fieldname": f"rate_{p.key}", "label": _("Completion ({0})").format(p.label), "fieldtype": "Percent", "width": 120},
		]  # fmt: skip
	out += [
		{"fieldname": "total_target", "label": _("Year Target"), "fieldtype": "Float", "width": 130},
		{"fieldname": "total_achieved", "label": _("Year Achieved"), "fieldtype": "Float", "width": 130},
		{"fieldname": "total_rate", "label": _("Year Completion"), "fieldtype": "Percent", "width": 120},
		{"fieldname": "documents", "label": _("Documents"), "fieldtype": "Data", "width": 110},
	]
	return out


def chart(periods: list[rules.Period], rows: list[dict]) -> dict | None:
	"""Target and achieved per period, of the first row (the report's chart shows one target)."""
	if not rows:
		return None
	row = rows[0]
	return {
		"data": {
			"labels": [p.label for p in periods],
			"datasets": [
				{"name": _("Target"), "values": [row[f"target_{p.key}"] for p in periods]},
				{"name": _("Achieved"), "values": [row[f"achieved_{p.key}"] or 0 for p in periods]},
			],
		},
		"type": "bar",
	}
