# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

import frappe

from korus_crm.boundary import CheckedDocument


class KorusAnnouncementBranch(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		branch: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types

	pass


def on_doctype_update():
	# "announcements for my branch": the permission query's subquery reads this index only
	frappe.db.add_index("Korus Announcement Branch", ["branch", "parent"])
