# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""One approver's row of a request's route: step, approver, status, when, comment."""

import frappe

from korus_crm.boundary import CheckedDocument


class ApprovalRequestStep(CheckedDocument):
	pass


def on_doctype_update() -> None:
	# "awaiting me": the rows pending for one approver, an index lookup
	frappe.db.add_index("Approval Request Step", ["approver", "status"], "korus_approver_status")
