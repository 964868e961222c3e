# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Weighted forecast: open deals' value times their stage probability, per pipeline and month of
expected close (company currency)."""

import frappe
from frappe import _

from korus_crm.api.forecast import forecast_rows
from korus_crm.boundary import report_filters

FILTERS = {"pipeline": str | None}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	columns = [
		{
			"fieldname": "pipeline",
			"label": _("Pipeline"),
			"fieldtype": "Link",
			"options": "Deal Pipeline",
			"width": 160,
		},
		{"fieldname": "month", "label": _("Expected Close"), "fieldtype": "Data", "width": 130},
		{"fieldname": "deals", "label": _("Open Deals"), "fieldtype": "Int", "width": 110},
		{"fieldname": "value", "label": _("Pipeline Value"), "fieldtype": "Currency", "width": 150},
		{"fieldname": "weighted_value", "label": _("Weighted Value"), "fieldtype": "Currency", "width": 150},
	]
	data = forecast_rows(filters.get("pipeline"))
	chart = {
		"data": {
			"labels": [f"{r['pipeline']} {r['month']}" for r in data],
			"datasets": [{"name": _("Weighted Value"), "values": [r["weighted_value"] for r in data]}],
		},
		"type": "bar",
	}
	return columns, data, None, chart
