# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Campaign ROI (seed 000 "Advertisement Management"): per campaign, its budget and what it spent, the
leads, conversions, deals and won deals it brought, the revenue invoiced under it, the cost per lead
and per won deal, and its return ((won revenue - spend) / spend).

Each figure counts what happened in the period chosen (no dates: the campaign's whole life):
- leads: Leads with the campaign (Lead.campaign_name) created in the period;
- converted leads: the campaign's leads converted in the period (their Lead Conversion's date);
- deals: Opportunities with the campaign dated (Opportunity Date) in the period;
- won deals: the campaign's deals in a won stage (Deal Stage.is_won) closed in the period;
- won revenue: submitted Sales Invoices with the campaign posted in the period, their net total in
  company currency (base_net_total: after discounts, before taxes; credit notes subtract);
- spend: General Ledger entries carrying the campaign (the accounting dimension `korus_campaign`,
  set on Purchase Invoice items, Journal Entry lines…) on expense accounts (root type Expense),
  posted in the period, not cancelled, year-end closing entries left out: debits less credits.
With a company chosen, deals, revenue and spend are that company's; leads, that company's or
without a company.

Everything is read through the user's permissions (frappe.get_list: role and user permissions, data
scope), counted and summed in SQL, grouped by campaign. A figure the user may not read is left
blank, never shown as zero: the spend needs read access to the General Ledger (GL Entry: Accounts
User, Accounts Manager, Auditor), the won revenue to Sales Invoices, the counts to Leads, Lead
Conversions and Opportunities; costs and return need the figures they are made of.

The campaign's form shows the same figures (`campaign_results`, korus_crm.events.campaign.onload).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate

from korus_crm.boundary import report_filters
from korus_crm.exceptions import InvalidInputError
from korus_crm.rules import campaigns as rules
from korus_crm.setup.campaigns import (
	BUDGET_FIELD,
	CHANNEL_FIELD,
	END_FIELD,
	START_FIELD,
	dimension_field,
)

FILTERS = {
	"company": str | None,
	"from_date": datetime.date | None,
	"to_date": datetime.date | None,
	"campaign": str | None,
	"channel": str | None,
}

# voucher types whose ledger lines move balances rather than record an expense
NOT_SPEND_VOUCHERS = ("Period Closing Voucher",)


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	if filters.from_date and filters.to_date and filters.from_date > filters.to_date:
		frappe.throw(_("From Date must not be after To Date."), InvalidInputError)
	data = campaign_rows(filters)
	return columns(), data, hidden_message(), chart(data)


def columns() -> list[dict]:
	def currency(fieldname: str, label: str, width: int = 130) -> dict:
		return {"fieldname": fieldname, "label": label, "fieldtype": "Currency", "width": width}

	def count(fieldname: str, label: str, width: int = 100) -> dict:
		return {"fieldname": fieldname, "label": label, "fieldtype": "Int", "width": width}

	return [
		{
			"fieldname": "campaign",
			"label": _("Campaign"),
			"fieldtype": "Link",
			"options": "Campaign",
			"width": 180,
		},
		channel_column(),
		{"fieldname": "start_date", "label": _("Start Date"), "fieldtype": "Date", "width": 100},
		{"fieldname": "end_date", "label": _("End Date"), "fieldtype": "Date", "width": 100},
		currency("budget", _("Budget")),
		currency("spend", _("Spend")),
		{"fieldname": "budget_used", "label": _("Budget Used (%)"), "fieldtype": "Percent", "width": 120},
		count("leads", _("Leads")),
		count("converted_leads", _("Converted Leads"), 130),
		count("deals", _("Deals")),
		count("won_deals", _("Won Deals")),
		currency("won_revenue", _("Won Revenue"), 140),
		currency("cost_per_lead", _("Cost per Lead")),
		currency("cost_per_won_deal", _("Cost per Won Deal"), 140),
		{"fieldname": "roi", "label": _("Return (%)"), "fieldtype": "Percent", "width": 110},
	]


def channel_column() -> dict:
	"""A link to the Lead Source for users who may read it (Frappe checks every link column of a
	report's rows against the user's permissions; accountants read campaigns, not lead sources)."""
	column = {"fieldname": "channel", "label": _("Channel"), "fieldtype": "Data", "width": 130}
	if readable("Lead Source"):
		column.update(fieldtype="Link", options="Lead Source")
	return column


