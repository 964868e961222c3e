# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Average and median days deals spend in each stage, per pipeline (seed 003, stage durations).
Reads the stage history the server records on every move; runs on a read replica when one is set
up (frappe.read_only)."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime

from korus_crm.boundary import report_filters
from korus_crm.rules.pipelines import StageVisit, stage_durations

FILTERS = {"pipeline": str | None, "owner": str | None, "from_date": date | None, "to_date": date | None}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	return columns(), rows(filters)


def columns() -> list[dict]:
	return [
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
	"""Stays that overlap the date range (entered before its end, left after its start or still
	open), for the pipeline and deal owner chosen; only of deals the user may read (the history's
	permission query follows the deal's, korus_crm.permissions)."""
	frappe.has_permission("Opportunity", "read", throw=True)
	conditions = []
	if filters.pipeline:
		conditions.append(["pipeline", "=", filters.pipeline])
	if filters.owner:
		conditions.append(["deal_owner", "=", filters.owner])
	if filters.to_date:
		conditions.append(["entered_at", "<", add_days(getdate(filters.to_date), 1)])
	or_filters = None
	if filters.from_date:
		or_filters = [["left_at", "is", "not set"], ["left_at", ">=", getdate(filters.from_date)]]
	stays = frappe.get_list(
		"Deal Stage History",
		filters=conditions,
		or_filters=or_filters,
		fields=["pipeline", "to_stage", "entered_at", "left_at"],
		limit_page_length=0,
		order_by="entered_at",
	)
	visits = [StageVisit(s.pipeline or "", s.to_stage, s.entered_at, s.left_at) for s in stays]
	order = {
		s.name: (s.pipeline, s.display_order)
		for s in frappe.get_all("Deal Stage", fields=["name", "pipeline", "display_order"])
	}
	result = stage_durations(visits, now_datetime())
	result.sort(key=lambda d: order.get(d.stage, (d.pipeline, 999)))
	return [
		{
			"pipeline": d.pipeline,
			"stage": d.stage,
			"visits": d.visits,
			"average_days": d.average_days,
			"median_days": d.median_days,
		}
		for d in result
	]
