# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Rotting deals: open deals with no activity (stage move, follow-up, offer, comment) for longer
than their stage's idle days, longest rotting first; read through the user's permissions and data
scope (frappe.get_list), over the index on the rots-on day."""

import frappe
from frappe import _

from korus_crm.boundary import report_filters
from korus_crm.deals.rotting import rotting_deals

FILTERS = {"pipeline": str | None, "owner": str | None}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	frappe.has_permission("Opportunity", "read", throw=True)
	columns = [
		{
			"fieldname": "name",
			"label": _("Deal"),
			"fieldtype": "Link",
			"options": "Opportunity",
			"width": 150,
		},
		{"fieldname": "title", "label": _("Title"), "fieldtype": "Data", "width": 180},
		{"fieldname": "customer_name", "label": _("Customer"), "fieldtype": "Data", "width": 160},
		{
			"fieldname": "deal_pipeline",
			"label": _("Pipeline"),
			"fieldtype": "Link",
			"options": "Deal Pipeline",
			"width": 120,
		},
		{"fieldname": "sales_stage", "label": _("Stage"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "opportunity_owner",
			"label": _("Owner"),
			"fieldtype": "Link",
			"options": "User",
			"width": 160,
		},
		{
			"fieldname": "opportunity_amount",
			"label": _("Amount"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{
			"fieldname": "korus_last_activity_at",
			"label": _("Last Activity"),
			"fieldtype": "Datetime",
			"width": 160,
		},
		{"fieldname": "korus_rots_on", "label": _("Rots On"), "fieldtype": "Date", "width": 110},
		{"fieldname": "idle_days", "label": _("Idle Days"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]
	return columns, rotting_deals(filters.get("pipeline"), filters.get("owner"))
