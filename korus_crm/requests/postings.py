"""What an approved request books in ERPNext: an expense is owed to the employee (debit each line's
expense account, credit the form type's Payable account with the Employee as party); a loan is an
advance to the employee (debit the form type's advance account with the Employee as party, credit
the account it is paid from). One Journal Entry per request, made in the transaction that approves
it, under the request's row lock: a retried approval finds the request decided and books nothing."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from korus_crm.exceptions import ApprovalPostingError

EXPENSE, LOAN = "Expense", "Loan"
BOOKED_KINDS = (EXPENSE, LOAN)


def _account(name: str | None, company: str, label: str, types: tuple[str, ...] | None = None) -> None:
	if not name:
		frappe.throw(
			_("Set the {0} account on the form type before requests of it are submitted.").format(_(label)),
			ApprovalPostingError,
		)
	account = frappe.db.get_value(
		"Account", name, ["company", "is_group", "account_type", "disabled"], as_dict=True
	)
	if not account or account.company != company or account.is_group or account.disabled:
		frappe.throw(
			_("The {0} account {1} is not an active ledger account of {2}.").format(
				_(label), frappe.bold(name), frappe.bold(company)
			),
			ApprovalPostingError,
		)
	if types and account.account_type not in types:
		frappe.throw(
			_("The {0} account {1} must be of type {2}.").format(
				_(label), frappe.bold(name), " / ".join(_(t) for t in types)
			),
			ApprovalPostingError,
		)


def check_ready(request, form_type) -> None:
	"""On submission: the approval will be able to book (an Employee as the party, the accounts set,
	of the request's company and of the right type)."""
	if request.form_kind not in BOOKED_KINDS:
		return
	if not request.employee:
		frappe.throw(
			_("An expense or loan is booked to the employee: link {0} to an Employee first.").format(
				request.requested_by
			),
			ApprovalPostingError,
		)
	if request.form_kind == EXPENSE:
		_account(form_type.payable_account, request.company, "Payable to Employee", ("Payable",))
		for line in request.expenses:
			_account(
				frappe.db.get_value("Korus Expense Category", line.category, "expense_account"),
				request.company,
				"Expense",
			)
	else:
		_account(form_type.advance_account, request.company, "Advance to Employee", ("Payable",))
		_account(form_type.paying_account, request.company, "Paid From", ("Cash", "Bank"))


def book(request, form_type) -> str | None:
	"""The Journal Entry of an approved expense or loan (its name); None for other kinds."""
	if request.form_kind not in BOOKED_KINDS:
		return None
	if request.journal_entry:
		return request.journal_entry
	check_ready(request, form_type)
	cost_center = form_type.cost_center or frappe.get_cached_value("Company", request.company, "cost_center")
	party = {"party_type": "Employee", "party": request.employee}
	if request.form_kind == EXPENSE:
		rows = [
			{
				"account": frappe.db.get_value("Korus Expense Category", line.category, "expense_account"),
				"debit_in_account_currency": flt(line.amount),
				"cost_center": cost_center,
				"user_remark": line.description,
			}
			for line in request.expenses
		]
		rows.append(
			{
				"account": form_type.payable_account,
				"credit_in_account_currency": flt(request.amount),
				"cost_center": cost_center,
				**party,
			}
		)
	else:
		rows = [
			{
				"account": form_type.advance_account,
				"debit_in_account_currency": flt(request.amount),
				"cost_center": cost_center,
				**party,
			},
			{
				"account": form_type.paying_account,
				"credit_in_account_currency": flt(request.amount),
				"cost_center": cost_center,
			},
		]
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": request.company,
			"posting_date": nowdate(),
			"user_remark": _("{0} {1}: {2}").format(_("Approval Request"), request.name, request.title),
			"accounts": rows,
		}
	)
	entry.flags.ignore_permissions = True
	entry.insert()
	entry.submit()
	return entry.name


def cancel(request) -> None:
	"""A cancelled approved request cancels its Journal Entry (ERPNext refuses while a payment is
	linked to it; that refusal is shown)."""
	if not request.journal_entry:
		return
	entry = frappe.get_doc("Journal Entry", request.journal_entry)
	if entry.docstatus == 1:
		entry.flags.ignore_permissions = True
		entry.cancel()
