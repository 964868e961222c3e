# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

import frappe

from korus_crm.boundary import CheckedDocument


class BoardColumnCount(CheckedDocument):
	"""Written only by korus_crm.boards.counts (atomic upserts); never edited by hand."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		dimension: DF.Data | None
		dimension_value: DF.Data | None
		group_field: DF.Data
		group_value: DF.Data | None
		record_count: DF.Int
		reference_doctype: DF.Link
		scope: DF.Data | None
		value_total: DF.Float
		weighted_total: DF.Float
	# end: auto-generated types


def on_doctype_update() -> None:
	"""A board's counters (of one dimension's values) are one index range."""
	frappe.db.add_index(
		"Board Column Count",
		["reference_doctype", "group_field", "scope", "dimension", "dimension_value"],
		"korus_board_counters",
	)
