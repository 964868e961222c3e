# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

from korus_crm.boundary import CheckedDocument


class KorusCRMSettings(CheckedDocument):
	"""Korus CRM's settings. Export, import and reset of the CRM configuration are in
	korus_crm.api.settings (buttons on this form)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		default_deal_company: DF.Link | None
	# end: auto-generated types
