# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from korus_crm.exceptions import StageInUseError


class DealStage(Document):
	"""A stage of one pipeline. Written by its pipeline (Deal Pipeline.sync_stage_records), which
	holds the rules of a pipeline's stages; a direct edit is refused."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		color: DF.Color | None
		display_order: DF.Int
		is_default: DF.Check
		is_lost: DF.Check
		is_won: DF.Check
		pipeline: DF.Link
		probability: DF.Percent
		stage_name: DF.Data
	# end: auto-generated types

	def validate(self) -> None:
		self.ensure_edited_from_pipeline()

	def on_trash(self) -> None:
		if not frappe.flags.korus_deleting_stage_from_pipeline:
			self.ensure_edited_from_pipeline()
		if deals := frappe.db.count("Opportunity", {"deal_stage": self.name}):
			frappe.throw(
				_("Stage {0} has {1} deal(s) and cannot be removed.").format(
					frappe.bold(self.stage_name), deals
				),
				StageInUseError,
			)

	def before_rename(self, old: str, new: str, merge: bool = False) -> None:
		if not frappe.flags.korus_renaming_stage:
			frappe.throw(_("Rename a stage from its pipeline."), frappe.ValidationError)

	def ensure_edited_from_pipeline(self) -> None:
		if not self.flags.from_pipeline:
			frappe.throw(
				_("Stages are edited from their pipeline: open Deal Pipeline {0}.").format(
					frappe.bold(self.pipeline)
				),
				frappe.ValidationError,
			)
