# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from korus_crm.boards import counts
from korus_crm.boards.deal_boards import delete_board, sync_deal_boards
from korus_crm.exceptions import DefaultStatusError, InvalidStagesError, StageInUseError
from korus_crm.rules import defaults
from korus_crm.rules import pipelines as rules


class DealPipeline(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from korus_crm.korus_crm.doctype.deal_pipeline_stage.deal_pipeline_stage import DealPipelineStage

		description: DF.SmallText | None
		display_order: DF.Int
		is_active: DF.Check
		is_default: DF.Check
		kanban_board: DF.Link | None
		pipeline_name: DF.Data
		stages: DF.Table[DealPipelineStage]
	# end: auto-generated types

	def validate(self) -> None:
		self.validate_stages()
		self.apply_default_rule()
		self.validate_default_is_active()
		self.validate_removed_stages()

	def on_update(self) -> None:
		self.clear_other_defaults()
		self.sync_stage_records()
		sync_deal_boards()
		self.kanban_board = frappe.db.get_value("Deal Pipeline", self.name, "kanban_board")

	def on_trash(self) -> None:
		self.ensure_deletable()
		self.delete_stage_records()
		delete_board(self.name)

	def after_delete(self) -> None:
		sync_deal_boards()

	def after_rename(self, old: str, new: str, merge: bool = False) -> None:
		# the stage records keep their names (their pipeline link was renamed by Frappe); the board is
		# made again under the new name
		delete_board(new)
		frappe.db.set_value("Deal Pipeline", new, "kanban_board", None, update_modified=False)
		sync_deal_boards()
		counts.recount(counts.DEALS)

	# --- rules ---

	def stage_rows(self) -> list[rules.StageRow]:
		return [
			rules.StageRow(
				name=(row.stage_name or "").strip(),
				is_default=bool(row.is_default),
				is_won=bool(row.is_won),
				is_lost=bool(row.is_lost),
				probability=flt(row.probability) if row.probability is not None else None,
				color=row.color,
				order=row.idx,
				docname=row.deal_stage,
			)
			for row in self.stages
		]

	def validate_stages(self) -> None:
		if not self.stages:
			frappe.throw(_("A pipeline needs at least one stage."), InvalidStagesError)
		for row in self.stages:
			row.stage_name = (row.stage_name or "").strip()
		messages = {
			"duplicate_name": _("Stage names must be unique within the pipeline."),
			"several_default": _("Only one stage can be the default stage."),
			"several_won": _("Only one stage can be the won stage."),
			"several_lost": _("Only one stage can be the lost stage."),
			"won_and_lost": _("A stage cannot be both won and lost."),
			"default_closes": _("The default stage cannot be a won or lost stage: new deals start in it."),
			"probability_range": _("Probability must be between 0 and 100."),
		}
		problems = rules.stage_problems(self.stage_rows())
		if problems:
			frappe.throw(
				"<br>".join(messages[p] for p in problems), InvalidStagesError, title=_("Invalid stages")
			)

	def apply_default_rule(self) -> None:
		current = frappe.get_all("Deal Pipeline", filters={"is_default": 1}, pluck="name")
		try:
			plan = defaults.plan_default(self.name, bool(self.is_default), current)
		except defaults.NoDefaultLeft:
			frappe.throw(
				_("{0} is the default pipeline. Make another pipeline the default instead.").format(
					frappe.bold(self.name)
				),
				DefaultStatusError,
			)
		self.is_default = int(plan.is_default)
		self._clear_default_on = plan.clear_default_on

	def validate_default_is_active(self) -> None:
		if self.is_default and not self.is_active:
			frappe.throw(_("The default pipeline must be active."), DefaultStatusError)

	def removed_stage_records(self) -> list[dict]:
		kept = {row.deal_stage for row in self.stages if row.deal_stage}
		return [
			s
			for s in frappe.get_all(
				"Deal Stage", filters={"pipeline": self.name}, fields=["name", "stage_name", "is_default"]
			)
			if s.name not in kept
		]

	def validate_removed_stages(self) -> None:
		if self.is_new():
			return
		for stage in self.removed_stage_records():
			if deals := frappe.db.count("Opportunity", {"deal_stage": stage.name}):
				frappe.throw(
					_(
						"Stage {0} has {1} deal(s) and cannot be removed. Move them to another stage first."
					).format(frappe.bold(stage.stage_name), deals),
					StageInUseError,
				)
			if stage.is_default and not any(row.is_default for row in self.stages):
				frappe.throw(
					_(
						"Stage {0} is the default stage and cannot be removed while other stages exist. Make another stage the default first."
					).format(frappe.bold(stage.stage_name)),
					StageInUseError,
				)

	def ensure_deletable(self) -> None:
		if self.is_default:
			frappe.throw(
				_("{0} is the default pipeline and cannot be deleted.").format(frappe.bold(self.name)),
				StageInUseError,
			)
		if deals := frappe.db.count("Opportunity", {"deal_pipeline": self.name}):
			frappe.throw(
				_("Pipeline {0} has {1} deal(s) and cannot be deleted.").format(
					frappe.bold(self.name), deals
				),
				StageInUseError,
			)

	# --- side effects ---

	def clear_other_defaults(self) -> None:
		for name in getattr(self, "_clear_default_on", ()):
			frappe.db.set_value("Deal Pipeline", name, "is_default", 0)

	def sync_stage_records(self) -> None:
		"""Each row of the stages table is a Deal Stage record (deals link to it)."""
		for stage in self.removed_stage_records():
			delete_stage(stage.name)
		for row in self.stages:
			values = {
				"pipeline": self.name,
				"stage_name": row.stage_name,
				"color": row.color,
				"probability": row.probability,
				"is_default": cint(row.is_default),
				"is_won": cint(row.is_won),
				"is_lost": cint(row.is_lost),
				"display_order": row.idx,
			}
			if row.deal_stage and frappe.db.exists("Deal Stage", row.deal_stage):
				stage = frappe.get_doc("Deal Stage", row.deal_stage)
				if stage.stage_name != row.stage_name:
					new_name = rename_stage(stage.name, self.name, row.stage_name)
					stage = frappe.get_doc("Deal Stage", new_name)
					row.db_set("deal_stage", new_name, update_modified=False)
				stage.update(values)
				stage.flags.from_pipeline = True
				stage.save(ignore_permissions=True)
			else:
				stage = frappe.get_doc({"doctype": "Deal Stage", **values})
				stage.flags.from_pipeline = True
				stage.insert(ignore_permissions=True)
				row.db_set("deal_stage", stage.name, update_modified=False)

	def delete_stage_records(self) -> None:
		for stage in frappe.get_all("Deal Stage", filters={"pipeline": self.name}, pluck="name"):
			delete_stage(stage)


def delete_stage(name: str) -> None:
	"""Delete a stage record that has no deals (its on_trash checks that). Links from the pipeline's
	own rows and from past stays in the stage history do not block it: history keeps the stage's
	name, which carries the pipeline's and the stage's."""
	frappe.flags.korus_deleting_stage_from_pipeline = True
	try:
		frappe.delete_doc("Deal Stage", name, ignore_permissions=True, force=True)
	finally:
		frappe.flags.korus_deleting_stage_from_pipeline = False


def rename_stage(old: str, pipeline: str, stage_name: str) -> str:
	"""Rename a stage record (Frappe updates every deal's link) and the deals' board column."""
	from frappe.query_builder import DocType

	new = f"{pipeline} - {stage_name}"
	frappe.flags.korus_renaming_stage = True
	try:
		frappe.rename_doc("Deal Stage", old, new, force=True, show_alert=False)
	finally:
		frappe.flags.korus_renaming_stage = False
	opportunity = DocType("Opportunity")
	frappe.qb.update(opportunity).set(opportunity.stage_column, stage_name).where(
		opportunity.deal_stage == new
	).run()
	counts.recount(counts.DEALS)
	return new
