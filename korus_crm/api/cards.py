"""The Korus CRM workspace's number cards (Number Card records of type Custom call these). Every
figure is read through the user's permissions; each card opens the list or report behind it."""

from __future__ import annotations

import frappe

from korus_crm.api.boards import column_totals, company_currency
from korus_crm.boards import counts
from korus_crm.boards.lead_status_config import get_config
from korus_crm.boards.pipeline_config import get_pipelines
from korus_crm.boundary import whitelist
from korus_crm.rules.lead_status import board_statuses


@whitelist()
def get_open_leads_card(filters: dict | None = None) -> dict:
	"""Leads whose status is not final (the Lead Board's columns)."""
	frappe.has_permission("Lead", "read", throw=True)
	statuses = [s.name for s in board_statuses(get_config().rows)]
	totals = column_totals(counts.LEADS, statuses)
	return {
		"value": sum(t.count for t in totals.values()),
		"fieldtype": "Int",
		"route": ["lead-board"],
	}


@whitelist()
def get_weighted_pipeline_card(filters: dict | None = None) -> dict:
	"""All open deals' value times their probability, in the company currency."""
	frappe.has_permission("Opportunity", "read", throw=True)
	total = 0.0
	for pipeline in get_pipelines():
		stages = [s.docname for s in pipeline.stages if not s.is_closed]
		total += sum(t.weighted for t in column_totals(counts.DEALS, stages, scope=pipeline.name).values())
	return {
		"value": total,
		"fieldtype": "Currency",
		"options": company_currency(),
		"route": ["query-report", "Deal Forecast"],
	}
