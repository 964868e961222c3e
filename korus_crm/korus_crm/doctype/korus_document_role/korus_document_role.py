# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

from korus_crm.boundary import CheckedDocument


class KorusDocumentRole(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		role: DF.Link
	# end: auto-generated types

	pass
