# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Lost Reasons: deals lost in the period per reason, count and value, optionally per owner and per
period. Figures: korus_crm.analytics.reports.lost_reasons."""

from datetime import date
from typing import Literal

import frappe
from frappe import _

from korus_crm.analytics.reports import lost_reasons
from korus_crm.boundary import report_filters

FILTERS = {
	"from_date": date | None,
	"to_date": date | None,
	"pipeline": str | None,
	"owner": str | None,
	"by_owner": bool | None,
	"period": Literal["Monthly", "Quarterly", "Yearly"] | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	data = lost_reasons(filters)
	return columns(filters), data, None, chart(data)


def columns(filters) -> list[dict]:
	out = [
		{
			"fieldname": "reason",
			"label": _("Lost Reason"),
			"fieldtype": "Link",
			"options": "Opportunity Lost Reason",
			"width": 220,
		}
	]
	if filters.by_owner:
		out.append(
			{
				"fieldname": "owner",
				"label": _("Deal Owner"),
				"fieldtype": "Link",
				"options": "User",
				"width": 180,
			}
		)
	if filters.period:
		out.append({"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 100})
	return [
		*out,
		{"fieldname": "deals", "label": _("Lost Deals"), "fieldtype": "Int", "width": 100},
		{"fieldname": "value", "label": _("Lost Value"), "fieldtype": "Currency", "width": 140},
	]


def chart(data: list[dict]) -> dict | None:
	totals: dict[str, int] = {}
	for r in data:
		key = r["reason"] or _("No reason given")
		totals[key] = totals.get(key, 0) + r["deals"]
	if not totals:
		return None
	return {
		"data": {
			"labels": list(totals),
			"datasets": [{"name": _("Lost Deals"), "values": list(totals.values())}],
		},
		"type": "pie",
	}
