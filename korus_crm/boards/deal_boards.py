"""Keep the Opportunity `stage_column` Select (the desk Kanban needs a Select) and one Kanban Board
per pipeline in step with the pipelines and their stages."""

from __future__ import annotations

import frappe

from korus_crm.boards import kanban
from korus_crm.boards.pipeline_config import PipelineConfig, clear_pipeline_cache, load_pipelines

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
	kanban.sync_select_options("Opportunity", STAGE_FIELD, names)


def sync_board(pipeline: PipelineConfig) -> str:
	name = frappe.db.get_value("Deal Pipeline", pipeline.name, "kanban_board") or board_name(pipeline.name)
	name = kanban.sync_board(
		name,
		"Opportunity",
		STAGE_FIELD,
		[(s.name, s.color) for s in pipeline.stages],
		[["Opportunity", "deal_pipeline", "=", pipeline.name]],
		CARD_FIELDS,
	)
	if frappe.db.get_value("Deal Pipeline", pipeline.name, "kanban_board") != name:
		frappe.db.set_value("Deal Pipeline", pipeline.name, "kanban_board", name, update_modified=False)
	return name


def delete_board(pipeline: str) -> None:
	kanban.delete_board(
		frappe.db.get_value("Deal Pipeline", pipeline, "kanban_board") or board_name(pipeline)
	)
