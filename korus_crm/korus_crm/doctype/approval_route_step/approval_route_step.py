# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A row of a form type's approval route (korus_crm.rules.approvals.RouteRow)."""

from korus_crm.boundary import CheckedDocument


class ApprovalRouteStep(CheckedDocument):
	pass
