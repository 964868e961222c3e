"""Targets vs achieved (seed 004 回款计划): what each Korus Sales Target asked for, what was achieved,
per month, quarter or year, and the mirror of employees' targets into ERPNext's Sales Person targets.

Achieved, per metric (company currency, dated by the month the document counts in):
- Order Value: approved Contract Orders (`confirmed_on`), their Sales Order's `base_net_total`, by
  the order's owner (`contract_owner`). Korus puts the owner's Sales Person in the Sales Order's
  Sales Team (korus_crm.selling.contract_orders), so ERPNext's target variance report on Sales
  Orders credits the same person.
- Invoiced Value: submitted Sales Invoices (`posting_date`), `base_net_total` times each Sales Team
  row's `allocated_percentage`, by the Sales Person's employee's user: ERPNext's own rule
  (erpnext#40062), so its variance report on Sales Invoices agrees. A company target counts every
  invoice of the company, with a sales team or not.
- Collected Value: Payment Ledger Entries against Sales Invoices (`posting_date`) from payments
  and journals (not the invoices themselves, not credit notes), not delinked: minus `amount`,
  shared out by the invoice's Sales Team like the invoice.
- New Customers: Customers created (`creation`) by their account manager (not in the recycle bin);
  customers have no company: a company target counts them all.

Each metric is one GROUP BY (owner or sales person, company, month) over the fiscal year, on
indexes that start with the date column (korus_crm.setup.analytics_targets): its cost follows the
year's documents, not the table. A department's target counts its employees' (and those of the
departments under it) through Employee.user_id.

Data scope: a user sees the targets and achievements of the people in their scope of Contract
Orders (Customers for New Customers): Own, their own; Department…, of their departments'
employees; Branch, of their branch's employees; department targets only for departments in their
scope, company targets only with scope All.
"""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, DateFormat, IfNull, Sum
from frappe.utils import add_days, getdate

from korus_crm import scope
from korus_crm.analytics.employees import BINNED, users_in
from korus_crm.rules import targets as rules
from korus_crm.rules.scope import BRANCH_FIELD, DEPARTMENT_FIELD

TARGET = "Korus Sales Target"
MONTH_FORMAT = "%Y-%m"
# whose records a viewer's scope is read from, and which doctype they must be able to read
SCOPE_DOCTYPE = {
	rules.ORDER_VALUE: "Contract Order",
	rules.INVOICED_VALUE: "Contract Order",
	rules.COLLECTED_VALUE: "Contract Order",
	rules.NEW_CUSTOMERS: "Customer",
}
SOURCE_DOCTYPE = {
	rules.ORDER_VALUE: "Contract Order",
	rules.INVOICED_VALUE: "Sales Invoice",
	rules.COLLECTED_VALUE: "Sales Invoice",
	rules.NEW_CUSTOMERS: "Customer",
}
TARGET_FIELDS = (
	"name",
	"title",
	"metric",
	"target_for",
	"employee",
	"employee_name",
	"department",
	"company",
)
MIRROR_PREFIX = "Korus Target "  # the Monthly Distributions Korus keeps for Sales Person targets


# --- who the viewer may see ---


class Visible:
	"""The people (users) and departments a viewer's scope covers for a metric; None: everyone."""

	def __init__(self, metric: str, viewer: str) -> None:
		self.all = False
		self.users: set[str] | None = None
		self.departments: set[str] = set()
		cond = scope.condition_for(SCOPE_DOCTYPE[metric], viewer)
		if cond is None:
			self.all = True
		elif cond.field == DEPARTMENT_FIELD:
			self.departments = set(cond.values)
			self.users = set(
				frappe.get_all(
					"Employee",
					filters={"department": ("in", list(cond.values) or [""]), "user_id": ("is", "set")},
					pluck="user_id",
				)
			)
		elif cond.field == BRANCH_FIELD:
			self.users = set(
				frappe.get_all(
					"Employee",
					filters={"branch": ("in", list(cond.values) or [""]), "user_id": ("is", "set")},
					pluck="user_id",
				)
			)
		else:
			self.users = set(cond.values)

	def restrict(self, users: list[str] | None) -> list[str] | None:
		if self.all:
			return users
		return sorted(self.users if users is None else set(users) & self.users)

	def sees_target(self, target, employee_users: dict[str, str]) -> bool:
		if self.all:
			return True
		if target.target_for == rules.EMPLOYEE:
			return employee_users.get(target.employee) in self.users
		if target.target_for == rules.DEPARTMENT:
			return target.department in self.departments
		return False


# --- achieved ---


