# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

from korus_crm.boundary import CheckedDocument


class DealPipelineStage(CheckedDocument):
	"""A row of a pipeline's stages table; the pipeline keeps a Deal Stage record for each row."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		color: DF.Color | None
		deal_stage: DF.Link | None
		idle_days: DF.Int
		is_default: DF.Check
		is_lost: DF.Check
		is_won: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		probability: DF.Percent
		stage_name: DF.Data
	# end: auto-generated types
