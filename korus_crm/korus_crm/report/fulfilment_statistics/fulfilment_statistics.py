# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Fulfilment Statistics (seed 003 "track fulfilment rates and outstanding deliveries"): per period,
what approved contract orders ordered, and how much of it ERPNext has delivered, invoiced and been
paid; the deliveries outstanding. Figures: korus_crm.analytics.reports.fulfilment."""

from datetime import date
from typing import Literal

import frappe
from frappe import _

from korus_crm.analytics.reports import fulfilment
from korus_crm.boundary import report_filters

FILTERS = {
	"company": str | None,
	"from_date": date | None,
	"to_date": date | None,
	"period": Literal["Monthly", "Quarterly", "Yearly"] | None,
	"customer": str | None,
	"owner": str | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	data, message = fulfilment(filters)
	return columns(), data, message, chart(data)


def columns() -> list[dict]:
	def money(fieldname: str, label: str) -> dict:
		return {"fieldname": fieldname, "label": label, "fieldtype": "Currency", "width": 130}

	def rate(fieldname: str, label: str) -> dict:
		return {"fieldname": fieldname, "label": label, "fieldtype": "Percent", "width": 110}

	return [
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 100},
		{"fieldname": "orders", "label": _("Orders"), "fieldtype": "Int", "width": 80},
		money("ordered", _("Ordered")),
		money("delivered", _("Delivered")),
		rate("delivered_rate", _("Delivered (%)")),
		money("invoiced", _("Invoiced")),
		rate("invoiced_rate", _("Invoiced (%)")),
		money("paid", _("Paid")),
		rate("paid_rate", _("Paid (%)")),
		money("to_deliver", _("To Deliver")),
		{
			"fieldname": "undelivered_orders",
			"label": _("Orders Not Fully Delivered"),
			"fieldtype": "Int",
			"width": 150,
		},
		money("to_collect", _("To Collect")),
	]


def chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [r["period"] for r in data],
			"datasets": [
				{"name": label, "values": [r[field] or 0 for r in data]}
				for field, label in (
					("ordered", _("Ordered")),
					("delivered", _("Delivered")),
					("invoiced", _("Invoiced")),
					("paid", _("Paid")),
				)
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}
