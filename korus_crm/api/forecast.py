"""Weighted forecast of open deals (value times probability), per pipeline and month of expected
close (the Deal Forecast report), read through the user's permissions."""

from __future__ import annotations

import frappe

from korus_crm.boards import counts
from korus_crm.boards.pipeline_config import get_pipelines


def open_stages() -> list[str]:
	return [s.docname for p in get_pipelines() for s in p.stages if not s.is_closed]


def forecast_rows(pipeline: str | None = None) -> list[dict]:
	frappe.has_permission("Opportunity", "read", throw=True)
	stages = open_stages()
	if not stages:
		return []
	filters = {"deal_stage": ("in", stages)}
	if pipeline:
		filters["deal_pipeline"] = pipeline
	rows = frappe.get_list(
		"Opportunity",
		filters=filters,
		fields=["deal_pipeline", "expected_closing", *counts.aggregate_fields(counts.DEALS)],
		group_by="deal_pipeline, expected_closing",
		order_by="deal_pipeline, expected_closing",
	)
	months: dict[tuple[str, str], dict] = {}
	for r in rows:  # one row per pipeline and date: a month sums its dates
		month = r.expected_closing.strftime("%Y-%m") if r.expected_closing else "—"
		row = months.setdefault(
			(r.deal_pipeline, month),
			{"pipeline": r.deal_pipeline, "month": month, "deals": 0, "value": 0.0, "weighted_value": 0.0},
		)
		row["deals"] += int(r.record_count)
		row["value"] += float(r.value_total or 0)
		row["weighted_value"] += float(r.weighted_total or 0)
	return sorted(months.values(), key=lambda r: (r["pipeline"], r["month"]))
