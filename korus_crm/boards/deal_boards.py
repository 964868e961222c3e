"""Keep the Opportunity `stage_column` Select (the desk Kanban needs a Select) and one Kanban Board
per pipeline in step with the pipelines and their stages."""

from __future__ import annotations

import json

import frappe

from korus_crm.boards.pipeline_config import PipelineConfig, clear_pipeline_cache, load_pipelines
from korus_crm.rules import boards as board_rules

STAGE_FIELD = "stage_column"
CARD_FIELDS = ["title", "opportunity_amount", "customer_name", "opportunity_owner"]


def board_name(pipeline: str) -> str:
	return f"{pipeline} Deals"


def sync_deal_boards() -> None:
	"""Everything that mirrors the pipelines; called after any pipeline change and on migrate."""
	clear_pipeline_cache()
	pipelines = load_pipelines()
	sync_stage_options(pipelines)
	for pipeline in pipelines:
		sync_board(pipeline)


def sync_stage_options(pipelines: list[PipelineConfig]) -> None:
	names: list[str] = []
	for pipeline in pipelines:
		for stage in pipeline.stages:
			if stage.name not in names:
				names.append(stage.name)
	options = "\n".join(names)
	field = frappe.db.get_value("Custom Field", {"dt": "Opportunity", "fieldname": STAGE_FIELD})
	if field and frappe.db.get_value("Custom Field", field, "options") != options:
		frappe.db.set_value("Custom Field", field, "options", options)
		clear_opportunity_meta()
		frappe.db.after_rollback.add(clear_opportunity_meta)


def clear_opportunity_meta() -> None:
	frappe.clear_cache(doctype="Opportunity")


def sync_board(pipeline: PipelineConfig) -> str:
	name = frappe.db.get_value("Deal Pipeline", pipeline.name, "kanban_board") or board_name(pipeline.name)
	if frappe.db.exists("Kanban Board", name):
		board = frappe.get_doc("Kanban Board", name)
	else:
		board = frappe.new_doc("Kanban Board")
		board.update(
			{
				"kanban_board_name": name,
				"reference_doctype": "Opportunity",
				"field_name": STAGE_FIELD,
				"private": 0,
				"show_labels": 1,
				"fields": json.dumps(CARD_FIELDS),
			}
		)
	old_orders = {c.column_name: c.order for c in board.columns}
	wanted = board_rules.board_columns([(s.name, s.color) for s in pipeline.stages])
	current = [(c.column_name, c.status, c.indicator) for c in board.columns]
	columns_changed = current != [(c["column_name"], c["status"], c["indicator"]) for c in wanted]
	if columns_changed:
		board.set("columns", [])
		for column in wanted:
			board.append("columns", {**column, "order": old_orders.get(column["column_name"]) or "[]"})
	filters = json.dumps([["Opportunity", "deal_pipeline", "=", pipeline.name]])
	filters_changed = board.filters != filters
	board.filters = filters
	if board.is_new():
		board.insert(ignore_permissions=True)
	elif columns_changed or filters_changed:
		board.save(ignore_permissions=True)
	if frappe.db.get_value("Deal Pipeline", pipeline.name, "kanban_board") != board.name:
		frappe.db.set_value("Deal Pipeline", pipeline.name, "kanban_board", board.name, update_modified=False)
	return board.name


def delete_board(pipeline: str) -> None:
	name = frappe.db.get_value("Deal Pipeline", pipeline, "kanban_board") or board_name(pipeline)
	if frappe.db.exists("Kanban Board", name):
		frappe.delete_doc("Kanban Board", name, ignore_permissions=True, force=True)
