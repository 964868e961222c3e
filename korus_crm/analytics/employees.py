"""Per-employee CRM statistics (seed 004 客户统计, 商机统计): for each user, in a date range,

- customers added: Customers created (`creation`) by the user (`owner`);
- customers owned: Customers created in the range whose account manager is the user;
- opportunities created: Opportunities created by the user;
- opportunities owned: Opportunities dated (`transaction_date`) in the range owned by the user
  (`opportunity_owner`);
- orders and order value: Contract Orders approved (`confirmed_on`) in the range, by their owner
  (`contract_owner`); the value is their Sales Order's net total in company currency
  (`base_net_total`);
- follow-ups: Customer Follow-ups made (`followed_up_at`) by the user (`followed_up_by`);
- won and lost deals: Opportunities closed (`closed_on`) in the range in a won or a lost stage, by
  owner; the conversion rate is won / (won + lost).

A range of whole months (the default: this month) reads the customer and deal figures from the
maintained counters (korus_crm.boards.counts: CUSTOMERS_ADDED, CUSTOMERS_OWNED, DEALS_CREATED,
DEALS_OWNED, DEALS_CLOSED_BY_OWNER: a board per user, a column per month, each per scope dimension),
kept on every write and recounted daily: the month's rows of each user, whatever the number of
records. Any other range, and orders and follow-ups always, are one GROUP BY keyed by the user over
an index that starts with the date column (korus_crm.setup.analytics_targets.INDEXES): the range's
index entries only. Records in the recycle bin are left out. The user's data scope
(korus_crm.scope.condition_for) is applied to every query (Script Reports get no permission query
conditions); a figure of a doctype the user may not read stays blank. The department and branch
filters are mapped to users through Employee.user_id once.
"""

from __future__ import annotations

import datetime

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, getdate

from korus_crm import scope
from korus_crm.boards import counts
from korus_crm.rules import targets as rules
from korus_crm.rules.counts import split_scope

METRICS: tuple[str, ...] = (
	"customers_added",
	"customers_owned",
	"opportunities_created",
	"opportunities_owned",
	"orders",
	"order_value",
	"follow_ups",
	"won",
	"lost",
)
SOURCES = {
	"customers_added": "Customer",
	"customers_owned": "Customer",
	"opportunities_created": "Opportunity",
	"opportunities_owned": "Opportunity",
	"orders": "Contract Order",
	"order_value": "Contract Order",
	"follow_ups": "Customer Follow-up",
	"won": "Opportunity",
	"lost": "Opportunity",
}
BINNED = "korus_deleted"  # korus_crm.customers.recycle_bin


# --- people ---


def employees_of(users: list[str] | None = None) -> dict[str, frappe._dict]:
	"""{user: Employee (name, employee_name, department, branch)} of users linked to an Employee (all
	such users when `users` is None); one query."""
	filters = {"user_id": ("in", users) if users is not None else ("is", "set")}
	if users is not None and not users:
		return {}
	rows = frappe.get_all(
		"Employee",
		filters=filters,
		fields=["name", "employee_name", "user_id", "department", "branch", "status", "company"],
		order_by="status asc, modified desc",  # an Active employee first
	)
	out: dict[str, frappe._dict] = {}
	for row in rows:
		out.setdefault(row.user_id, row)
	return out


def departments_below(department: str) -> list[str]:
	lft, rgt = frappe.db.get_value("Department", department, ["lft", "rgt"]) or (None, None)
	if lft is None:
		return [department]
	return frappe.get_all("Department", filters={"lft": (">=", lft), "rgt": ("<=", rgt)}, pluck="name")


def users_in(department: str | None = None, branch: str | None = None) -> list[str] | None:
	"""The users of the Employees of a department (and the departments under it) and/or a branch;
	None when neither is given (no restriction)."""
	if not department and not branch:
		return None
	filters: dict = {"user_id": ("is", "set")}
	if department:
		filters["department"] = ("in", departments_below(department))
	if branch:
		filters["branch"] = branch
	return sorted(set(frappe.get_all("Employee", filters=filters, pluck="user_id")))


def wanted_users(user: str | None, department: str | None, branch: str | None) -> list[str] | None:
	users = users_in(department, branch)
	if user:
		users = [user] if users is None or user in users else []
	return users


# --- the figures ---


def in_range(column, from_date: datetime.date, to_date: datetime.date, is_datetime: bool):
	if is_datetime:
		return (column >= from_date) & (column < add_days(to_date, 1))
	return (column >= from_date) & (column <= to_date)


