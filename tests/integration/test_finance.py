"""Costs, revenues and commission (issue 14; docs/finance.md): a cost or revenue entry books an
ERPNext Journal Entry read back (accounts, debit and credit, branch) and cancelled with it; the
Costs and Revenues report against hand-computed figures, as Administrator and restricted to a
branch; the contract order's sales team prefilled from its owner's Sales Person and carried to the
Sales Order and Invoice; Employee Commission against hand-computed figures on invoiced and on paid
(a partial payment); bad input refused with a 4xx and nothing written."""

from __future__ import annotations

import json

import frappe
import pytest
from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from erpnext.accounts.utils import get_fiscal_year
from frappe.desk.query_report import run
from frappe.utils import add_days, add_months, getdate, nowdate
from frappe.utils.nestedset import get_root_of

from korus_crm.exceptions import FinanceCategoryError, FinanceEntryError, InvalidInputError
from korus_crm.finance.entries import branch_dimension
from korus_crm.setup.finance import BASIS_FIELD, TEAM_FIELD
from tests.integration.factories import default_company, make_customer, make_selling_item, unique
from tests.integration.org_setup import make_branch, make_employee
from tests.integration.support import new_user

ENTRY = "Korus Finance Entry"
CATEGORY = "Korus Finance Category"


def ledger(company: str, **filters) -> str:
	rows = frappe.get_all(
		"Account",
		filters={"company": company, "is_group": 0, "disabled": 0, **filters},
		fields=["name", "account_type"],
		order_by="name",
	)
	plain = [r.name for r in rows if not r.account_type]
	return (plain or [r.name for r in rows])[0]


@pytest.fixture
def books():
	company = default_company()
	cash = frappe.get_cached_value("Company", company, "default_cash_account") or ledger(
		company, account_type="Cash"
	)
	expense = ledger(company, root_type="Expense")
	income = frappe.get_cached_value("Company", company, "default_income_account") or ledger(
		company, root_type="Income"
	)
	start = getdate(get_fiscal_year(nowdate(), company=company)[1])
	return frappe._dict(
		company=company,
		cash=cash,
		expense=expense,
		income=income,
		first=start,  # two months of the current fiscal year
		second=add_months(start, 1),
		branch_a=make_branch(),
		branch_b=make_branch(),
		cost=make_category("Cost", expense, company),
		revenue=make_category("Revenue", income, company),
	)


def make_category(kind: str, account: str, company: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": CATEGORY,
				"category_name": unique(f"Korus {kind}"),
				"kind": kind,
				"account": account,
				"company": company,
			}
		)
		.insert()
		.name
	)


def make_entry(books, kind: str, amount: float, date, branch: str | None, submit: bool = True, **values):
	entry = frappe.get_doc(
		{
			"doctype": ENTRY,
			"kind": kind,
			"category": books.cost if kind == "Cost" else books.revenue,
			"amount": amount,
			"date": date,
			"branch": branch,
			"paid_through": books.cash,
			"description": "Korus test",
			**values,
		}
	).insert()
	if submit:
		entry.submit()
	return entry


def journal_lines(name: str) -> dict[str, tuple[float, float, str | None]]:
	dimension = branch_dimension()
	journal = frappe.get_doc("Journal Entry", name)
	return {
		row.account: (row.debit_in_account_currency, row.credit_in_account_currency, row.get(dimension))
		for row in journal.accounts
	}


def test_a_cost_books_a_journal_entry(books):
	assert branch_dimension(), "Branch is an Accounting Dimension (korus_crm.setup.organisation)"
	entry = make_entry(books, "Cost", 120.5, books.first, books.branch_a)
	assert entry.journal_entry
	journal = frappe.get_doc("Journal Entry", entry.journal_entry)
	assert journal.docstatus == 1
	assert journal.company == books.company
	assert getdate(journal.posting_date) == getdate(books.first)
	assert journal_lines(journal.name) == {
		books.expense: (120.5, 0, books.branch_a),
		books.cash: (0, 120.5, books.branch_a),
	}
	gl = frappe.get_all(
		"GL Entry",
		filters={"voucher_no": journal.name, "is_cancelled": 0},
		fields=["account", "debit", "credit", branch_dimension()],
	)
	assert {(g.account, g.debit, g.credit, g.get(branch_dimension())) for g in gl} == {
		(books.expense, 120.5, 0, books.branch_a),
		(books.cash, 0, 120.5, books.branch_a),
	}


