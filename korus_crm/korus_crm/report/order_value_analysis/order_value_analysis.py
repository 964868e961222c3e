# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Order Value Analysis (seed 003 "total sales by currency, product or customer"): approved contract
orders' value grouped by currency, item, item group or customer. Figures:
korus_crm.analytics.reports.order_values."""

from datetime import date
from typing import Literal

import frappe
from frappe import _

from korus_crm.analytics.reports import order_values
from korus_crm.boundary import report_filters

FILTERS = {
	"company": str | None,
	"from_date": date | None,
	"to_date": date | None,
	"group_by": Literal["Currency", "Item", "Item Group", "Customer"] | None,
	"customer": str | None,
	"owner": str | None,
}

GROUP_COLUMNS = {
	"Currency": ("Link", "Currency"),
	"Item": ("Link", "Item"),
	"Item Group": ("Link", "Item Group"),
	"Customer": ("Link", "Customer"),
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	group_by = filters.group_by or "Customer"
	data = order_values(filters)
	return columns(group_by), data, None, chart(data)


def columns(group_by: str) -> list[dict]:
	fieldtype, options = GROUP_COLUMNS[group_by]
	out = [
		{
			"fieldname": "group_value",
			"label": _(group_by),
			"fieldtype": fieldtype,
			"options": options,
			"width": 200,
		},
		{"fieldname": "orders", "label": _("Orders"), "fieldtype": "Int", "width": 80},
		{"fieldname": "qty", "label": _("Quantity"), "fieldtype": "Float", "width": 100},
	]
	if group_by == "Currency":
		out.append(
			{
				"fieldname": "value",
				"label": _("Value (Order Currency)"),
				"fieldtype": "Currency",
				"options": "group_value",
				"width": 160,
			}
		)
	return [
		*out,
		{
			"fieldname": "base_value",
			"label": _("Value (Company Currency)"),
			"fieldtype": "Currency",
			"width": 170,
		},
		{"fieldname": "share", "label": _("Share (%)"), "fieldtype": "Percent", "width": 100},
	]


def chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	top = data[:10]
	return {
		"data": {
			"labels": [r["group_value"] or "—" for r in top],
			"datasets": [{"name": _("Value (Company Currency)"), "values": [r["base_value"] for r in top]}],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}
