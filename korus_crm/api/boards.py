"""Board data for the desk's boards (the Lead Board and Deal Board pages) and the REST API: each
column's count, value total and weighted total (maintained, one indexed lookup), and pages of cards
per column (an index on (column, modified) serves each page). Everything is read through the
user's permissions."""

from __future__ import annotations

from typing import Annotated

import frappe
from frappe import _
from frappe.model.db_query import DatabaseQuery

from korus_crm import scope as data_scope
from korus_crm.boards import counts
from korus_crm.boards.lead_status_config import get_config
from korus_crm.boards.pipeline_config import PipelineConfig, get_pipeline
from korus_crm.boundary import Between, whitelist
from korus_crm.deals import rotting
from korus_crm.rules.boards import nearest_indicator
from korus_crm.rules.lead_status import board_statuses

MAX_PAGE = 100
PageLength = Annotated[int, Between(1, MAX_PAGE)]
Start = Annotated[int, Between(0, 10**9)]

LEAD_CARD_FIELDS = [
	"name", "lead_name", "company_name", "email_id", "estimated_value", "lead_owner", "lead_status", "modified",
]  # fmt: skip
DEAL_CARD_FIELDS = [
	"name", "title", "customer_name", "party_name", "opportunity_amount", "currency", "opportunity_owner",
	"deal_stage", "probability", "expected_closing", "modified", "_user_tags",
	"korus_last_activity_at", "korus_rots_on",
]  # fmt: skip


# --- leads ---


@whitelist()
def get_lead_board(page_length: PageLength = 20) -> dict:
	"""The Lead Board: its columns (non-final statuses in order) with totals and the first page of
	cards, newest first."""
	frappe.has_permission("Lead", "read", throw=True)
	columns = board_statuses(get_config().rows)
	totals = column_totals(counts.LEADS, [c.name for c in columns])
	return {
		"columns": [
			{
				"name": c.name,
				"label": _(c.name),
				"color": c.color,
				"indicator": nearest_indicator(c.color),
				**totals_of(totals, c.name),
				"cards": lead_cards(c.name, 0, page_length),
			}
			for c in columns
		]
	}


@whitelist()
def get_lead_board_counts() -> list[dict]:
	"""Count and totals of each Lead Board column (the board's headers)."""
	frappe.has_permission("Lead", "read", throw=True)
	columns = [c.name for c in board_statuses(get_config().rows)]
	totals = column_totals(counts.LEADS, columns)
	return [{"name": c, **totals_of(totals, c)} for c in columns]


@whitelist()
def get_lead_column(status: str, start: Start = 0, page_length: PageLength = 20) -> list[dict]:
	"""One page of a Lead Board column ("load more")."""
	frappe.has_permission("Lead", "read", throw=True)
	if status not in get_config().names:
		frappe.throw(_("{0} is not a lead status.").format(frappe.bold(status)), frappe.ValidationError)
	return lead_cards(status, start, page_length)


def lead_cards(status: str, start: int, page_length: int) -> list[dict]:
	return frappe.get_list(
		"Lead",
		filters={"lead_status": status},
		fields=LEAD_CARD_FIELDS,
		order_by="modified desc",
		limit_start=start,
		limit_page_length=page_length,
	)


# --- deals ---


@whitelist()
def get_deal_board(pipeline: str, page_length: PageLength = 20, label: str | None = None) -> dict:
	"""A pipeline's board: its stages in order with totals (company currency) and the first page of
	deals, newest first. Each column's `name` is the stage's name in the pipeline, `stage` its
	Deal Stage record. With a `label` (a tag), only the deals that carry it (counted live)."""
	frappe.has_permission("Opportunity", "read", throw=True)
	config = pipeline_for(pipeline)
	totals = column_totals(
		counts.DEALS, [s.docname for s in config.stages], scope=config.name, or_filters=label_filters(label)
	)
	return {
		"pipeline": config.name,
		"currency": company_currency(),
		"columns": [
			{
				"name": s.name,
				"label": _(s.name),
				"stage": s.docname,
				"color": s.color,
				"indicator": nearest_indicator(s.color),
				"is_won": s.is_won,
				"is_lost": s.is_lost,
				"probability": s.probability,
				**totals_of(totals, s.docname),
				"cards": deal_cards(s.docname, 0, page_length, label),
			}
			for s in config.stages
		],
	}


