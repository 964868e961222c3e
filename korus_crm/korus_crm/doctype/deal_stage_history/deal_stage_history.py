# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

from korus_crm.boundary import CheckedDocument


class DealStageHistory(CheckedDocument):
	"""One stay of a deal in a stage; written by korus_crm.events.opportunity, never by the client."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		changed_by: DF.Link | None
		deal: DF.Link
		deal_owner: DF.Link | None
		entered_at: DF.Datetime
		from_stage: DF.Link | None
		left_at: DF.Datetime | None
		pipeline: DF.Link | None
		to_stage: DF.Link
	# end: auto-generated types