def test_the_attachment_goes_to_the_journal_entry(books):
	receipt = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{unique('korus-receipt')}.txt",
			"content": b"receipt",
			"is_private": 1,
		}
	).insert()
	entry = make_entry(books, "Cost", 12, books.first, books.branch_a, attachment=receipt.file_url)
	assert frappe.db.exists(
		"File",
		{
			"file_url": receipt.file_url,
			"attached_to_doctype": "Journal Entry",
			"attached_to_name": entry.journal_entry,
		},
	)


def test_a_revenue_books_the_reverse(books):
	entry = make_entry(books, "Revenue", 300, books.first, books.branch_b)
	assert journal_lines(entry.journal_entry) == {
		books.cash: (300, 0, books.branch_b),
		books.income: (0, 300, books.branch_b),
	}


def test_the_company_cash_account_is_the_default(books):
	entry = make_entry(books, "Cost", 10, books.first, None, paid_through=None)
	cash = frappe.get_cached_value("Company", books.company, "default_cash_account")
	if cash:
		assert entry.paid_through == cash
	assert entry.cost_center == frappe.get_cached_value("Company", books.company, "cost_center")


def test_cancelling_the_entry_cancels_its_journal_entry(books):
	entry = make_entry(books, "Cost", 45, books.first, books.branch_a)
	entry.cancel()
	assert frappe.db.get_value("Journal Entry", entry.journal_entry, "docstatus") == 2
	assert not frappe.get_all(
		"GL Entry", filters={"voucher_no": entry.journal_entry, "is_cancelled": 0}, pluck="name"
	)


def report_rows(books, **filters) -> list[dict]:
	filters = {
		"company": books.company,
		"from_date": str(books.first),
		"to_date": str(add_days(add_months(books.second, 1), -1)),
		**filters,
	}
	rows = run("Costs and Revenues", filters=json.dumps(filters))["result"]
	return [
		(r["month"], r["branch"], r["costs"], r["revenues"], r["result"])
		for r in rows
		if isinstance(r, dict) and r.get("branch") in (books.branch_a, books.branch_b)
	]


@pytest.fixture
def month_of_entries(books):
	"""Branch A: first month costs 100 + 50.25 and revenue 400; second month cost 30. Branch B:
	first month revenue 70. A draft and a cancelled entry count for nothing."""
	make_entry(books, "Cost", 100, books.first, books.branch_a)
	make_entry(books, "Cost", 50.25, add_days(books.first, 3), books.branch_a)
	make_entry(books, "Revenue", 400, add_days(books.first, 5), books.branch_a)
	make_entry(books, "Cost", 30, books.second, books.branch_a)
	make_entry(books, "Revenue", 70, books.first, books.branch_b)
	make_entry(books, "Revenue", 999, books.first, books.branch_a, submit=False)
	make_entry(books, "Cost", 888, books.first, books.branch_b).cancel()
	return books


def test_monthly_report_per_branch(month_of_entries):
	books = month_of_entries
	m1, m2 = str(books.first)[:7], str(books.second)[:7]
	expected = [
		(m1, books.branch_a, 150.25, 400.0, 249.75),
		(m1, books.branch_b, 0.0, 70.0, 70.0),
		(m2, books.branch_a, 30.0, 0.0, -30.0),
	]
	assert sorted(report_rows(books)) == sorted(expected)
	assert report_rows(books, branch=books.branch_b) == [(m1, books.branch_b, 0.0, 70.0, 70.0)]


def test_monthly_report_restricted_to_a_branch(month_of_entries):
	books = month_of_entries
	user = new_user("Accounts User")
	frappe.get_doc(
		{"doctype": "User Permission", "user": user, "allow": "Branch", "for_value": books.branch_b}
	).insert(ignore_permissions=True)
	frappe.set_user(user)
	assert report_rows(books) == [(str(books.first)[:7], books.branch_b, 0.0, 70.0, 70.0)]
	frappe.set_user("Administrator")
	sales_user = new_user("Sales User")
	frappe.set_user(sales_user)
	with pytest.raises(frappe.PermissionError):
		report_rows(books)


# --- commission ---


