# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Vehicle Mileage (seed 001 Pojazdy): the distance driven, fuel and cost of the submitted mileage
logs per vehicle, driver and month, in the user's data scope. Figures: korus_crm.vehicles.report."""

from datetime import date

import frappe
from frappe import _

from korus_crm.boundary import report_filters
from korus_crm.vehicles.report import mileage

FILTERS = {
	"company": str | None,
	"from_date": date | None,
	"to_date": date | None,
	"vehicle": str | None,
	"driver": str | None,
	"branch": str | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	data = mileage(filters)
	return columns(), data, None, chart(data)


def columns() -> list[dict]:
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "vehicle",
			"label": _("Vehicle"),
			"fieldtype": "Link",
			"options": "Vehicle",
			"width": 130,
		},
		{
			"fieldname": "driver",
			"label": _("Driver"),
			"fieldtype": "Link",
			"options": "Employee",
			"width": 130,
		},
		{"fieldname": "driver_name", "label": _("Driver Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "logs", "label": _("Trips"), "fieldtype": "Int", "width": 70},
		{"fieldname": "distance", "label": _("Distance"), "fieldtype": "Int", "width": 100},
		{"fieldname": "fuel_litres", "label": _("Fuel (Litres)"), "fieldtype": "Float", "width": 110},
		{"fieldname": "cost", "label": _("Cost"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "fuel_per_100_km", "label": _("Fuel per 100 km"), "fieldtype": "Float", "width": 120},
		{"fieldname": "cost_per_km", "label": _("Cost per km"), "fieldtype": "Currency", "width": 110},
	]


def chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	months = sorted({r["month"] for r in data})
	per_month = {m: 0 for m in months}
	for r in data:
		per_month[r["month"]] += r["distance"]
	return {
		"data": {"labels": months, "datasets": [{"name": _("Distance"), "values": list(per_month.values())}]},
		"type": "bar",
	}
