"""Sales targets (seed 004 回款计划): quarters and the year derived, one target per whom, year and
metric; Target vs Achieved against hand-computed orders, invoices, payments and new customers per
month, quarter and year, for an employee, a department and the company, as Administrator and as a
Sales User of scope Own; the mirror into ERPNext's Sales Person targets, checked against ERPNext's
own "Sales Person Target Variance Based On Item Group" report; target_by_month; bad filters."""

from __future__ import annotations

import datetime
import json

import frappe
import pytest
from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from erpnext.accounts.report.financial_statements import get_period_list
from erpnext.accounts.utils import get_fiscal_year
from frappe.desk.query_report import run
from frappe.utils import getdate, nowdate
from frappe.utils.nestedset import get_root_of

from korus_crm.analytics.targets import MIRROR_PREFIX, target_by_month
from korus_crm.exceptions import InvalidInputError, SalesTargetError
from korus_crm.rules import targets as rules
from korus_crm.rules.scope import OWN
from tests.integration.factories import default_company, make_customer, make_selling_item, unique
from tests.integration.org_setup import make_org
from tests.integration.support import make_user, set_scope

REPORT = "Target vs Achieved"


def this_month() -> tuple[datetime.date, str, str]:
	"""Today, its month's target field and its "YYYY-MM" key (the site's date)."""
	today = getdate(nowdate())
	return today, rules.MONTH_FIELDS[today.month - 1], rules.month_key(today)


@pytest.fixture
def people(committed):
	made = {}
	for key in ("me", "dave", "alice", "bob", "eve"):
		user, _password = make_user(["Sales User"])
		committed.add("User", user)
		made[key] = user
	return made


def make_target(
	metric: str, target_for: str = rules.EMPLOYEE, amount: float = 500, others: float = 100, **whom
):
	months = {f: others for f in rules.MONTH_FIELDS}
	months[this_month()[1]] = amount
	return frappe.get_doc(
		{
			"doctype": "Korus Sales Target",
			"fiscal_year": whom.pop("fiscal_year"),
			"metric": metric,
			"target_for": target_for,
			"company": default_company(),
			**whom,
			**months,
		}
	).insert()


@pytest.fixture
def world(people):
	"""me (an Employee with a Sales Person) has, this month: one approved order of 100 (its Sales
	Order and invoice carry me's Sales Person), 60 collected on its invoice, two new customers."""
	org = make_org(people)
	me = people["me"]
	company = default_company()
	fiscal_year = get_fiscal_year(nowdate(), company=company)[0]
	employee = frappe.db.get_value("Employee", {"user_id": me})
	person = frappe.get_doc(
		{
			"doctype": "Sales Person",
			"sales_person_name": unique("Korus Seller"),
			"parent_sales_person": get_root_of("Sales Person"),
			"is_group": 0,
			"employee": employee,
		}
	).insert()
	customer = make_customer(account_manager=me).name
	make_customer(account_manager=me)
	make_customer(account_manager=people["dave"])
	order = frappe.get_doc(
		{
			"doctype": "Contract Order",
			"customer": customer,
			"company": company,
			"contract_owner": me,
			"items": [{"item_code": make_selling_item(rate=100), "qty": 1, "rate": 100}],
		}
	).insert()
	order.submit()
	order.reload()
	payment = get_payment_entry("Sales Invoice", order.sales_invoice, party_amount=60)
	payment.reference_no, payment.reference_date = "KORUS-T-1", nowdate()
	payment.insert()
	payment.submit()
	return frappe._dict(
		org=org,
		users=people,
		company=company,
		fiscal_year=fiscal_year,
		employee=employee,
		person=person.name,
		order=order,
	)


def report(filters: dict) -> list[dict]:
	return run(REPORT, filters=json.dumps(filters))["result"]


def row_of(rows: list[dict], target: str) -> dict:
	return next(r for r in rows if r["target"] == target)


def test_quarters_and_year_are_derived(world):
	target = make_target(rules.ORDER_VALUE, employee=world.employee, fiscal_year=world.fiscal_year)
	assert target.year_total == 500 + 11 * 100
	assert sum(target.get(q) for q in rules.QUARTER_FIELDS) == target.year_total
	assert target.company == frappe.db.get_value("Employee", world.employee, "company")


