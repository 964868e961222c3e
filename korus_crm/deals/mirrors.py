"""Everything derived from a pipeline's stages, kept in step in one place.

The source of a stage is its row in its pipeline's Stages table (Deal Pipeline Stage), edited on the
pipeline's form. From it, and only here, Korus derives:
- the Deal Stage record each row stands for (deals link to it; named "<pipeline> - <stage>");
- ERPNext's Sales Stage of the same name (Opportunity.sales_stage, which ERPNext's own reports group
  by, is kept equal to the deal's stage name);
- the cached pipeline configuration (korus_crm.boards.pipeline_config);
- the maintained board counts of a stage that is renamed or removed (korus_crm.boards.counts);
- the rotting dates of a stage's open deals when its idle days change (korus_crm.deals.rotting).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import cint

from korus_crm.boards import counts
from korus_crm.boards.pipeline_config import clear_pipeline_cache
from korus_crm.deals import rotting
from korus_crm.exceptions import StageInUseError

STAGE = "Deal Stage"


def sync_pipeline(pipeline) -> None:
	"""After a pipeline is saved: its stage records, ERPNext's Sales Stages, the cache."""
	for stage in removed_stage_records(pipeline):
		delete_stage(stage.name)
	changed_rotting: list[str] = []
	for row in pipeline.stages:
		values = {
			"pipeline": pipeline.name,
			"stage_name": row.stage_name,
			"color": row.color,
			"probability": row.probability,
			"is_default": cint(row.is_default),
			"is_won": cint(row.is_won),
			"is_lost": cint(row.is_lost),
			"display_order": row.idx,
			"idle_days": cint(row.idle_days),
		}
		if row.deal_stage and frappe.db.exists(STAGE, row.deal_stage):
			stage = frappe.get_doc(STAGE, row.deal_stage)
			if stage.stage_name != row.stage_name:
				stage = frappe.get_doc(STAGE, rename_stage(stage.name, pipeline.name, row.stage_name))
				row.db_set("deal_stage", stage.name, update_modified=False)
			rots_differently = rotting.rule_changed(stage, values)
			stage.update(values)
			stage.flags.from_pipeline = True
			stage.save(ignore_permissions=True)
			if rots_differently:
				changed_rotting.append(stage.name)
		else:
			stage = frappe.get_doc({"doctype": STAGE, **values})
			stage.flags.from_pipeline = True
			stage.insert(ignore_permissions=True)
			row.db_set("deal_stage", stage.name, update_modified=False)
		ensure_sales_stage(row.stage_name)
	clear_pipeline_cache()
	# the stages whose idle days (or won / lost flags) changed: their open deals' rotting dates
	for stage_name in changed_rotting:
		rotting.stage_changed(stage_name)


def delete_pipeline_stages(pipeline: str) -> None:
	"""A pipeline being deleted takes its stage records with it (they have no deals: checked)."""
	for name in frappe.get_all(STAGE, filters={"pipeline": pipeline}, pluck="name"):
		delete_stage(name)
	clear_pipeline_cache()


def removed_stage_records(pipeline) -> list[dict]:
	"""Stage records of the pipeline whose row is no longer in its table."""
	kept = {row.deal_stage for row in pipeline.stages if row.deal_stage}
	return [
		s
		for s in frappe.get_all(
			STAGE, filters={"pipeline": pipeline.name}, fields=["name", "stage_name", "is_default"]
		)
		if s.name not in kept
	]


def delete_stage(name: str) -> None:
	"""Delete a stage record that has no deals (its on_trash checks that). Past stays in the stage
	history keep the stage's name, which carries the pipeline's and the stage's."""
	frappe.delete_doc(STAGE, name, ignore_permissions=True, force=True, flags={"from_pipeline": True})
	counts.forget_column(counts.DEALS, name)


def rename_stage(old: str, pipeline: str, stage_name: str) -> str:
	"""Rename a stage record: Frappe renames every deal's link; the deals' Sales Stage and the board
	counts follow."""
	new = stage_docname(pipeline, stage_name)
	frappe.rename_doc(STAGE, old, new, force=True, show_alert=False)
	ensure_sales_stage(stage_name)
	opportunity = DocType("Opportunity")
	frappe.qb.update(opportunity).set(opportunity.sales_stage, stage_name).where(
		opportunity.deal_stage == new
	).run()
	counts.forget_column(counts.DEALS, old)
	counts.recount(counts.DEALS)
	return new


def stage_docname(pipeline: str, stage_name: str) -> str:
	return f"{pipeline} - {stage_name}"


def ensure_sales_stage(stage_name: str) -> None:
	"""ERPNext's Sales Stage of that name, so that Opportunity.sales_stage can hold the deal's stage."""
	if stage_name and not frappe.db.exists("Sales Stage", stage_name):
		frappe.get_doc({"doctype": "Sales Stage", "stage_name": stage_name}).insert(
			ignore_permissions=True, ignore_if_duplicate=True
		)


def ensure_stage_unused(docname: str, stage_name: str) -> None:
	"""The "stage in use" rule: a stage holding deals cannot be removed."""
	if deals := frappe.db.count("Opportunity", {"deal_stage": docname}):
		frappe.throw(
			_("Stage {0} has {1} deal(s) and cannot be removed. Move them to another stage first.").format(
				frappe.bold(stage_name), deals
			),
			StageInUseError,
		)
