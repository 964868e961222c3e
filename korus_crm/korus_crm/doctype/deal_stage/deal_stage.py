# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _

from korus_crm.boundary import CheckedDocument
from korus_crm.deals.mirrors import ensure_stage_unused, stage_docname


class DealStage(CheckedDocument):
	"""A stage of one pipeline. Written by its pipeline (Deal Pipeline.sync_stage_records), which
	holds the rules of a pipeline's stages; a direct edit is refused."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		color: DF.Color | None
		display_order: DF.Int
		idle_days: DF.Int
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
		self.ensure_edited_from_pipeline()
		ensure_stage_unused(self.name, self.stage_name)

	def before_rename(self, old: str, new: str, merge: bool = False) -> None:
		"""Only as its pipeline renames it: the new name is that of the pipeline's row."""
		row_name = frappe.db.get_value(
			"Deal Pipeline Stage", {"parent": self.pipeline, "deal_stage": old}, "stage_name"
		)
		if merge or not row_name or new != stage_docname(self.pipeline, row_name):
			frappe.throw(_("Rename a stage from its pipeline."), frappe.ValidationError)

	def ensure_edited_from_pipeline(self) -> None:
		if not self.flags.from_pipeline:
			frappe.throw(
				_("Stages are edited from their pipeline: open Deal Pipeline {0}.").format(
					frappe.bold(self.pipeline)
				),
				frappe.ValidationError,
			)