def test_one_target_per_whom_year_and_metric(world):
	make_target(rules.ORDER_VALUE, employee=world.employee, fiscal_year=world.fiscal_year)
	with pytest.raises(SalesTargetError):
		make_target(rules.ORDER_VALUE, employee=world.employee, fiscal_year=world.fiscal_year)
	make_target(rules.NEW_CUSTOMERS, employee=world.employee, fiscal_year=world.fiscal_year)
	with pytest.raises(SalesTargetError):
		make_target(rules.ORDER_VALUE, fiscal_year=world.fiscal_year)  # an employee target without one


def test_achieved_per_month_quarter_and_year(world):
	_today, _field, key = this_month()
	targets = {
		metric: make_target(metric, employee=world.employee, fiscal_year=world.fiscal_year).name
		for metric in rules.METRICS
	}
	rows = report({"fiscal_year": world.fiscal_year, "employee": world.employee})
	achieved = {
		rules.ORDER_VALUE: 100,
		rules.INVOICED_VALUE: 100,
		rules.COLLECTED_VALUE: 60,
		rules.NEW_CUSTOMERS: 2,
	}
	for metric, name in targets.items():
		row = row_of(rows, name)
		assert row[f"target_{key}"] == 500
		assert row[f"achieved_{key}"] == achieved[metric], metric
		assert row[f"rate_{key}"] == round(100 * achieved[metric] / 500, 2)
		assert (row["total_target"], row["total_achieved"]) == (1600, achieved[metric])
		assert row["documents"].startswith("/app/")
	start = getdate(frappe.db.get_value("Fiscal Year", world.fiscal_year, "year_start_date"))
	quarter = next(p for p in rules.periods(start, rules.QUARTERLY) if key in p.months)
	rows = report({"fiscal_year": world.fiscal_year, "period": "Quarterly", "metric": rules.ORDER_VALUE})
	row = row_of(rows, targets[rules.ORDER_VALUE])
	assert (row[f"target_{quarter.key}"], row[f"achieved_{quarter.key}"]) == (700, 100)
	rows = report({"fiscal_year": world.fiscal_year, "period": "Yearly", "metric": rules.ORDER_VALUE})
	row = row_of(rows, targets[rules.ORDER_VALUE])
	assert (row[f"target_{start.year}"], row[f"rate_{start.year}"]) == (1600, 6.25)


def test_department_and_company_targets(world):
	_today, _field, key = this_month()
	department = make_target(
		rules.NEW_CUSTOMERS, rules.DEPARTMENT, department=world.org.d, fiscal_year=world.fiscal_year
	)
	company = make_target(rules.ORDER_VALUE, rules.COMPANY, fiscal_year=world.fiscal_year)
	rows = report({"fiscal_year": world.fiscal_year})
	# the department (me and dave in D): 3 new customers; the company: every approved order
	assert row_of(rows, department.name)[f"achieved_{key}"] == 3
	assert row_of(rows, company.name)[f"achieved_{key}"] >= 100


def test_a_sales_user_of_scope_own_sees_only_their_targets(world):
	_today, _field, key = this_month()
	mine = make_target(rules.ORDER_VALUE, employee=world.employee, fiscal_year=world.fiscal_year)
	dave = frappe.db.get_value("Employee", {"user_id": world.users["dave"]})
	theirs = make_target(rules.ORDER_VALUE, employee=dave, fiscal_year=world.fiscal_year)
	company = make_target(rules.ORDER_VALUE, rules.COMPANY, fiscal_year=world.fiscal_year)
	set_scope("Sales User", OWN)
	frappe.set_user(world.users["me"])
	try:
		rows = report({"fiscal_year": world.fiscal_year})
	finally:
		frappe.set_user("Administrator")
	names = {r["target"] for r in rows}
	assert mine.name in names
	assert not names & {theirs.name, company.name}
	assert row_of(rows, mine.name)[f"achieved_{key}"] == 100


