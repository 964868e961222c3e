# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

import frappe

from korus_crm.boundary import CheckedDocument


class WorkReportRecipient(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		full_name: DF.Data | None
		is_read: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		read_on: DF.Datetime | None
		user: DF.Link
		via: DF.Literal["Colleague", "Supervisor"]
	# end: auto-generated types

	pass


def on_doctype_update():
	# "unread for me": the reports a user received and has not read (covering: parent is in it)
	frappe.db.add_index("Work Report Recipient", ["user", "is_read", "parent"])