def campaign_rows(filters) -> list[dict]:
	"""One row per campaign the user may read (and the filters choose); with a period, campaigns
	that neither ran in it nor have anything in it are left out."""
	conditions = {}
	if filters.get("campaign"):
		conditions["name"] = filters.campaign
	if filters.get("channel"):
		conditions[CHANNEL_FIELD] = filters.channel
	campaigns = frappe.get_list(
		"Campaign",
		filters=conditions,
		fields=["name", CHANNEL_FIELD, BUDGET_FIELD, START_FIELD, END_FIELD],
		order_by=f"{START_FIELD} desc, name asc",
		limit_page_length=0,
	)
	if not campaigns:
		return []
	from_date, to_date = filters.get("from_date"), filters.get("to_date")
	figures = read_figures([c.name for c in campaigns], from_date, to_date, filters.get("company"))
	rows = []
	for campaign in campaigns:
		start = getdate(campaign.get(START_FIELD)) if campaign.get(START_FIELD) else None
		end = getdate(campaign.get(END_FIELD)) if campaign.get(END_FIELD) else None
		own = figures_of(campaign.name, flt(campaign.get(BUDGET_FIELD)), figures)
		if (from_date or to_date) and not rules.overlaps(start, end, from_date, to_date):
			if not rules.has_activity(own):
				continue
		rows.append(
			{
				"campaign": campaign.name,
				"channel": campaign.get(CHANNEL_FIELD),
				"start_date": start,
				"end_date": end,
				**row_figures(own),
			}
		)
	return rows


def row_figures(figures: rules.CampaignFigures) -> dict:
	result = rules.campaign_return(figures)
	return {
		**asdict(figures),
		"budget_used": result.budget_used,
		"cost_per_lead": result.cost_per_lead,
		"cost_per_won_deal": result.cost_per_won_deal,
		"roi": rules.as_percent(result.roi),
	}


def campaign_results(campaign: str) -> dict:
	"""A campaign's figures over its whole life, for its form: the report's row, and which figures
	the user may not see."""
	rows = campaign_rows(frappe._dict(campaign=campaign))
	row = rows[0] if rows else {}
	return {"figures": row, "hidden": hidden_figures()}


# --- reading the figures (grouped by campaign, through the user's permissions) ---


def read_figures(
	campaigns: list[str], from_date: datetime.date | None, to_date: datetime.date | None, company: str | None
) -> dict[str, dict[str, float] | None]:
	"""{figure: {campaign: value}}, or {figure: None} when the user may not read its source."""
	return {
		"spend": spend_by_campaign(campaigns, from_date, to_date, company),
		"leads": leads_by_campaign(campaigns, from_date, to_date, company),
		"converted_leads": conversions_by_campaign(campaigns, from_date, to_date, company),
		"deals": deals_by_campaign(campaigns, from_date, to_date, company),
		"won_deals": won_deals_by_campaign(campaigns, from_date, to_date, company),
		"won_revenue": revenue_by_campaign(campaigns, from_date, to_date, company),
	}


def figures_of(campaign: str, budget: float, figures: dict) -> rules.CampaignFigures:
	def value(name: str, kind=int):
		by_campaign = figures[name]
		return None if by_campaign is None else kind(by_campaign.get(campaign) or 0)

	return rules.CampaignFigures(
		budget=budget,
		spend=value("spend", float),
		leads=value("leads"),
		converted_leads=value("converted_leads"),
		deals=value("deals"),
		won_deals=value("won_deals"),
		won_revenue=value("won_revenue", float),
	)


def readable(doctype: str) -> bool:
	return bool(frappe.has_permission(doctype, "read"))


def date_range(fieldname: str, from_date, to_date) -> list[list]:
	"""Conditions of a Date column in [from, to]."""
	conditions = []
	if from_date:
		conditions.append([fieldname, ">=", getdate(from_date)])
	if to_date:
		conditions.append([fieldname, "<=", getdate(to_date)])
	return conditions


def datetime_range(fieldname: str, from_date, to_date) -> list[list]:
	"""Conditions of a Datetime column on the days from `from` to `to`."""
	conditions = []
	if from_date:
		conditions.append([fieldname, ">=", getdate(from_date)])
	if to_date:
		conditions.append([fieldname, "<", add_days(getdate(to_date), 1)])
	return conditions


def grouped(doctype: str, value: str, group_by: str, filters: list, or_filters: list | None = None) -> dict:
	"""{campaign: value} from one grouped query of `doctype` through the user's permissions."""
	rows = frappe.get_list(
		doctype,
		fields=[f"{group_by} as campaign", f"{value} as value"],
		filters=filters,
		or_filters=or_filters,
		group_by=group_by,
		order_by="",
		limit_page_length=0,
	)
	return {r.campaign: r.value for r in rows if r.campaign}


def leads_by_campaign(campaigns, from_date, to_date, company) -> dict | None:
	if not readable("Lead"):
		return None
	filters = [["campaign_name", "in", campaigns], *datetime_range("creation", from_date, to_date)]
	or_filters = [["company", "=", company], ["company", "is", "not set"]] if company else None
	return grouped("Lead", "count(*)", "campaign_name", filters, or_filters)