def sales_person_users() -> dict[str, str]:
	"""{Sales Person: user of its Employee} (sales people are few: one query)."""
	person, employee = DocType("Sales Person"), DocType("Employee")
	rows = (
		frappe.qb.from_(person)
		.join(employee)
		.on(employee.name == person.employee)
		.select(person.name, employee.user_id)
		.where(employee.user_id.isnotnull() & (employee.user_id != ""))
		.run()
	)
	return dict(rows)


def achieved_rows(
	metric: str,
	from_date: datetime.date,
	to_date: datetime.date,
	users: list[str] | None = None,
	company: str | None = None,
) -> list[tuple[str | None, str | None, str, float]]:
	"""[(user, company, "YYYY-MM", value)] of a metric in [from_date, to_date]: one grouped query.
	`users`: only theirs (None: everything, including documents credited to nobody)."""
	if users is not None and not users:
		return []
	if metric == rules.ORDER_VALUE:
		order, sales_order = DocType("Contract Order"), DocType("Sales Order")
		month = DateFormat(order.confirmed_on, MONTH_FORMAT)
		query = (
			frappe.qb.from_(order)
			.left_join(sales_order)
			.on(sales_order.name == order.sales_order)
			.select(order.contract_owner, order.company, month.as_("month"), Sum(sales_order.base_net_total))
			.where((order.confirmed_on >= from_date) & (order.confirmed_on < add_days(to_date, 1)))
			.where((order.docstatus == 1) & (order.status == "Approved"))
			.groupby(order.contract_owner, order.company, month)
		)
		if users is not None:
			query = query.where(order.contract_owner.isin(users))
		if company:
			query = query.where(order.company == company)
		return [(u, c, m, float(v or 0)) for u, c, m, v in query.run()]
	if metric == rules.NEW_CUSTOMERS:
		customer = DocType("Customer")
		month = DateFormat(customer.creation, MONTH_FORMAT)
		query = (
			frappe.qb.from_(customer)
			.select(customer.account_manager, month.as_("month"), Count("*"))
			.where((customer.creation >= from_date) & (customer.creation < add_days(to_date, 1)))
			.where(customer[BINNED] == 0)
			.groupby(customer.account_manager, month)
		)
		if users is not None:
			query = query.where(customer.account_manager.isin(users))
		return [(u, None, m, float(n)) for u, m, n in query.run()]
	if metric in (rules.INVOICED_VALUE, rules.COLLECTED_VALUE):
		return credited_rows(metric, from_date, to_date, users, company)
	raise ValueError(metric)


def credited_rows(metric, from_date, to_date, users, company):
	"""Invoiced or collected, shared out by the invoices' Sales Team."""
	person_user = sales_person_users()
	team = DocType("Sales Team")
	share = IfNull(team.allocated_percentage, 100) / 100
	if metric == rules.INVOICED_VALUE:
		doc = DocType("Sales Invoice")
		month = DateFormat(doc.posting_date, MONTH_FORMAT)
		query = (
			frappe.qb.from_(doc)
			.left_join(team)
			.on((team.parent == doc.name) & (team.parenttype == "Sales Invoice"))
			.select(team.sales_person, doc.company, month.as_("month"), Sum(doc.base_net_total * share))
			.where((doc.docstatus == 1) & doc.posting_date[from_date:to_date])
		)
	else:
		doc = DocType("Payment Ledger Entry")
		month = DateFormat(doc.posting_date, MONTH_FORMAT)
		query = (
			frappe.qb.from_(doc)
			.left_join(team)
			.on((team.parent == doc.against_voucher_no) & (team.parenttype == "Sales Invoice"))
			.select(team.sales_person, doc.company, month.as_("month"), Sum(-doc.amount * share))
			.where(doc.posting_date[from_date:to_date])
			.where((doc.against_voucher_type == "Sales Invoice") & (doc.voucher_type != "Sales Invoice"))
			.where((doc.delinked == 0) & (doc.account_type == "Receivable"))
		)
	query = query.groupby(team.sales_person, doc.company, month)
	if users is not None:
		wanted = set(users)
		persons = [p for p, u in person_user.items() if u in wanted]
		if not persons:
			return []
		query = query.where(team.sales_person.isin(persons))
	if company:
		query = query.where(doc.company == company)
	return [(person_user.get(p) if p else None, c, m, float(v or 0)) for p, c, m, v in query.run()]


def sum_months(rows, users: set[str] | None, company: str | None) -> dict[str, float]:
	"""{"YYYY-MM": value} of the rows of `users` (None: all) and `company` (None: any; rows without a
	company, customers, always count)."""
	out: dict[str, float] = {}
	for user, row_company, month, value in rows:
		if users is not None and user not in users:
			continue
		if company and row_company and row_company != company:
			continue
		out[month] = round(out.get(month, 0.0) + value, 6)
	return out


# --- the report's rows ---


