# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A kind of approval form (seed 004 审批: general, leave, expense, travel, loan) and its route: who
approves a request of it, step by step (korus_crm.requests.routes)."""

import frappe
from frappe import _

from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import ApprovalPostingError
from korus_crm.requests import routes

BOOKED_ACCOUNTS = {
	"Expense": (("payable_account", "Payable to Employee", ("Payable",)),),
	"Loan": (
		("advance_account", "Advance to Employee", ("Payable",)),
		("paying_account", "Paid From", ("Cash", "Bank")),
	),
}


class ApprovalFormType(CheckedDocument):
	def validate(self) -> None:
		routes.check_route(self)
		self.check_accounts()

	def check_accounts(self) -> None:
		"""The accounts an approval books to belong to the form type's company and are of the type
		the booking needs (checked again when a request is submitted)."""
		for fieldname, label, types in BOOKED_ACCOUNTS.get(self.form_kind, ()):
			name = self.get(fieldname)
			if not name:
				continue
			account = frappe.db.get_value(
				"Account", name, ["company", "account_type", "is_group"], as_dict=True
			)
			if (
				not account
				or account.is_group
				or account.account_type not in types
				or (self.company and account.company != self.company)
			):
				frappe.throw(
					_("{0}: {1} must be a {2} ledger account of the form type's company.").format(
						_(label), frappe.bold(name), " / ".join(_(t) for t in types)
					),
					ApprovalPostingError,
				)

	def on_update(self) -> None:
		frappe.clear_document_cache(self.doctype, self.name)
