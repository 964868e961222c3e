"""Cost and revenue categories and entries (seed 001 Finanse; docs/finance.md).

An entry is recorded through a simple form and booked by ERPNext: on submit, a Journal Entry is made
and submitted in the same transaction (a cost debits the category's expense account and credits the
bank or cash account; a revenue the reverse: korus_crm.rules.finance.journal_sides), each line with
the entry's branch (the Branch Accounting Dimension, korus_crm.setup.organisation) and cost center;
the entry links to it. Cancelling the entry cancels its Journal Entry. ERPNext's own validations
(closed periods, frozen accounts, dimensions) apply and are shown as they are."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt

from korus_crm.exceptions import FinanceCategoryError, FinanceEntryError
from korus_crm.rules import finance as rules

CATEGORY = "Korus Finance Category"
ENTRY = "Korus Finance Entry"


def _ledger_account(name: str, company: str):
	account = frappe.db.get_value(
		"Account", name, ["company", "is_group", "disabled", "root_type", "account_type"], as_dict=True
	)
	if not account or account.company != company or account.is_group or account.disabled:
		return None
	return account


# --- categories ---


def validate_category(category) -> None:
	category._validate_mandatory()  # the account and company are read below
	account = _ledger_account(category.account, category.company)
	if account is None:
		frappe.throw(
			_("The account {0} is not an active ledger account of {1}.").format(
				frappe.bold(category.account), frappe.bold(category.company)
			),
			FinanceCategoryError,
		)
	if not rules.account_fits(category.kind, account.root_type):
		frappe.throw(
			_("A {0} category is booked to an account of root type {1}; {2} is of root type {3}.").format(
				_(category.kind),
				_(rules.ROOT_TYPES[category.kind]),
				frappe.bold(category.account),
				_(account.root_type or ""),
			),
			FinanceCategoryError,
		)


# --- entries ---


def set_defaults(entry) -> None:
	"""The company from the category; the bank or cash account and cost center from the company's
	defaults when not chosen."""
	if entry.category:
		entry.company = frappe.db.get_value(CATEGORY, entry.category, "company") or entry.company
	if not entry.company:
		return
	if not entry.paid_through:
		entry.paid_through = frappe.get_cached_value(
			"Company", entry.company, "default_cash_account"
		) or frappe.get_cached_value("Company", entry.company, "default_bank_account")
	if not entry.cost_center:
		entry.cost_center = frappe.get_cached_value("Company", entry.company, "cost_center")


def validate_entry(entry) -> None:
	entry._validate_mandatory()  # the category and date are read below
	if not rules.valid_amount(entry.amount):
		frappe.throw(_("The amount must be greater than zero."), FinanceEntryError)
	category = frappe.db.get_value(CATEGORY, entry.category, ["kind", "disabled", "company"], as_dict=True)
	if category.disabled:
		frappe.throw(_("Category {0} is disabled.").format(frappe.bold(entry.category)), FinanceEntryError)
	if category.kind != entry.kind:
		frappe.throw(
			_("Category {0} is a {1} category; this entry is a {2}.").format(
				frappe.bold(entry.category), _(category.kind), _(entry.kind)
			),
			FinanceEntryError,
		)
	if not entry.paid_through:
		frappe.throw(
			_(
				"Choose the bank or cash account (Paid Through): company {0} has no default cash account."
			).format(frappe.bold(entry.company)),
			FinanceEntryError,
		)
	account = _ledger_account(entry.paid_through, entry.company)
	if account is None or account.account_type not in rules.PAYMENT_ACCOUNT_TYPES:
		frappe.throw(
			_("Paid Through must be an active bank or cash account of {0}; {1} is not.").format(
				frappe.bold(entry.company), frappe.bold(entry.paid_through)
			),
			FinanceEntryError,
		)
	if entry.cost_center:
		center = frappe.db.get_value("Cost Center", entry.cost_center, ["company", "is_group"], as_dict=True)
		if not center or center.company != entry.company or center.is_group:
			frappe.throw(
				_("Cost Center {0} is not a ledger cost center of {1}.").format(
					frappe.bold(entry.cost_center), frappe.bold(entry.company)
				),
				FinanceEntryError,
			)
	if entry.branch and frappe.get_meta("Branch").has_field("company"):
		branch_company = frappe.db.get_value("Branch", entry.branch, "company")
		if branch_company and branch_company != entry.company:
			frappe.throw(
				_("Branch {0} belongs to {1}, not {2}.").format(
					frappe.bold(entry.branch), frappe.bold(branch_company), frappe.bold(entry.company)
				),
				FinanceEntryError,
			)


def branch_dimension() -> str | None:
	"""The fieldname of the Branch Accounting Dimension on Journal Entry lines (None without it)."""
	fieldname = frappe.db.get_value("Accounting Dimension", {"document_type": "Branch"}, "fieldname")
	if fieldname and frappe.get_meta("Journal Entry Account").has_field(fieldname):
		return fieldname
	return None


def book(entry) -> str:
	"""The entry's Journal Entry, made and submitted by ERPNext (its name)."""
	category_account = frappe.db.get_value(CATEGORY, entry.category, "account")
	dimension = branch_dimension()
	lines = rules.journal_sides(entry.kind, category_account, entry.paid_through, flt(entry.amount))
	for line in lines:
		line["cost_center"] = entry.cost_center
		line["user_remark"] = entry.description
		if dimension and entry.branch:
			line[dimension] = entry.branch
	journal = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": entry.company,
			"posting_date": entry.date,
			"user_remark": _("{0} {1}: {2}").format(
				_(entry.kind), entry.name, entry.description or entry.category
			),
			"accounts": lines,
		}
	)
	if dimension and entry.branch and journal.meta.has_field(dimension):
		journal.set(dimension, entry.branch)
	journal.flags.ignore_permissions = True
	journal.insert()
	journal.submit()
	if entry.attachment and frappe.db.exists("File", {"file_url": entry.attachment}):
		attach_to(journal.name, entry)
	return journal.name


def attach_to(journal: str, entry) -> None:
	"""The entry's attachment is attached to its Journal Entry too (the same file, not a copy)."""
	source = frappe.db.get_value(
		"File",
		{"file_url": entry.attachment, "attached_to_doctype": ENTRY, "attached_to_name": entry.name},
		["file_name", "is_private"],
		as_dict=True,
	) or frappe._dict(
		file_name=entry.attachment.rsplit("/", 1)[-1], is_private=entry.attachment.startswith("/private/")
	)
	frappe.get_doc(
		{
			"doctype": "File",
			"file_url": entry.attachment,
			"file_name": source.file_name,
			"is_private": source.is_private,
			"attached_to_doctype": "Journal Entry",
			"attached_to_name": journal,
		}
	).insert(ignore_permissions=True)


def cancel(entry) -> None:
	"""A cancelled entry cancels its Journal Entry (ERPNext's refusal, e.g. a closed period, is shown)."""
	if not entry.journal_entry:
		return
	journal = frappe.get_doc("Journal Entry", entry.journal_entry)
	if journal.docstatus == 1:
		journal.flags.ignore_permissions = True
		journal.cancel()
