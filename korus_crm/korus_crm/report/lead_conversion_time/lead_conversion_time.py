# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Lead Conversion Time: days from a lead's creation to its conversion, per source or per lead
owner, for leads converted in the period. Figures: korus_crm.analytics.reports.conversion_times."""

from datetime import date
from typing import Literal

import frappe
from frappe import _

from korus_crm.analytics.reports import conversion_times
from korus_crm.boundary import report_filters

FILTERS = {
	"from_date": date | None,
	"to_date": date | None,
	"group_by": Literal["Source", "Owner"] | None,
	"source": str | None,
	"owner": str | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	group_by = filters.group_by or "Source"
	return columns(group_by), conversion_times(filters)


def columns(group_by: str) -> list[dict]:
	first = (
		{
			"fieldname": "group_value",
			"label": _("Source"),
			"fieldtype": "Link",
			"options": "Lead Source",
			"width": 200,
		}
		if group_by == "Source"
		else {
			"fieldname": "group_value",
			"label": _("Lead Owner"),
			"fieldtype": "Link",
			"options": "User",
			"width": 200,
		}
	)
	return [
		first,
		{"fieldname": "conversions", "label": _("Converted Leads"), "fieldtype": "Int", "width": 130},
		{
			"fieldname": "average_days",
			"label": _("Average Days"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 130,
		},
		{
			"fieldname": "median_days",
			"label": _("Median Days"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 130,
		},
	]
