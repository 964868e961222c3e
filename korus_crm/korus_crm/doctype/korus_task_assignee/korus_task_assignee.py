# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""One assignee of a Korus Task: the user it is assigned to, or each member of its user group. Kept
by the task's controller (a caller's rows are replaced); `open_assignee` is the user while the task
is open, so "my open tasks" is an index lookup."""

from korus_crm.boundary import CheckedDocument


class KorusTaskAssignee(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		open_assignee: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		user: DF.Link | None
	# end: auto-generated types

	pass