def conversions_by_campaign(campaigns, from_date, to_date, company) -> dict | None:
	"""Lead Conversions follow their lead's permissions (korus_crm.permissions); grouped by their
	lead's campaign (and company, kept or left out by the company rule)."""
	if not (readable("Lead Conversion") and readable("Lead")):
		return None
	rows = frappe.get_list(
		"Lead Conversion",
		fields=[
			"lead.campaign_name as lead_campaign",
			"lead.company as lead_company",
			"count(*) as converted",
		],
		filters=datetime_range("converted_on", from_date, to_date),
		group_by="lead_campaign, lead_company",
		order_by="",
		limit_page_length=0,
	)
	wanted = set(campaigns)
	counted: dict[str, int] = {}
	for r in rows:
		if r.lead_campaign in wanted and rules.counts_for_company(r.lead_company, company):
			counted[r.lead_campaign] = counted.get(r.lead_campaign, 0) + int(r.converted)
	return counted


def deal_filters(campaigns, company) -> list[list]:
	filters = [["campaign", "in", campaigns]]
	if company:
		filters.append(["company", "=", company])
	return filters


def deals_by_campaign(campaigns, from_date, to_date, company) -> dict | None:
	if not readable("Opportunity"):
		return None
	filters = [*deal_filters(campaigns, company), *date_range("transaction_date", from_date, to_date)]
	return grouped("Opportunity", "count(*)", "campaign", filters)


def won_deals_by_campaign(campaigns, from_date, to_date, company) -> dict | None:
	if not readable("Opportunity"):
		return None
	won_stages = frappe.get_all("Deal Stage", filters={"is_won": 1}, pluck="name")
	if not won_stages:
		return {}
	filters = [
		*deal_filters(campaigns, company),
		["deal_stage", "in", won_stages],
		*date_range("closed_on", from_date, to_date),
	]
	return grouped("Opportunity", "count(*)", "campaign", filters)


def revenue_by_campaign(campaigns, from_date, to_date, company) -> dict | None:
	if not readable("Sales Invoice"):
		return None
	filters = [
		["docstatus", "=", 1],
		["campaign", "in", campaigns],
		*date_range("posting_date", from_date, to_date),
	]
	if company:
		filters.append(["company", "=", company])
	return grouped("Sales Invoice", "sum(base_net_total)", "campaign", filters)


def spend_by_campaign(campaigns, from_date, to_date, company) -> dict | None:
	"""Debits less credits of expense accounts in the General Ledger, per campaign dimension, for
	users who may read the ledger (through their permissions, e.g. user permissions on Company)."""
	fieldname = dimension_field()
	if not fieldname or not readable("GL Entry"):
		return None
	account_filters = {"root_type": "Expense", "is_group": 0}
	if company:
		account_filters["company"] = company
	# the chart's expense accounts (tens to hundreds): which accounts are expenses is configuration
	expense_accounts = frappe.get_all("Account", filters=account_filters, pluck="name")
	if not expense_accounts:
		return {}
	filters = [
		[fieldname, "in", campaigns],
		["account", "in", expense_accounts],
		["is_cancelled", "=", 0],
		["voucher_type", "not in", NOT_SPEND_VOUCHERS],
		*date_range("posting_date", from_date, to_date),
	]
	if company:
		filters.append(["company", "=", company])
	rows = frappe.get_list(
		"GL Entry",
		fields=[f"{fieldname} as campaign", "sum(debit) as debit", "sum(credit) as credit"],
		filters=filters,
		group_by=fieldname,
		order_by="",
		limit_page_length=0,
	)
	return {r.campaign: rules.spend(r.debit, r.credit) for r in rows if r.campaign}


# --- what the user does not see, and the chart ---

HIDDEN_SOURCES = {"spend": "GL Entry", "won_revenue": "Sales Invoice"}


def hidden_figures() -> list[str]:
	"""The money figures the user may not read (their columns stay blank)."""
	hidden = [figure for figure, doctype in HIDDEN_SOURCES.items() if not readable(doctype)]
	if "spend" not in hidden and not dimension_field():
		hidden.append("spend")
	return hidden


def hidden_message() -> str | None:
	hidden = hidden_figures()
	parts = []
	if "spend" in hidden:
		parts.append(
			_(
				"Spend (and the costs and return made from it) is shown to users who may read the General Ledger."
			)
		)
	if "won_revenue" in hidden:
		parts.append(_("Won revenue (and the return) is shown to users who may read Sales Invoices."))
	return " ".join(parts) or None


def chart(data: list[dict]) -> dict | None:
	"""Bar chart: spend and won revenue per campaign (the ones the user may see)."""
	datasets = [
		{"name": label, "values": [flt(r[figure]) for r in data]}
		for figure, label in (("spend", _("Spend")), ("won_revenue", _("Won Revenue")))
		if data and any(r[figure] is not None for r in data)
	]
	if not datasets:
		return None
	return {
		"data": {"labels": [r["campaign"] for r in data], "datasets": datasets},
		"type": "bar",
		"fieldtype": "Currency",
	}
