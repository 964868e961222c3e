"""The Korus CRM workspace's number cards (Number Card records of type Custom call these). Every
figure is read through the user's permissions, from the maintained counters
(korus_crm.analytics.dashboard); each card opens the list or report behind it, filtered as counted."""

from __future__ import annotations

import frappe

from korus_crm.analytics import dashboard
from korus_crm.api.boards import column_totals, company_currency
from korus_crm.boards import counts
from korus_crm.boards.lead_status_config import get_config
from korus_crm.boundary import whitelist
from korus_crm.rules import dashboard as rules
from korus_crm.rules.lead_status import board_statuses


def card(value, route: list[str], route_options: dict | None = None, currency: bool = False) -> dict:
	out = {"value": value, "fieldtype": "Currency" if currency else "Int", "route": route}
	if currency:
		out["options"] = company_currency()
	if route_options:
		out["route_options"] = route_options
	return out


def deal_list(stages: set[str] | None = None) -> tuple[list[str], dict | None]:
	options = {"deal_stage": ["in", sorted(stages)]} if stages is not None else None
	return ["List", "Opportunity"], options


@whitelist()
@frappe.read_only()
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
@frappe.read_only()
def get_weighted_pipeline_card(filters: dict | None = None) -> dict:
	"""All open deals' value times their probability, in the company currency."""
	return card(dashboard.deal_figures().open.weighted, ["query-report", "Deal Forecast"], currency=True)


# --- the dashboard's cards (issue 12) ---


@whitelist()
@frappe.read_only()
def get_companies_card(filters: dict | None = None) -> dict:
	return card(dashboard.customer_figures()["companies"], ["List", "Customer"], {"customer_type": "Company"})


@whitelist()
@frappe.read_only()
def get_active_companies_card(filters: dict | None = None) -> dict:
	return card(
		dashboard.customer_figures()["active_companies"],
		["List", "Customer"],
		{"customer_type": "Company", "disabled": 0},
	)


@whitelist()
@frappe.read_only()
def get_customers_card(filters: dict | None = None) -> dict:
	return card(
		dashboard.customer_figures()["customers"], ["List", "Customer"], {"customer_type": "Individual"}
	)


@whitelist()
@frappe.read_only()
def get_leads_card(filters: dict | None = None) -> dict:
	return card(dashboard.lead_figures()["leads"], ["List", "Lead"])


@whitelist()
@frappe.read_only()
def get_qualified_leads_card(filters: dict | None = None) -> dict:
	return card(
		dashboard.lead_figures()["qualified"], ["List", "Lead"], {"qualification_status": rules.QUALIFIED}
	)


@whitelist()
@frappe.read_only()
def get_deals_card(filters: dict | None = None) -> dict:
	return card(dashboard.deal_figures().total.count, *deal_list())


@whitelist()
@frappe.read_only()
def get_open_deals_card(filters: dict | None = None) -> dict:
	open_stages = dashboard.open_stages()
	return card(dashboard.deal_figures().open.count, *deal_list(open_stages))


@whitelist()
@frappe.read_only()
def get_won_deals_card(filters: dict | None = None) -> dict:
	won, _lost, _pipelines = dashboard.stage_kinds()
	return card(dashboard.deal_figures().won.count, *deal_list(won))


@whitelist()
@frappe.read_only()
def get_revenue_won_card(filters: dict | None = None) -> dict:
	won, _lost, _pipelines = dashboard.stage_kinds()
	return card(dashboard.deal_figures().won.value, *deal_list(won), currency=True)


@whitelist()
@frappe.read_only()
def get_open_pipeline_card(filters: dict | None = None) -> dict:
	open_stages = dashboard.open_stages()
	return card(dashboard.deal_figures().open.value, *deal_list(open_stages), currency=True)


@whitelist()
@frappe.read_only()
def get_average_deal_card(filters: dict | None = None) -> dict:
	return card(dashboard.deal_figures().average_value, *deal_list(), currency=True)


@whitelist()
@frappe.read_only()
def get_tasks_card(filters: dict | None = None) -> dict:
	return card(dashboard.task_figures()["tasks"], ["List", "Korus Task"])


@whitelist()
@frappe.read_only()
def get_pending_tasks_card(filters: dict | None = None) -> dict:
	return card(
		dashboard.task_figures()["pending"],
		["List", "Korus Task"],
		{"status": ["in", list(rules.PENDING_TASKS)]},
	)


@whitelist()
@frappe.read_only()
def get_done_tasks_card(filters: dict | None = None) -> dict:
	return card(dashboard.task_figures()["done"], ["List", "Korus Task"], {"status": rules.DONE_TASKS[0]})