def erpnext_variance(world, doctype: str) -> tuple[float, float]:
	today = this_month()[0]
	from erpnext.selling.report.sales_person_target_variance_based_on_item_group.sales_person_target_variance_based_on_item_group import (
		execute,
	)

	filters = frappe._dict(
		fiscal_year=world.fiscal_year,
		doctype=doctype,
		period="Monthly",
		target_on="Amount",
		company=world.company,
	)
	periods = get_period_list(
		world.fiscal_year, world.fiscal_year, "", "", "Fiscal Year", "Monthly", company=world.company
	)
	key = next(p.key for p in periods if getdate(p.from_date) <= today <= getdate(p.to_date))
	_columns, data = execute(filters)
	row = next(r for r in data if r["sales_person"] == world.person)
	return round(row[f"target_{key}"], 2), round(row[key], 2)


def test_erpnext_target_variance_report_agrees_for_the_month(world):
	_today, _field, key = this_month()
	target = make_target(
		rules.ORDER_VALUE,
		employee=world.employee,
		fiscal_year=world.fiscal_year,
		amount=333.33,
		others=41.5,
	)
	rows = report({"fiscal_year": world.fiscal_year, "metric": rules.ORDER_VALUE})
	korus = row_of(rows, target.name)
	assert (
		erpnext_variance(world, "Sales Order")
		== (
			korus[f"target_{key}"],
			korus[f"achieved_{key}"],
		)
		== (333.33, 100)
	)
	details = frappe.get_all(
		"Target Detail",
		filters={"parent": world.person, "parenttype": "Sales Person"},
		fields=["fiscal_year", "target_amount", "distribution_id"],
	)
	assert [(d.fiscal_year, d.target_amount, d.distribution_id) for d in details] == [
		(world.fiscal_year, target.year_total, MIRROR_PREFIX + target.name)
	]
	# an Invoiced Value target goes to ERPNext only without an Order Value target
	invoiced = make_target(rules.INVOICED_VALUE, employee=world.employee, fiscal_year=world.fiscal_year)
	target.delete()
	assert not frappe.db.exists("Monthly Distribution", MIRROR_PREFIX + target.name)
	rows = report({"fiscal_year": world.fiscal_year, "metric": rules.INVOICED_VALUE})
	korus = row_of(rows, invoiced.name)
	assert erpnext_variance(world, "Sales Invoice") == (korus[f"target_{key}"], 100) == (500, 100)
	invoiced.delete()
	assert not frappe.get_all("Target Detail", filters={"parent": world.person, "parenttype": "Sales Person"})


def test_target_by_month(world):
	today, _field, key = this_month()
	make_target(rules.ORDER_VALUE, employee=world.employee, fiscal_year=world.fiscal_year)
	make_target(rules.ORDER_VALUE, rules.COMPANY, fiscal_year=world.fiscal_year, amount=9000)
	assert target_by_month(rules.ORDER_VALUE, today, today, employee=world.employee) == {key: 500}
	assert target_by_month(rules.ORDER_VALUE, today, today, company=world.company) == {key: 9000}
	assert target_by_month(rules.NEW_CUSTOMERS, today, today, employee=world.employee) == {key: 0}


def test_bad_filters_are_refused():
	with pytest.raises(InvalidInputError):
		run(REPORT, filters=json.dumps({}))
	with pytest.raises(InvalidInputError):
		run(REPORT, filters=json.dumps({"fiscal_year": "No Such Year"}))


def test_a_filter_of_the_wrong_kind_answers_4xx(api):
	client = api("Sales User")
	fiscal_year = get_fiscal_year(nowdate(), company=default_company())[0]
	for filters in (
		{"fiscal_year": fiscal_year, "period": "Weekly"},
		{"fiscal_year": {"a": 1}},
		{"fiscal_year": fiscal_year, "metric": "Profit"},
	):
		response = client.post(
			"/api/method/frappe.desk.query_report.run",
			{"report_name": REPORT, "filters": json.dumps(filters)},
		)
		assert 400 <= response.status_code < 500, response
		assert response.exc_type == "InvalidInputError", response
	response = client.post(
		"/api/method/frappe.desk.query_report.run",
		{"report_name": REPORT, "filters": json.dumps({"fiscal_year": fiscal_year})},
	)
	assert response.status_code == 200, response
