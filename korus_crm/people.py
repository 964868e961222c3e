"""Who is who in the organisation: a user's Employee, supervisors, subordinates, department head and
branch manager, read from ERPNext's Employee tree (`reports_to` is a nested set: `lft`/`rgt`,
indexed), Department (`korus_head`) and Branch (`manager`).

Approval routes, work reports, tasks and the "my subordinates" views all ask these questions; they
are answered here, once, with indexed queries (no recursive walks over the table) and memoised for
the request in `frappe.local.korus_people` (Employee and Department changes clear it).
"""

from __future__ import annotations

import frappe
from frappe.query_builder import DocType


def _memo() -> dict:
	if not hasattr(frappe.local, "korus_people"):
		frappe.local.korus_people = {}
	return frappe.local.korus_people


def forget(doc=None, method=None) -> None:
	"""Employee / Department / Branch changes: the memo of this request is stale."""
	if hasattr(frappe.local, "korus_people"):
		del frappe.local.korus_people


def employee_of(user: str | None) -> frappe._dict | None:
	"""The active Employee record linked to the user (name, lft, rgt, reports_to, department, branch,
	company), or None."""
	if not user:
		return None
	memo = _memo()
	key = ("employee", user)
	if key not in memo:
		memo[key] = frappe.db.get_value(
			"Employee",
			{"user_id": user, "status": "Active"},
			["name", "lft", "rgt", "reports_to", "department", "branch", "company", "employee_name"],
			as_dict=True,
		)
	return memo[key]


def user_of(employee: str | None) -> str | None:
	"""The login of an Employee (None for an employee without one or not active)."""
	if not employee:
		return None
	memo = _memo()
	key = ("user", employee)
	if key not in memo:
		memo[key] = frappe.db.get_value("Employee", {"name": employee, "status": "Active"}, "user_id")
	return memo[key]


def supervisor(user: str, levels: int = 1) -> str | None:
	"""The user of the supervisor `levels` up the `reports_to` chain (1 = the direct supervisor), or
	None when the chain is shorter or that supervisor has no login."""
	employee = employee_of(user)
	if not employee or levels < 1:
		return None
	ancestors = supervisors(user)
	if len(ancestors) < levels:
		return None
	return ancestors[levels - 1]


def supervisors(user: str) -> list[str | None]:
	"""The users up the user's `reports_to` chain, nearest first (None for one without a login): one
	nested-set query (the ancestors of an Employee enclose its lft/rgt)."""
	employee = employee_of(user)
	if not employee or employee.lft is None:
		return []
	memo = _memo()
	key = ("supervisors", user)
	if key not in memo:
		table = DocType("Employee")
		rows = (
			frappe.qb.from_(table)
			.select(table.user_id, table.status)
			.where((table.lft < employee.lft) & (table.rgt > employee.rgt))
			.orderby(table.lft, order=frappe.qb.desc)
			.run(as_dict=True)
		)
		memo[key] = [row.user_id if row.status == "Active" else None for row in rows]
	return memo[key]


def department_range(department: str | None) -> tuple[int, int] | None:
	"""A department's (lft, rgt) in the Department tree: its sub-departments lie within."""
	if not department:
		return None
	memo = _memo()
	key = ("department range", department)
	if key not in memo:
		row = frappe.db.get_value("Department", department, ["lft", "rgt"])
		memo[key] = (int(row[0]), int(row[1])) if row and row[0] is not None else None
	return memo[key]


def department_head(user: str) -> str | None:
	"""The head of the user's department, or of its nearest parent department that has one."""
	employee = employee_of(user)
	if not employee or not employee.department:
		return None
	memo = _memo()
	key = ("head", employee.department)
	if key not in memo:
		bounds = department_range(employee.department)
		head = None
		if bounds:
			lft, rgt = bounds
			table = DocType("Department")
			head = (
				frappe.qb.from_(table)
				.select(table.korus_head)
				.where((table.lft <= lft) & (table.rgt >= rgt) & table.korus_head.isnotnull())
				.where(table.korus_head != "")
				.orderby(table.lft, order=frappe.qb.desc)
				.limit(1)
				.run(pluck=True)
			)
			head = head[0] if head else None
		memo[key] = head
	return memo[key]


def branch_manager(user: str) -> str | None:
	"""The manager of the user's branch (Branch.manager)."""
	employee = employee_of(user)
	if not employee or not employee.branch:
		return None
	return frappe.get_cached_value("Branch", employee.branch, "manager")


def subordinates_query(user: str):
	"""A query of the users below the user in the `reports_to` tree (at any depth), for use as a
	subquery: `column.isin(subordinates_query(user))`. An index range scan on Employee (lft, rgt);
	for a user without an Employee it selects nothing."""
	table = DocType("Employee")
	employee = employee_of(user)
	query = frappe.qb.from_(table).select(table.user_id)
	if not employee or employee.lft is None:
		return query.where(table.name.isnull())
	return query.where((table.lft > employee.lft) & (table.rgt < employee.rgt) & table.user_id.isnotnull())


def subordinates(user: str) -> list[str]:
	"""The users below the user in the `reports_to` tree (at any depth)."""
	memo = _memo()
	key = ("subordinates", user)
	if key not in memo:
		memo[key] = [u for u in subordinates_query(user).run(pluck=True) if u]
	return memo[key]


def subordinates_condition(user: str, column: str) -> str:
	"""A SQL condition (for a permission query or a list filter) on `column` (a quoted
	"`tabDoctype`.`field`" holding a user): the record is a subordinate's."""
	employee = employee_of(user)
	if not employee or employee.lft is None:
		return "1=0"
	return (
		f"{column} in (select `user_id` from `tabEmployee` where `lft` > {int(employee.lft)}"
		f" and `rgt` < {int(employee.rgt)} and `user_id` is not null)"
	)


def is_supervisor_of(user: str, other: str) -> bool:
	"""Whether `user` is above `other` in the `reports_to` tree."""
	mine, theirs = employee_of(user), employee_of(other)
	if not mine or not theirs or mine.lft is None or theirs.lft is None:
		return False
	return mine.lft < theirs.lft and mine.rgt > theirs.rgt
