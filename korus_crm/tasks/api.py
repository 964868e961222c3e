"""The desk's whitelisted methods for Korus Tasks: what the list's views need, the users one may
assign a task to (the Assigned To field's search), the calendar's events, and the tasks of a lead,
deal, customer or order (the "Tasks" buttons on their forms). Every read goes through
`frappe.get_list`, so through korus_crm.tasks.access."""

from __future__ import annotations

from typing import Annotated

import frappe
from frappe import _
from frappe.utils import escape_html, get_datetime, now_datetime

from korus_crm import people
from korus_crm.boundary import Between, check_filters, whitelist
from korus_crm.exceptions import InvalidInputError, TaskReferenceError
from korus_crm.rules import tasks as rules
from korus_crm.tasks import ASSIGNEE_DOCTYPE, DOCTYPE, access

CALENDAR_LIMIT = 500


@whitelist()
def get_task_views() -> dict:
	"""What the list's views filter on: the user, their subordinates (the "my subordinates'" view) and
	the statuses of open tasks."""
	frappe.has_permission(DOCTYPE, "read", throw=True)
	user = frappe.session.user
	return {
		"user": user,
		"subordinates": people.subordinates(user),
		"open_statuses": list(rules.OPEN_STATUSES),
		"now": str(now_datetime()),
	}


@whitelist()
def assignable_users(
	doctype: str = "User",
	txt: str = "",
	searchfield: str = "name",
	start: Annotated[int, Between(0, 100000)] = 0,
	page_len: Annotated[int, Between(1, 100)] = 20,
	filters: dict | None = None,  # Frappe's search passes the field's filters (none are set)
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
) -> list:
	"""The Assigned To field's search: enabled users the current user may assign a task to (managers:
	every system user; others: themselves and their subordinates), matching `txt`."""
	frappe.has_permission(DOCTYPE, "read", throw=True)
	user = frappe.session.user
	conditions = {"enabled": 1, "user_type": "System User"}
	if not access.is_manager(user):
		conditions["name"] = ("in", access.people_of(user))
	like = f"%{txt.strip()}%"
	return frappe.get_all(
		"User",
		filters=conditions,
		or_filters={"name": ("like", like), "full_name": ("like", like)},
		fields=["name", "full_name"],
		order_by="full_name asc",
		limit_start=start,
		limit_page_length=page_len,
		as_list=not as_dict,
	)


def _checked_filters(filters: list | dict | None) -> list:
	"""The list's filters as the calendar passes them: rows [doctype, field, operator, value] on the
	task or its assignees (the views filter on both)."""
	if not filters:
		return []
	if isinstance(filters, dict):
		check_filters(DOCTYPE, filters)
		return [
			[DOCTYPE, field, *(value if isinstance(value, list | tuple) else ["=", value])]
			for field, value in filters.items()
		]
	rows = []
	for row in filters:
		if not isinstance(row, list | tuple) or not 3 <= len(row) <= 5:
			frappe.throw(_("Each filter must be [field, operator, value]."), InvalidInputError)
		row = list(row)[:4] if len(row) >= 4 else [DOCTYPE, *row]
		if row[0] not in (DOCTYPE, ASSIGNEE_DOCTYPE):
			frappe.throw(
				_("A filter is on {0}, not {1}.").format(frappe.bold(str(row[0])), DOCTYPE), InvalidInputError
			)
		check_filters(row[0], [row])
		rows.append(row)
	return rows


@whitelist()
def get_calendar_events(
	start: str,
	end: str,
	filters: list | dict | None = None,
	doctype: str | None = None,
	field_map: dict | None = None,
	fields: list | None = None,
) -> list[dict]:
	"""The calendar view's events: the tasks (the user may read) running between `start` and `end`,
	each from its start (or due time) to its due time, coloured by state."""
	frappe.has_permission(DOCTYPE, "read", throw=True)
	try:
		start_at, end_at = get_datetime(start), get_datetime(end)
	except Exception:
		start_at = end_at = None
	if not start_at or not end_at:
		frappe.throw(_("The calendar's start and end must be dates."), InvalidInputError)
	conditions = _checked_filters(filters)
	rows = frappe.get_list(
		DOCTYPE,
		filters=[
			*conditions,
			[DOCTYPE, "due_at", ">=", start_at],
			[DOCTYPE, "due_at", "<=", end_at + (end_at - start_at)],
		],
		fields=["name", "subject", "start_at", "due_at", "status", "priority"],
		order_by="due_at asc",
		group_by=f"`tab{DOCTYPE}`.`name`" if any(r[0] == ASSIGNEE_DOCTYPE for r in conditions) else None,
		limit_page_length=CALENDAR_LIMIT,
	)
	now = now_datetime()
	events = []
	for row in rows:
		begins = row.start_at or row.due_at
		if begins > end_at:
			continue
		events.append(
			{
				"name": row.name,
				"subject": row.subject,
				"start_at": begins,
				"due_at": row.due_at,
				"status": row.status,
				"priority": row.priority,
				"overdue": int(rules.is_overdue(row.status, row.due_at, now)),
			}
		)
	return events


@whitelist()
def get_tasks_summary(reference_type: str, reference_name: str) -> dict:
	"""The open and total tasks (the user may read) about a record, for its form's Tasks buttons."""
	if reference_type not in rules.REFERENCE_DOCTYPES:
		frappe.throw(
			_("A task can be about a {0}, not a {1}.").format(
				", ".join(_(d) for d in rules.REFERENCE_DOCTYPES), escape_html(_(reference_type))
			),
			TaskReferenceError,
		)
	frappe.has_permission(reference_type, "read", doc=reference_name, throw=True)
	if not frappe.has_permission(DOCTYPE, "read"):
		return {"open": 0, "total": 0, "can_read": False}
	counts = frappe.get_list(
		DOCTYPE,
		filters={"reference_type": reference_type, "reference_name": reference_name},
		fields=["status", "count(*) as n"],
		group_by="status",
		order_by=None,
	)
	total = sum(int(c.n) for c in counts)
	open_ = sum(int(c.n) for c in counts if rules.is_open(c.status))
	return {"open": open_, "total": total, "can_read": True}
