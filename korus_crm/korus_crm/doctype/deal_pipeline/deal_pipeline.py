# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import cint, flt

from korus_crm.boards import counts
from korus_crm.boards.pipeline_config import clear_pipeline_cache
from korus_crm.boundary import CheckedDocument
from korus_crm.deals import mirrors
from korus_crm.exceptions import DefaultStatusError, InvalidStagesError, StageInUseError
from korus_crm.rules import defaults
from korus_crm.rules import pipelines as rules
from korus_crm.rules import rotting as rotting_rules


class DealPipeline(CheckedDocument):
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
		mirrors.sync_pipeline(self)

	def on_trash(self) -> None:
		self.ensure_deletable()
		mirrors.delete_pipeline_stages(self.name)

	def after_delete(self) -> None:
		clear_pipeline_cache()

	def after_rename(self, old: str, new: str, merge: bool = False) -> None:
		# Frappe renamed the pipeline's links (stage records, deals, history); the stage records
		# keep their names
		clear_pipeline_cache()
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
				idle_days=cint(row.idle_days) if row.idle_days is not None else None,
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
			"idle_days_range": _("Idle days must be between 0 and {0}.").format(rotting_rules.MAX_IDLE_DAYS),
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
		for stage in mirrors.removed_stage_records(self):
			mirrors.ensure_stage_unused(stage.name, stage.stage_name)
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
