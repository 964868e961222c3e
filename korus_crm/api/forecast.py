"""Weighted forecast of open deals (value times stage probability), per pipeline and month of expected
close; the report and the number card use it."""

from __future__ import annotations

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, DateFormat, Sum

from korus_crm.boards.pipeline_config import get_pipelines


def open_stages() -> list[str]:
	return [s.docname for p in get_pipelines() for s in p.stages if not s.is_closed]


def forecast_rows(pipeline: str | None = None) -> list[dict]:
	frappe.has_permission("Opportunity", "read", throw=True)
	stages = open_stages()
	if not stages:
		return []
	opportunity = DocType("Opportunity")
	month = DateFormat(opportunity.expected_closing, "%Y-%m")
	query = (
		frappe.qb.from_(opportunity)
		.select(
			opportunity.deal_pipeline,
			month.as_("month"),
			Count("*"),
			Sum(opportunity.base_opportunity_amount),
			Sum(opportunity.base_opportunity_amount * opportunity.probability / 100),
		)
		.where(opportunity.deal_stage.isin(stages))
		.groupby(opportunity.deal_pipeline, month)
		.orderby(opportunity.deal_pipeline)
		.orderby(month)
	)
	if pipeline:
		query = query.where(opportunity.deal_pipeline == pipeline)
	return [
		{
			"pipeline": p,
			"month": m or "—",
			"deals": int(c),
			"value": float(v or 0),
			"weighted_value": float(w or 0),
		}
		for p, m, c, v, w in query.run()
	]


@frappe.whitelist()
def get_weighted_pipeline_card(filters: str | dict | None = None) -> dict:
	"""The "Weighted Pipeline" number card: all open deals' weighted value."""
	total = sum(r["weighted_value"] for r in forecast_rows())
	currency = frappe.get_cached_value(
		"Company", frappe.defaults.get_global_default("company"), "default_currency"
	)
	return {
		"value": total,
		"fieldtype": "Currency",
		"options": currency,
		"route": ["query-report", "Deal Forecast"],
	}
