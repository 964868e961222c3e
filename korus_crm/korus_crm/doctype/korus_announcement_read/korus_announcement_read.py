# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A read receipt: a user opened an announcement. Written by the server only
(korus_crm.office.announcements.record_read), one per announcement and user."""

import frappe

from korus_crm.boundary import CheckedDocument


class KorusAnnouncementRead(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		announcement: DF.Link
		full_name: DF.Data | None
		read_on: DF.Datetime | None
		user: DF.Link
	# end: auto-generated types

	pass


def on_doctype_update():
	# one receipt per announcement and user (and "has the user read it" is a lookup on it)
	frappe.db.add_unique(
		"Korus Announcement Read", ["announcement", "user"], constraint_name="unique_announcement_user"
	)
	# "what has the user read"
	frappe.db.add_index("Korus Announcement Read", ["user", "announcement"])
