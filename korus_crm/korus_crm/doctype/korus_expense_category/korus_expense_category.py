# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A category of expense and the account its approved lines are booked to."""

import frappe
from frappe import _

from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import ApprovalPostingError


class KorusExpenseCategory(CheckedDocument):
	def validate(self) -> None:
		account = frappe.db.get_value(
			"Account", self.expense_account, ["root_type", "is_group"], as_dict=True
		)
		if not account or account.is_group or account.root_type != "Expense":
			frappe.throw(
				_("{0} is not an expense ledger account.").format(frappe.bold(self.expense_account)),
				ApprovalPostingError,
			)