def fiscal_year_dates(fiscal_year: str) -> tuple[datetime.date, datetime.date]:
	start, end = frappe.db.get_value("Fiscal Year", fiscal_year, ["year_start_date", "year_end_date"])
	return getdate(start), getdate(end)


def employee_users(employees: list[str]) -> dict[str, str]:
	if not employees:
		return {}
	return dict(
		frappe.get_all(
			"Employee", filters={"name": ("in", employees)}, fields=["name", "user_id"], as_list=True
		)
	)


def target_users(target, employee_user: dict[str, str], visible: Visible) -> list[str] | None:
	"""The users whose documents count for a target (None: everyone of the company)."""
	if target.target_for == rules.EMPLOYEE:
		user = employee_user.get(target.employee)
		return visible.restrict([user] if user else [])
	if target.target_for == rules.DEPARTMENT:
		return visible.restrict(users_in(target.department) or [])
	return visible.restrict(None)


def documents_route(metric: str, target, users: list[str] | None, start, end) -> str:
	"""The list behind a row's achieved figure (the desk list with its filters)."""
	import json
	from urllib.parse import urlencode

	span = json.dumps(["Between", [str(start), str(end)]])
	one = users[0] if users and len(users) == 1 else None
	if metric == rules.ORDER_VALUE:
		params = {"docstatus": 1, "status": "Approved", "confirmed_on": span, "company": target.company}
		if one:
			params["contract_owner"] = one
		return "/app/contract-order?" + urlencode(params)
	if metric == rules.NEW_CUSTOMERS:
		params = {"creation": span}
		if one:
			params["account_manager"] = one
		return "/app/customer?" + urlencode(params)
	if metric == rules.INVOICED_VALUE:
		return "/app/sales-invoice?" + urlencode(
			{"docstatus": 1, "posting_date": span, "company": target.company}
		)
	return "/app/payment-ledger-entry?" + urlencode(
		{
			"against_voucher_type": "Sales Invoice",
			"delinked": 0,
			"posting_date": span,
			"company": target.company,
		}
	)


@frappe.read_only()
def target_rows(
	fiscal_year: str,
	period: str = rules.MONTHLY,
	metric: str | None = None,
	target_for: str | None = None,
	employee: str | None = None,
	department: str | None = None,
	company: str | None = None,
) -> tuple[list[rules.Period], list[dict]]:
	"""The periods of the fiscal year and one row per target the user sees: target, achieved and
	completion rate per period and for the year."""
	viewer = frappe.session.user
	start, end = fiscal_year_dates(fiscal_year)
	filters: dict = {"fiscal_year": fiscal_year}
	for field, value in (
		("metric", metric),
		("target_for", target_for),
		("employee", employee),
		("department", department),
		("company", company),
	):
		if value:
			filters[field] = value
	targets = frappe.get_list(
		TARGET,
		filters=filters,
		fields=[*TARGET_FIELDS, *rules.MONTH_FIELDS],
		order_by="metric asc, target_for asc, target_key asc",
		limit_page_length=0,
	)
	periods = rules.periods(start, period)
	employee_user = employee_users([t.employee for t in targets if t.employee])
	achieved_cache: dict[str, list] = {}
	rows = []
	for target in targets:
		visible = Visible(target.metric, viewer)
		if not visible.sees_target(target, employee_user):
			continue
		users = target_users(target, employee_user, visible)
		readable = bool(frappe.has_permission(SOURCE_DOCTYPE[target.metric], "read"))
		if readable and target.metric not in achieved_cache:
			achieved_cache[target.metric] = achieved_rows(target.metric, start, end)
		achieved = (
			sum_months(achieved_cache[target.metric], None if users is None else set(users), target.company)
			if readable
			else None
		)
		wanted = rules.by_month(target, start)
		row = {
			"target": target.name,
			"target_name": target.employee_name or target.employee or target.department or target.company,
			"target_for": target.target_for,
			"metric": target.metric,
			"company": target.company,
			"documents": documents_route(target.metric, target, users, start, end) if readable else None,
		}
		for p in periods:
			t = rules.total(wanted, p.months)
			a = rules.total(achieved, p.months) if achieved is not None else None
			row[f"target_{p.key}"] = t
			row[f"achieved_{p.key}"] = a
			row[f"rate_{p.key}"] = rules.completion_rate(t, a) if a is not None else None
		row["total_target"] = rules.total(wanted, wanted)
		row["total_achieved"] = rules.total(achieved, achieved) if achieved is not None else None
		row["total_rate"] = (
			rules.completion_rate(row["total_target"], row["total_achieved"])
			if achieved is not None
			else None
		)
		rows.append(row)
	return periods, rows


