"""Who reads a request, and the views of the request list (seed 004 审批: all, created by me, by my
subordinates, in approval, approved, awaiting me).

A request is scoped (korus_crm.rules.scope SCOPED, owner: `requested_by`); beyond the user's scope,
the people taking part in it read it too: the submitter, every approver of its route, and the
submitter's supervisors up the Reports To tree (`participants`, one SQL condition with indexed
subqueries). Each view is a filter on top of that, read through frappe.get_list."""

from __future__ import annotations

from typing import Annotated, Literal

import frappe

from korus_crm import people
from korus_crm.boundary import Between, whitelist

DOCTYPE = "Approval Request"
VIEWS = ("All", "Created by Me", "My Subordinates", "In Approval", "Approved", "Awaiting Me")
View = Literal["All", "Created by Me", "My Subordinates", "In Approval", "Approved", "Awaiting Me"]


# Up to this many names a condition lists them (an index lookup each); beyond, it asks per row.
LISTED = 1000


def participants(user: str) -> str:
	"""SCOPED's participants of Approval Request: the SQL condition of the requests the user takes
	part in, shaped so that a list's first page stays cheap however long the history: the users
	below them in the Reports To tree and the requests they approve are listed by name while they
	are few (index lookups); a heavy approver's are checked per row, by the step rows' parent index,
	while the list is read newest first (their requests are then dense among the rows read)."""
	table = "`tabApproval Request`"
	me = frappe.db.escape(user)
	parts = [f"{table}.`requested_by` = {me}"]
	below = people.subordinates(user)
	if below:
		if len(below) <= LISTED:
			parts.append(f"{table}.`requested_by` in ({', '.join(frappe.db.escape(u) for u in below)})")
		else:
			parts.append(people.subordinates_condition(user, f"{table}.`requested_by`"))
	approved = frappe.get_all(
		"Approval Request Step",
		filters={"approver": user, "parenttype": DOCTYPE},
		pluck="parent",
		limit_page_length=LISTED + 1,
		order_by=None,
	)
	if approved and len(approved) <= LISTED:
		parts.append(f"{table}.`name` in ({', '.join(frappe.db.escape(n) for n in set(approved))})")
	elif approved:
		parts.append(
			f"(select count(*) from `tabApproval Request Step` s where s.`parent` = {table}.`name`"
			f" and s.`parenttype` = 'Approval Request' and s.`approver` = {me}) > 0"
		)
	return " or ".join(parts)


def view_filters(view: str, user: str | None = None) -> list[list]:
	"""The list filters of a view (for frappe.get_list and the desk's list)."""
	user = user or frappe.session.user
	if view == "Created by Me":
		return [[DOCTYPE, "requested_by", "=", user]]
	if view == "My Subordinates":
		employee = people.employee_of(user)
		if not employee:
			return [[DOCTYPE, "name", "=", ""]]  # no one reports to a user without an Employee
		return [[DOCTYPE, "employee", "descendants of", employee.name]]
	if view == "In Approval":
		return [[DOCTYPE, "status", "=", "Pending"]]
	if view == "Approved":
		return [[DOCTYPE, "status", "=", "Approved"]]
	if view == "Awaiting Me":
		return [
			["Approval Request Step", "approver", "=", user],
			["Approval Request Step", "status", "=", "Pending"],
		]
	return []


@whitelist()
def get_view_filters(view: View) -> list[list]:
	"""The desk list's view buttons."""
	return view_filters(view)


@whitelist()
def get_view(
	view: View,
	start: Annotated[int, Between(0, 10**9)] = 0,
	page_length: Annotated[int, Between(1, 500)] = 20,
) -> list[dict]:
	"""A page of a view, newest first (the REST face of the views)."""
	return frappe.get_list(
		DOCTYPE,
		filters=view_filters(view),
		fields=["name", "title", "form_type", "status", "requested_by", "amount", "modified"],
		order_by="`tabApproval Request`.`modified` desc",
		start=start,
		page_length=page_length,
		distinct=view == "Awaiting Me",
	)


@whitelist()
@frappe.read_only()
def count_awaiting_me(filters: dict | None = None) -> dict:
	"""The workspace's number card: the requests waiting for the user's decision."""
	frappe.has_permission(DOCTYPE, "read", throw=True)
	rows = frappe.get_list(
		DOCTYPE,
		filters=view_filters("Awaiting Me"),
		fields=["count(distinct `tabApproval Request`.`name`) as total"],
		order_by=None,
	)
	total = int(rows[0].total) if rows else 0
	return {
		"value": total,
		"fieldtype": "Int",
		"route": ["List", DOCTYPE],
		"route_options": {"view": "Awaiting Me"},
	}
