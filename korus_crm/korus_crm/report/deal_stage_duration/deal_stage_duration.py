# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Average and median days deals spend in each stage, per pipeline, and per deal owner or deal
label (seed 003, stage durations), over the stays begun in the period. Aggregated in the database
from the stage history the server records on every move (korus_crm.analytics.reports); runs on a
read replica when one is set up (frappe.read_only)."""

from datetime import date
from typing import Literal

import frappe
from frappe import _

from korus_crm.analytics.reports import stage_durations
from korus_crm.boundary import report_filters

FILTERS = {
	"pipeline": str | None,
	"owner": str | None,
	"label": str | None,
	"from_date": date | None,
	"to_date": date | None,
	"group_by": Literal["Stage", "Owner", "Label"] | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	return columns(filters.group_by or "Stage"), rows(filters)


def columns(group_by: str = "Stage") -> list[dict]:
	out = [
		{
			"fieldname": "pipeline",
			"label": _("Pipeline"),
			"fieldtype": "Link",
			"options": "Deal Pipeline",
			"width": 160,
		},
		{
			"fieldname": "stage",
			"label": _("Stage"),
			"fieldtype": "Link",
			"options": "Deal Stage",
			"width": 220,
		},
	]
	if group_by == "Owner":
		out.append(
			{
				"fieldname": "owner",
				"label": _("Deal Owner"),
				"fieldtype": "Link",
				"options": "User",
				"width": 180,
			}
		)
	if group_by == "Label":
		out.append({"fieldname": "label", "label": _("Label"), "fieldtype": "Data", "width": 150})
	return [
		*out,
		{"fieldname": "visits", "label": _("Deals"), "fieldtype": "Int", "width": 90},
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


def rows(filters) -> list[dict]:
	"""The stays of the deals the user may read (their scope and permissions), grouped in SQL."""
	return stage_durations(frappe._dict(filters))