def target_by_month(
	metric: str,
	from_date,
	to_date,
	employee: str | None = None,
	department: str | None = None,
	company: str | None = None,
) -> dict[str, float]:
	"""{"YYYY-MM": target} of every month touched by [from_date, to_date] (0 where no target): the
	employee's, else the department's, else the company's target of `metric` (with none of them:
	the sum of the company targets of every company), read through the user's permissions on
	Korus Sales Target."""
	from_date, to_date = getdate(from_date), getdate(to_date)
	out = {key: 0.0 for key in rules.months_between(from_date, to_date)}
	if metric not in rules.METRICS:
		frappe.throw(_("{0} is not a target metric.").format(frappe.bold(metric)), frappe.ValidationError)
	filters: dict = {"metric": metric}
	if employee:
		filters.update(target_for=rules.EMPLOYEE, employee=employee)
	elif department:
		filters.update(target_for=rules.DEPARTMENT, department=department)
	else:
		filters["target_for"] = rules.COMPANY
		if company:
			filters["company"] = company
	years = frappe.get_all(
		"Fiscal Year",
		filters={"year_start_date": ("<=", to_date), "year_end_date": (">=", from_date)},
		fields=["name", "year_start_date"],
	)
	if not years:
		return out
	starts = {y.name: getdate(y.year_start_date) for y in years}
	for target in frappe.get_list(
		TARGET,
		filters={**filters, "fiscal_year": ("in", list(starts))},
		fields=["fiscal_year", *rules.MONTH_FIELDS],
		limit_page_length=0,
	):
		for key, amount in rules.by_month(target, starts[target.fiscal_year]).items():
			if key in out:
				out[key] = round(out[key] + amount, 6)
	return out


# --- ERPNext's Sales Person targets ---


def sales_person_of(employee: str) -> str | None:
	return frappe.db.get_value(
		"Sales Person", {"employee": employee, "is_group": 0}, "name", order_by="name asc"
	)


def mirror_to_sales_person(employee: str, fiscal_year: str, excluding: str | None = None) -> None:
	"""The employee's Sales Person's target of the fiscal year follows their Korus target: Order
	Value, else Invoiced Value (rules.mirrored_metric): a Target Detail row (no item group: every
	item) with the year's amount and a Monthly Distribution with the months' shares. Korus's rows are
	recognised by their distribution (MIRROR_PREFIX); rows users made by hand stay."""
	person = sales_person_of(employee) if employee else None
	if not person:
		return
	targets = {
		t.metric: t
		for t in frappe.get_all(
			TARGET,
			filters={
				"target_for": rules.EMPLOYEE,
				"employee": employee,
				"fiscal_year": fiscal_year,
				"metric": ("in", list(rules.MIRRORED)),
				"name": ("!=", excluding or ""),
			},
			fields=["name", "metric", "year_total", *rules.MONTH_FIELDS],
		)
	}
	doc = frappe.get_doc("Sales Person", person)
	stale = [
		row
		for row in doc.targets
		if row.fiscal_year == fiscal_year and (row.distribution_id or "").startswith(MIRROR_PREFIX)
	]
	for row in stale:
		doc.remove(row)
	metric = rules.mirrored_metric(targets)
	shares = rules.distribution(targets[metric]) if metric else None
	if shares:
		target = targets[metric]
		doc.append(
			"targets",
			{
				"fiscal_year": fiscal_year,
				"target_amount": target.year_total,
				"distribution_id": monthly_distribution(MIRROR_PREFIX + target.name, shares),
			},
		)
	if stale or shares:
		doc.flags.ignore_permissions = True
		doc.save()
	kept = MIRROR_PREFIX + targets[metric].name if shares else None
	for row in stale:
		if row.distribution_id != kept and frappe.db.exists("Monthly Distribution", row.distribution_id):
			frappe.delete_doc(
				"Monthly Distribution", row.distribution_id, ignore_permissions=True, force=True
			)


def monthly_distribution(name: str, shares: dict[str, float]) -> str:
	"""A Monthly Distribution (no fiscal year: it applies to any) with the months' percentages."""
	doc = (
		frappe.get_doc("Monthly Distribution", name)
		if frappe.db.exists("Monthly Distribution", name)
		else frappe.new_doc("Monthly Distribution")
	)
	doc.distribution_id = name
	doc.set(
		"percentages", [{"month": month, "percentage_allocation": share} for month, share in shares.items()]
	)
	doc.flags.ignore_permissions = True
	doc.save()
	return doc.name


def sales_team_of(user: str | None) -> list[dict]:
	"""The Sales Team of an order owned by `user`: their Sales Person at 100 % (none without one)."""
	employee = (
		frappe.db.get_value("Employee", {"user_id": user, "status": "Active"}, "name") if user else None
	)
	person = sales_person_of(employee) if employee else None
	return [{"sales_person": person, "allocated_percentage": 100}] if person else []