@whitelist()
def get_deal_column(
	pipeline: str, stage: str, start: Start = 0, page_length: PageLength = 20, label: str | None = None
) -> list[dict]:
	"""One page of a pipeline board's column (`stage`: the stage's name in the pipeline)."""
	frappe.has_permission("Opportunity", "read", throw=True)
	row = pipeline_for(pipeline).stage_named(stage)
	if not row:
		frappe.throw(
			_("{0} is not a stage of pipeline {1}.").format(frappe.bold(stage), frappe.bold(pipeline)),
			frappe.ValidationError,
		)
	return deal_cards(row.docname, start, page_length, label)


@whitelist()
def get_deal_board_counts(pipeline: str, label: str | None = None) -> list[dict]:
	"""Count and totals of each column of a pipeline's board (the board's headers)."""
	frappe.has_permission("Opportunity", "read", throw=True)
	config = pipeline_for(pipeline)
	totals = column_totals(
		counts.DEALS, [s.docname for s in config.stages], scope=config.name, or_filters=label_filters(label)
	)
	return [{"name": s.name, "stage": s.docname, **totals_of(totals, s.docname)} for s in config.stages]


def deal_cards(stage: str, start: int, page_length: int, label: str | None = None) -> list[dict]:
	"""A page of a column's deals, each marked `rotting` (its rots-on day has passed) with its
	`idle_days` (korus_crm.deals.rotting)."""
	cards = frappe.get_list(
		"Opportunity",
		filters={"deal_stage": stage},
		or_filters=label_filters(label),
		fields=DEAL_CARD_FIELDS,
		order_by="modified desc",
		limit_start=start,
		limit_page_length=page_length,
	)
	return rotting.mark(cards)


def label_filters(label: str | None) -> list | None:
	"""The deals carrying the tag `label` (Frappe stores a record's tags as ",tag1,tag2")."""
	label = (label or "").strip()
	if not label:
		return None
	escaped = label.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	return [["_user_tags", "like", f"%,{escaped}"], ["_user_tags", "like", f"%,{escaped},%"]]


def pipeline_for(pipeline: str) -> PipelineConfig:
	config = get_pipeline(pipeline)
	if not config:
		frappe.throw(_("{0} is not a deal pipeline.").format(frappe.bold(pipeline)), frappe.DoesNotExistError)
	return config


def company_currency() -> str | None:
	company = frappe.defaults.get_user_default("Company") or frappe.defaults.get_global_default("company")
	return frappe.get_cached_value("Company", company, "default_currency") if company else None


# --- totals ---


def totals_of(totals: dict[str, counts.ColumnTotal], column: str) -> dict:
	t = totals.get(column) or counts.ColumnTotal()
	return {"count": t.count, "value_total": t.value, "weighted_total": t.weighted}


def column_totals(
	spec: counts.CountSpec, columns: list[str], scope: str = "", or_filters: list | None = None
) -> dict[str, counts.ColumnTotal]:
	"""Totals a user may see: the maintained counters of the user's data scope (every record, or
	those of their branch, department(s) or own); counted live through the user's permission
	conditions (Frappe's get_list) when anything else restricts what they read, or when the board
	is filtered (`or_filters`: a label)."""
	cond = data_scope.condition_for(spec.doctype)
	if or_filters or otherwise_restricted(spec.doctype):
		rows = frappe.get_list(
			spec.doctype,
			filters={spec.group_field: ("in", columns)},
			or_filters=or_filters,
			fields=[f"`{spec.group_field}` as `column`", *counts.aggregate_fields(spec)],
			group_by=f"`{spec.group_field}`",
			order_by=None,
		)
		return {column: total for (_scope, column), total in counts.grouped_totals(spec, rows).items()}
	if cond is None:
		maintained = counts.read_counts(spec, scope)
	else:
		maintained = counts.read_counts(spec, scope, cond.field, cond.values)
	return {column: maintained[column] for column in columns if column in maintained}


def otherwise_restricted(doctype: str) -> bool:
	"""Whether the user's reads of `doctype` carry permission conditions besides their data scope
	(user permissions, "if owner", other apps' permission queries)."""
	conditions = DatabaseQuery(doctype).build_match_conditions(as_condition=True)
	return conditions != data_scope.query_conditions(doctype=doctype)