@pytest.fixture
def sellers():
	"""Two sales people with ERPNext commission rates of 10 % and 5 %."""

	def person(rate: float, employee: str | None = None) -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "Sales Person",
					"sales_person_name": unique("Korus Seller"),
					"parent_sales_person": get_root_of("Sales Person"),
					"is_group": 0,
					"commission_rate": rate,
					"employee": employee,
				}
			)
			.insert()
			.name
		)

	return frappe._dict(person=person, ten=person(10), five=person(5))


def commission_rows(**filters) -> dict[str, dict]:
	rows = run("Employee Commission", filters=json.dumps({"company": default_company(), **filters}))
	return {r["sales_person"]: r for r in rows["result"] if isinstance(r, dict) and r.get("sales_person")}


def set_basis(basis: str) -> None:
	frappe.db.set_single_value("Korus CRM Settings", BASIS_FIELD, basis)


def test_commission_on_invoiced_and_on_paid(sellers):
	"""An invoice of 1000 (net) split 60/40 between sellers of 10 % and 5 %: ERPNext's incentives
	60 and 20; 250 of it paid: 15 and 5 earned on paid."""
	company = default_company()
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": make_customer().name,
			"company": company,
			"posting_date": nowdate(),
			"due_date": nowdate(),
			"items": [{"item_code": make_selling_item(rate=1000), "qty": 1, "rate": 1000}],
			"sales_team": [
				{"sales_person": sellers.ten, "allocated_percentage": 60},
				{"sales_person": sellers.five, "allocated_percentage": 40},
			],
		}
	)
	invoice.set("taxes", [])
	invoice.taxes_and_charges = None
	invoice.insert()
	invoice.submit()
	assert invoice.base_net_total == 1000
	payment = get_payment_entry("Sales Invoice", invoice.name, party_amount=250 * invoice.conversion_rate)
	payment.reference_no, payment.reference_date = "KORUS-FIN-1", nowdate()
	payment.insert()
	payment.submit()
	paid_share = 250 / invoice.rounded_total if invoice.rounded_total else 250 / invoice.grand_total
	today = nowdate()

	set_basis("Invoiced")
	rows = commission_rows(from_date=today, to_date=today)
	ten, five = rows[sellers.ten], rows[sellers.five]
	assert (ten["allocated_amount"], ten["invoiced_commission"], ten["commission"]) == (600, 60, 60)
	assert (five["allocated_amount"], five["invoiced_commission"], five["commission"]) == (400, 20, 20)
	assert ten["paid_commission"] == pytest.approx(60 * paid_share, abs=0.01)
	assert ten["invoices"] == 1

	set_basis("Paid")
	rows = commission_rows(from_date=today, to_date=today, sales_person=sellers.ten)
	assert list(rows) == [sellers.ten]
	assert rows[sellers.ten]["commission"] == pytest.approx(60 * paid_share, abs=0.01)
	if invoice.grand_total == 1000:  # no taxes on the site's defaults: exact figures
		assert rows[sellers.ten]["commission"] == 15
		assert commission_rows(from_date=today, to_date=today)[sellers.five]["commission"] == 5
	# outside the period: nothing
	assert sellers.ten not in commission_rows(from_date=add_days(today, 1), to_date=add_days(today, 2))


def test_contract_order_team_from_the_owner_with_commission(sellers):
	owner = new_user("Sales User")
	employee = make_employee(owner, None, None)
	person = sellers.person(12.5, employee)
	order = frappe.get_doc(
		{
			"doctype": "Contract Order",
			"customer": make_customer(account_manager=owner).name,
			"company": default_company(),
			"contract_owner": owner,
			"items": [{"item_code": make_selling_item(rate=200), "qty": 2, "rate": 200}],
		}
	).insert()
	team = order.get(TEAM_FIELD)
	assert [(t.sales_person, t.allocated_percentage, float(t.commission_rate)) for t in team] == [
		(person, 100, 12.5)
	]
	if order.currency == frappe.get_cached_value("Company", order.company, "default_currency"):
		assert team[0].allocated_amount == pytest.approx(order.net_total)
	assert team[0].allocated_amount > 0
	assert team[0].incentives == pytest.approx(team[0].allocated_amount * 0.125, abs=0.01)
	order.submit()
	order.reload()
	so_team = frappe.get_all(
		"Sales Team",
		filters={"parent": order.sales_order, "parenttype": "Sales Order"},
		fields=["sales_person", "allocated_percentage", "commission_rate", "incentives", "allocated_amount"],
	)
	assert [(t.sales_person, t.allocated_percentage, float(t.commission_rate)) for t in so_team] == [
		(person, 100, 12.5)
	]
	si_team = frappe.get_all(
		"Sales Team",
		filters={"parent": order.sales_invoice, "parenttype": "Sales Invoice"},
		fields=["sales_person", "incentives", "allocated_amount"],
	)
	assert [t.sales_person for t in si_team] == [person]
	assert si_team[0].incentives == pytest.approx(si_team[0].allocated_amount * 0.125, abs=0.01)
	rows = commission_rows(from_date=nowdate(), to_date=nowdate(), sales_person=person)
	assert rows[person]["invoiced_commission"] == pytest.approx(si_team[0].incentives, abs=0.01)
	assert rows[person]["employee"] == employee