def scoped(query, table, doctype: str, user: str):
	"""The query restricted to the records of `doctype` in the user's data scope."""
	cond = scope.condition_for(doctype, user)
	if cond is None:
		return query
	if not cond.values:
		return query.where(table.name.isnull())  # nothing
	return query.where(table[cond.field].isin(list(cond.values)))


def readable(doctype: str, user: str) -> bool:
	return bool(frappe.has_permission(doctype, "read", user=user))


def count_by(
	doctype: str,
	key: str,
	date_field: str,
	is_datetime: bool,
	from_date,
	to_date,
	users: list[str] | None,
	user: str,
) -> dict[str, int]:
	table = DocType(doctype)
	query = (
		frappe.qb.from_(table)
		.select(table[key].as_("user"), Count("*").as_("n"))
		.where(in_range(table[date_field], from_date, to_date, is_datetime))
		.groupby(table[key])
	)
	if frappe.get_meta(doctype).has_field(BINNED):
		query = query.where(table[BINNED] == 0)
	if users is not None:
		query = query.where(table[key].isin(users))
	query = scoped(query, table, doctype, user)
	return {r.user: int(r.n) for r in query.run(as_dict=True) if r.user}


def orders_by(from_date, to_date, users: list[str] | None, user: str) -> dict[str, tuple[int, float]]:
	"""{contract owner: (approved orders, their Sales Orders' base_net_total)}."""
	order, sales_order = DocType("Contract Order"), DocType("Sales Order")
	query = (
		frappe.qb.from_(order)
		.left_join(sales_order)
		.on(sales_order.name == order.sales_order)
		.select(
			order.contract_owner.as_("user"),
			Count("*").as_("n"),
			Sum(sales_order.base_net_total).as_("value"),
		)
		.where(in_range(order.confirmed_on, from_date, to_date, True))
		.where((order.docstatus == 1) & (order.status == "Approved"))
		.groupby(order.contract_owner)
	)
	if users is not None:
		query = query.where(order.contract_owner.isin(users))
	query = scoped(query, order, "Contract Order", user)
	return {r.user: (int(r.n), float(r.value or 0)) for r in query.run(as_dict=True) if r.user}


def follow_ups_by(from_date, to_date, users: list[str] | None, user: str) -> dict[str, int]:
	"""Follow-ups the user may read: those of customers in their scope and their own
	(korus_crm.customers.follow_ups)."""
	follow_up, customer = DocType("Customer Follow-up"), DocType("Customer")
	query = (
		frappe.qb.from_(follow_up)
		.select(follow_up.followed_up_by.as_("user"), Count("*").as_("n"))
		.where(in_range(follow_up.followed_up_at, from_date, to_date, True))
		.groupby(follow_up.followed_up_by)
	)
	if users is not None:
		query = query.where(follow_up.followed_up_by.isin(users))
	cond = scope.condition_for("Customer", user)
	if cond is not None:
		query = query.left_join(customer).on(customer.name == follow_up.customer)
		own = follow_up.followed_up_by == user
		query = (
			query.where(own | customer[cond.field].isin(list(cond.values)))
			if cond.values
			else query.where(own)
		)
	return {r.user: int(r.n) for r in query.run(as_dict=True) if r.user}


def decision_stages() -> tuple[set[str], set[str]]:
	"""(won stages, lost stages) of every pipeline."""
	won = set(frappe.get_all("Deal Stage", filters={"is_won": 1}, pluck="name"))
	lost = set(frappe.get_all("Deal Stage", filters={"is_lost": 1}, pluck="name")) - won
	return won, lost


# --- the figures of whole months, from the maintained counters ---


def counted(spec: counts.CountSpec, months: list[str], user: str) -> dict:
	"""{(board, month): totals} of `spec` in the months, over the records in the user's data scope
	(the counters of the scope's dimension values)."""
	cond = scope.condition_for(spec.doctype, user)
	if cond is None:
		return counts.read_totals(spec, columns=months)
	return counts.read_totals(spec, cond.field, cond.values, columns=months)


def counted_by(
	spec: counts.CountSpec, months: list[str], users: list[str] | None, user: str
) -> dict[str, int]:
	"""{user (the board): records} of a spec whose boards are users."""
	out: dict[str, int] = {}
	for (person, _month), t in counted(spec, months, user).items():
		if person and t.count and (users is None or person in users):
			out[person] = out.get(person, 0) + t.count
	return out


def decided_counted(
	months: list[str], users: list[str] | None, user: str
) -> tuple[dict[str, int], dict[str, int]]:
	"""As `decided_by`, from the counters of deals closed per (stage, owner)."""
	won_stages, lost_stages = decision_stages()
	won: dict[str, int] = {}
	lost: dict[str, int] = {}
	for (board, _month), t in counted(counts.DEALS_CLOSED_BY_OWNER, months, user).items():
		stage, person = split_scope(board, 2)
		if not person or not t.count or (users is not None and person not in users):
			continue
		bucket = won if stage in won_stages else lost if stage in lost_stages else None
		if bucket is not None:
			bucket[person] = bucket.get(person, 0) + t.count
	return won, lost


