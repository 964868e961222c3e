"""A Korus Task's assignees: the user it is assigned to, or the enabled members of its User Group.

They are stored on the task (child table Korus Task Assignee), so that reading "my tasks" or "my
subordinates' tasks" is an index lookup and the reminder job knows whom to tell without expanding
groups. When a group's members change, its open tasks take the new members (a background job; a new
member is told of the assignment as on any assignment).
"""

from __future__ import annotations

import frappe
from frappe.query_builder import DocType

from korus_crm import jobs
from korus_crm.rules.tasks import OPEN_STATUSES
from korus_crm.tasks import DOCTYPE


def group_members(group: str) -> list[str]:
	"""The enabled users of a User Group, sorted."""
	member, user = DocType("User Group Member"), DocType("User")
	return sorted(
		frappe.qb.from_(member)
		.join(user)
		.on(user.name == member.user)
		.select(member.user)
		.where((member.parent == group) & (member.parenttype == "User Group") & (user.enabled == 1))
		.distinct()
		.run(pluck=True)
	)


def assignees_of(assigned_to: str | None, user_group: str | None) -> list[str]:
	if assigned_to:
		return [assigned_to]
	if user_group:
		return group_members(user_group)
	return []


def user_group_changed(doc, method=None) -> None:
	"""User Group on_update: its open tasks take its members as they are now."""
	jobs.enqueue(
		"korus_crm.tasks.assignees.refresh_group_tasks",
		job_id=jobs.key("group-tasks", doc.name),
		group=doc.name,
	)


@jobs.job
def refresh_group_tasks(group: str) -> int:
	"""The job: every open task of the group whose assignees are not the group's members now is saved
	again (its controller sets the assignees); idempotent. Returns the number of open tasks."""
	names = frappe.get_all(
		DOCTYPE,
		filters={"user_group": group, "status": ("in", OPEN_STATUSES)},
		pluck="name",
		order_by="name asc",
	)
	members = group_members(group)
	for name in names:
		task = frappe.get_doc(DOCTYPE, name)
		if [row.user for row in task.assignees] == members:
			continue
		task.flags.ignore_permissions = True
		task.save()
	return len(names)