def test_a_split_team_on_the_order_reaches_the_sales_order(sellers):
	order = frappe.get_doc(
		{
			"doctype": "Contract Order",
			"customer": make_customer().name,
			"company": default_company(),
			"contract_owner": "Administrator",
			"items": [{"item_code": make_selling_item(rate=100), "qty": 1, "rate": 100}],
			TEAM_FIELD: [
				{"sales_person": sellers.ten, "allocated_percentage": 70},
				{"sales_person": sellers.five, "allocated_percentage": 30},
			],
		}
	).insert()
	order.submit()
	order.reload()
	so_team = frappe.get_all(
		"Sales Team",
		filters={"parent": order.sales_order, "parenttype": "Sales Order"},
		fields=["sales_person", "allocated_percentage"],
		order_by="idx",
	)
	assert [(t.sales_person, t.allocated_percentage) for t in so_team] == [
		(sellers.ten, 70),
		(sellers.five, 30),
	]


# --- bad input ---


def test_bad_entries_are_refused(books):
	with pytest.raises(FinanceEntryError):
		make_entry(books, "Cost", 0, books.first, None)
	with pytest.raises(FinanceEntryError):  # a revenue category on a cost
		make_entry(books, "Cost", 5, books.first, None, category=books.revenue)
	with pytest.raises(FinanceEntryError):  # not a bank or cash account
		make_entry(books, "Cost", 5, books.first, None, paid_through=books.expense)
	with pytest.raises(FinanceCategoryError):  # an income account on a cost category
		make_category("Cost", books.income, books.company)
	with pytest.raises(InvalidInputError):
		run("Costs and Revenues", filters=json.dumps({"from_date": "2026-02-01", "to_date": "2026-01-01"}))
	with pytest.raises(InvalidInputError):
		run("Employee Commission", filters=json.dumps({"period": "Weekly"}))
	assert not frappe.get_all(ENTRY, filters={"category": ("in", [books.cost, books.revenue])})


def test_bad_input_over_rest_answers_4xx_and_writes_nothing(api, committed):
	company = default_company()
	category = make_category("Cost", ledger(company, root_type="Expense"), company)
	frappe.db.commit()
	committed.add(CATEGORY, category)
	client = api("Accounts Manager")
	before = frappe.db.count(ENTRY)
	for values in (
		{"kind": "Cost", "category": category, "amount": -5, "date": nowdate()},
		{"kind": "Cost", "category": category, "amount": 0, "date": nowdate()},
		{"kind": "Cost", "category": category, "amount": "abc", "date": nowdate()},
		{"kind": "Revenue", "category": category, "amount": 5, "date": nowdate()},
		{"kind": "Gift", "category": category, "amount": 5, "date": nowdate()},
		{"kind": "Cost", "category": "No Such Category", "amount": 5, "date": nowdate()},
		{"kind": "Cost", "category": category, "amount": 5, "date": "not a date"},
	):
		response = client.post(f"/api/resource/{ENTRY}", {"data": json.dumps(values)})
		assert 400 <= response.status_code < 500, (values, response)
	for report, filters in (
		("Costs and Revenues", {"from_date": "yesterday"}),
		("Employee Commission", {"period": "Weekly"}),
		("Employee Commission", {"company": {"a": 1}}),
	):
		response = client.post(
			"/api/method/frappe.desk.query_report.run",
			{"report_name": report, "filters": json.dumps(filters)},
		)
		assert 400 <= response.status_code < 500, (report, filters, response)
	frappe.db.rollback()
	assert frappe.db.count(ENTRY) == before
