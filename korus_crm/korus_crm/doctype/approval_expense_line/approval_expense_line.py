# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""An expense request's line: date, category (its account), amount, description, receipt."""

from korus_crm.boundary import CheckedDocument


class ApprovalExpenseLine(CheckedDocument):
	pass
