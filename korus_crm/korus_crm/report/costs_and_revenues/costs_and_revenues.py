# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Costs and Revenues (seed 001 Finanse): the submitted costs and revenues per month and branch, and
their result, in the user's read conditions. Figures: korus_crm.finance.reports."""

from datetime import date

import frappe
from frappe import _

from korus_crm.boundary import report_filters
from korus_crm.finance.reports import costs_and_revenues

FILTERS = {
	"company": str | None,
	"from_date": date | None,
	"to_date": date | None,
	"branch": str | None,
	"category": str | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	data = costs_and_revenues(filters)
	return columns(), data, None, chart(data)


def columns() -> list[dict]:
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 90},
		{"fieldname": "branch", "label": _("Branch"), "fieldtype": "Link", "options": "Branch", "width": 160},
		{"fieldname": "entries", "label": _("Entries"), "fieldtype": "Int", "width": 80},
		{"fieldname": "costs", "label": _("Costs"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "revenues", "label": _("Revenues"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "result", "label": _("Result"), "fieldtype": "Currency", "width": 130},
	]


def chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	months = sorted({r["month"] for r in data})
	costs = dict.fromkeys(months, 0.0)
	revenues = dict.fromkeys(months, 0.0)
	for r in data:
		costs[r["month"]] += r["costs"]
		revenues[r["month"]] += r["revenues"]
	return {
		"data": {
			"labels": months,
			"datasets": [
				{"name": _("Costs"), "values": list(costs.values())},
				{"name": _("Revenues"), "values": list(revenues.values())},
			],
		},
		"type": "bar",
	}
