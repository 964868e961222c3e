"""Board data for the desk and the REST API: per-column counts and value totals (maintained, one
indexed lookup) and pages of cards per column (an index on (column, modified) serves each page)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.db_query import DatabaseQuery

from korus_crm.boards import counts
from korus_crm.boards.lead_status_config import get_config
from korus_crm.boards.pipeline_config import PipelineConfig, get_pipeline
from korus_crm.rules.boards import nearest_indicator

LEAD_CARD_FIELDS = [
	"name",
	"lead_name",
	"company_name",
	"email_id",
	"estimated_value",
	"lead_owner",
	"lead_status",
	"modified",
]
MAX_PAGE = 100


@frappe.whitelist()
def get_lead_board(page_length: int = 20) -> dict:
	"""The Leads board: its columns (non-final statuses in order) with count, value total and the
	first page of cards, newest first."""
	frappe.has_permission("Lead", "read", throw=True)
	page_length = clamp_page(page_length)
	columns = [r for r in get_config().rows if not r.is_final]
	totals = column_totals(counts.LEADS, [c.name for c in columns])
	return {
		"columns": [
			{
				"name": c.name,
				"color": c.color,
				"indicator": nearest_indicator(c.color),
				"count": totals.get(c.name, (0, 0.0))[0],
				"value_total": totals.get(c.name, (0, 0.0))[1],
				"cards": lead_cards(c.name, 0, page_length),
			}
			for c in columns
		]
	}


@frappe.whitelist()
def get_lead_board_counts() -> list[dict]:
	"""Count and value total of each Leads board column (the desk's board headers)."""
	frappe.has_permission("Lead", "read", throw=True)
	columns = [r.name for r in get_config().rows if not r.is_final]
	totals = column_totals(counts.LEADS, columns)
	return [
		{"name": c, "count": totals.get(c, (0, 0.0))[0], "value_total": totals.get(c, (0, 0.0))[1]}
		for c in columns
	]


@frappe.whitelist()
def get_lead_column(status: str, start: int = 0, page_length: int = 20) -> list[dict]:
	"""One page of a Leads board column (for "load more")."""
	frappe.has_permission("Lead", "read", throw=True)
	if status not in get_config().names:
		frappe.throw(_("{0} is not a lead status.").format(frappe.bold(status)), frappe.ValidationError)
	return lead_cards(status, max(0, int(start)), clamp_page(page_length))


def lead_cards(status: str, start: int, page_length: int) -> list[dict]:
	return frappe.get_list(
		"Lead",
		filters={"lead_status": status},
		fields=LEAD_CARD_FIELDS,
		order_by="modified desc",
		limit_start=start,
		limit_page_length=page_length,
	)


def column_totals(
	spec: counts.CountSpec, columns: list[str], scope: str = ""
) -> dict[str, tuple[int, float]]:
	"""Counts a user may see: the maintained totals when nothing restricts what the user reads;
	otherwise counted live through the user's permission conditions."""
	if not restricted(spec.doctype):
		return counts.read_counts(spec, scope)
	amount = f"sum(`{spec.amount_field}`) as total" if spec.amount_field else "0 as total"
	filters = {spec.group_field: ("in", columns)}
	if spec.scope_field:
		filters[spec.scope_field] = scope
	rows = frappe.get_list(
		spec.doctype,
		filters=filters,
		fields=[f"`{spec.group_field}` as col", "count(*) as count", amount],
		group_by=spec.group_field,
		order_by=None,
	)
	return {r.col: (int(r.count), float(r.total or 0)) for r in rows}


def restricted(doctype: str) -> bool:
	"""Whether the user's reads of `doctype` carry permission conditions (user permissions,
	"if owner", permission query hooks)."""
	return bool(DatabaseQuery(doctype).build_match_conditions(as_condition=True))


def clamp_page(page_length: int) -> int:
	return max(1, min(MAX_PAGE, int(page_length or 20)))


DEAL_CARD_FIELDS = [
	"name", "title", "customer_name", "party_name", "opportunity_amount", "currency", "opportunity_owner",
	"deal_stage", "stage_column", "expected_closing", "modified",
]  # fmt: skip


def pipeline_for(pipeline: str | None = None, board: str | None = None) -> PipelineConfig:
	if board and not pipeline:
		pipeline = frappe.db.get_value("Deal Pipeline", {"kanban_board": board}, "name")
	config = get_pipeline(pipeline)
	if not config:
		frappe.throw(
			_("{0} is not a deal pipeline.").format(frappe.bold(pipeline or board)), frappe.DoesNotExistError
		)
	return config


@frappe.whitelist()
def get_deal_board(pipeline: str, page_length: int = 20) -> dict:
	"""A pipeline's board: its stages in order with count, value total (company currency) and the
	first page of deals, newest first."""
	frappe.has_permission("Opportunity", "read", throw=True)
	config = pipeline_for(pipeline)
	page_length = clamp_page(page_length)
	totals = column_totals(counts.DEALS, [s.name for s in config.stages], scope=config.name)
	return {
		"pipeline": config.name,
		"columns": [
			{
				"name": s.name,
				"stage": s.docname,
				"color": s.color,
				"indicator": nearest_indicator(s.color),
				"is_won": s.is_won,
				"is_lost": s.is_lost,
				"count": totals.get(s.name, (0, 0.0))[0],
				"value_total": totals.get(s.name, (0, 0.0))[1],
				"cards": deal_cards(config.name, s.name, 0, page_length),
			}
			for s in config.stages
		],
	}


@frappe.whitelist()
def get_deal_column(pipeline: str, stage: str, start: int = 0, page_length: int = 20) -> list[dict]:
	"""One page of a pipeline board's column (`stage`: the stage's name in the pipeline)."""
	frappe.has_permission("Opportunity", "read", throw=True)
	config = pipeline_for(pipeline)
	if not config.stage_named(stage):
		frappe.throw(
			_("{0} is not a stage of pipeline {1}.").format(frappe.bold(stage), frappe.bold(pipeline)),
			frappe.ValidationError,
		)
	return deal_cards(config.name, stage, max(0, int(start)), clamp_page(page_length))


@frappe.whitelist()
def get_deal_board_counts(board: str | None = None, pipeline: str | None = None) -> list[dict]:
	"""Count and value total of each column of a pipeline's board (the desk's board headers)."""
	frappe.has_permission("Opportunity", "read", throw=True)
	config = pipeline_for(pipeline, board)
	totals = column_totals(counts.DEALS, [s.name for s in config.stages], scope=config.name)
	return [
		{
			"name": s.name,
			"count": totals.get(s.name, (0, 0.0))[0],
			"value_total": totals.get(s.name, (0, 0.0))[1],
		}
		for s in config.stages
	]


def deal_cards(pipeline: str, stage: str, start: int, page_length: int) -> list[dict]:
	return frappe.get_list(
		"Opportunity",
		filters={"deal_pipeline": pipeline, "stage_column": stage},
		fields=DEAL_CARD_FIELDS,
		order_by="modified desc",
		limit_start=start,
		limit_page_length=page_length,
	)
