"""An office for approval tests: accounts an approval books to, expense categories, an organisation
(ann reports to bob, who reports to cleo; dan heads their department; gus manages their branch;
eve and fay hold a role) and form types (made in the test's transaction unless the test commits)."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, today

from tests.integration.factories import default_company, unique
from tests.integration.org_setup import make_branch, make_department, make_employee
from tests.integration.selling_setup import account

PEOPLE = ("ann", "bob", "cleo", "dan", "gus", "eve", "fay", "stranger")
ROLE = "Accounts User"  # eve and fay hold it (a role step's approvers)


def ledger(company: str, name: str, parent_name: str, **values) -> str:
	full = account(company, name)
	if not frappe.db.exists("Account", full):
		parent = frappe.db.get_value(
			"Account", {"company": company, "account_name": parent_name, "is_group": 1}
		)
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": name,
				"company": company,
				"parent_account": parent,
				**values,
			}
		).insert(ignore_permissions=True)
	return full


def accounts(company: str) -> frappe._dict:
	return frappe._dict(
		payable=ledger(company, "Korus Employee Payables", "Accounts Payable", account_type="Payable"),
		advance=ledger(
			company, "Korus Employee Advances", "Loans and Advances (Assets)", account_type="Payable"
		),
		cash=frappe.db.get_value("Account", {"company": company, "account_type": "Cash", "is_group": 0}),
		travel=ledger(company, "Korus Travel Expenses", "Indirect Expenses"),
		meals=ledger(company, "Korus Meal Expenses", "Indirect Expenses"),
	)


def category(name: str, expense_account: str) -> str:
	if not frappe.db.exists("Korus Expense Category", name):
		frappe.get_doc(
			{"doctype": "Korus Expense Category", "category_name": name, "expense_account": expense_account}
		).insert(ignore_permissions=True)
	return name


def form_type(kind: str, steps: list[dict], **values) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Approval Form Type",
				"form_type_name": unique(kind),
				"form_kind": kind,
				"steps": [{"step": 1, "mode": "Any", **row} for row in steps],
				**values,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_office(users: dict[str, str]) -> frappe._dict:
	"""`users`: a login for each of PEOPLE (made by the caller, committed when the test commits)."""
	company = default_company()
	branch = make_branch(manager=users["gus"])
	other_branch = make_branch()
	department = make_department(korus_head=users["dan"])
	other_department = make_department()
	employees = {}
	employees["cleo"] = make_employee(users["cleo"], department, branch)
	employees["bob"] = make_employee(users["bob"], department, branch, reports_to=employees["cleo"])
	employees["ann"] = make_employee(users["ann"], department, branch, reports_to=employees["bob"])
	employees["dan"] = make_employee(users["dan"], department, branch, reports_to=employees["cleo"])
	employees["gus"] = make_employee(users["gus"], department, branch)
	employees["stranger"] = make_employee(users["stranger"], other_department, other_branch)
	books = accounts(company)
	return frappe._dict(
		company=company,
		branch=branch,
		other_branch=other_branch,
		department=department,
		other_department=other_department,
		employees=employees,
		users=users,
		accounts=books,
		travel=category("Korus Travel", books.travel),
		meals=category("Korus Meals", books.meals),
	)


def request(office, who: str, form_type_name: str, **values):
	"""A draft request made by `who` (as that user), returned as Administrator again."""
	frappe.set_user(office.users[who])
	try:
		doc = frappe.get_doc(
			{
				"doctype": "Approval Request",
				"form_type": form_type_name,
				"title": values.pop("title", unique("Request")),
				"company": office.company,
				**values,
			}
		).insert()
	finally:
		frappe.set_user("Administrator")
	return doc


def expense_lines(office, *amounts: float) -> list[dict]:
	return [
		{
			"expense_date": add_days(today(), -1),
			"category": office.travel if i % 2 == 0 else office.meals,
			"amount": amount,
			"description": f"line {i + 1}",
		}
		for i, amount in enumerate(amounts)
	]


def as_user(user: str, fn, *args, **kwargs):
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")