def decided_by(
	from_date, to_date, users: list[str] | None, user: str
) -> tuple[dict[str, int], dict[str, int]]:
	"""({owner: won deals}, {owner: lost deals}) closed in the range."""
	stages = frappe.get_all("Deal Stage", filters={"is_won": 1}, fields=["name", "is_won"]) + frappe.get_all(
		"Deal Stage", filters={"is_lost": 1}, fields=["name", "is_won"]
	)
	if not stages:
		return {}, {}
	won_stages = {s.name for s in stages if s.is_won}
	deal = DocType("Opportunity")
	query = (
		frappe.qb.from_(deal)
		.select(deal.opportunity_owner.as_("user"), deal.deal_stage.as_("stage"), Count("*").as_("n"))
		.where(in_range(deal.closed_on, from_date, to_date, False))
		.where(deal.deal_stage.isin([s.name for s in stages]))
		.where(deal[BINNED] == 0)
		.groupby(deal.opportunity_owner, deal.deal_stage)
	)
	if users is not None:
		query = query.where(deal.opportunity_owner.isin(users))
	query = scoped(query, deal, "Opportunity", user)
	won: dict[str, int] = {}
	lost: dict[str, int] = {}
	for r in query.run(as_dict=True):
		if r.user:
			bucket = won if r.stage in won_stages else lost
			bucket[r.user] = bucket.get(r.user, 0) + int(r.n)
	return won, lost


@frappe.read_only()
def statistics(
	from_date: datetime.date,
	to_date: datetime.date,
	user: str | None = None,
	department: str | None = None,
	branch: str | None = None,
	viewer: str | None = None,
) -> list[dict]:
	"""The report's rows: one per user with a figure in the range (or every user of the department,
	branch or user chosen), grouped by department, each department followed by its total row."""
	viewer = viewer or frappe.session.user
	from_date, to_date = getdate(from_date), getdate(to_date)
	users = wanted_users(user, department, branch)
	if users is not None and not users:
		return []
	figures: dict[str, dict] = {}

	def put(metric: str, values: dict | None) -> None:
		figures[metric] = values

	args = (from_date, to_date, users, viewer)
	months = rules.whole_months(from_date, to_date)  # None: read the records
	by_month = (months, users, viewer)
	if readable("Customer", viewer):
		if months:
			put("customers_added", counted_by(counts.CUSTOMERS_ADDED, *by_month))
			put("customers_owned", counted_by(counts.CUSTOMERS_OWNED, *by_month))
		else:
			put("customers_added", count_by("Customer", "owner", "creation", True, *args))
			put("customers_owned", count_by("Customer", "account_manager", "creation", True, *args))
	if readable("Opportunity", viewer):
		if months:
			put("opportunities_created", counted_by(counts.DEALS_CREATED, *by_month))
			put("opportunities_owned", counted_by(counts.DEALS_OWNED, *by_month))
			won, lost = decided_counted(*by_month)
		else:
			put("opportunities_created", count_by("Opportunity", "owner", "creation", True, *args))
			put(
				"opportunities_owned",
				count_by("Opportunity", "opportunity_owner", "transaction_date", False, *args),
			)
			won, lost = decided_by(*args)
		put("won", won)
		put("lost", lost)
	if readable("Contract Order", viewer):
		orders = orders_by(*args)
		put("orders", {u: n for u, (n, _v) in orders.items()})
		put("order_value", {u: v for u, (_n, v) in orders.items()})
	if readable("Customer Follow-up", viewer):
		put("follow_ups", follow_ups_by(*args))

	people = set(users or ())
	for values in figures.values():
		people.update(values or ())
	employees = employees_of(sorted(people))
	rows = []
	for person in people:
		employee = employees.get(person) or frappe._dict()
		row = {
			"user": person,
			"employee": employee.get("name"),
			"employee_name": employee.get("employee_name") or person,
			"department": employee.get("department"),
			"branch": employee.get("branch"),
		}
		for metric in METRICS:
			values = figures.get(metric, None)
			row[metric] = None if metric not in figures else (values or {}).get(person, 0)
		row["conversion_rate"] = (
			rules.conversion_rate(row["won"], row["lost"]) if row["won"] is not None else None
		)
		rows.append(row)
	rows.sort(key=lambda r: (r["department"] is None, r["department"] or "", r["employee_name"]))
	return rules.department_totals(rows, [m for m in METRICS if m in figures])
