"""Who reads, changes and deletes a Korus Task, and who may assign one to whom.

- Managers (korus_crm.rules.tasks.MANAGER_ROLES, and Administrator) read every task and assign to
  anyone.
- Anyone else reads a task they are involved in (its assigner or one of its assignees: the user, or
  a member of its group) or that someone below them in the `reports_to` tree is involved in
  (korus_crm.people). They assign to themselves and to their subordinates.
- A task is deleted by managers, its assigner and the assigner's supervisors.

Frappe's two permission hooks apply it (hooks.py): `query_conditions` to every list, count, report,
export, link search and calendar read (`frappe.get_list`), `has_permission` to a task opened by name
(the form, REST, print). Role permissions still decide what a role may do at all; these hooks only
narrow it.
"""

from __future__ import annotations

import frappe

from korus_crm import people
from korus_crm.rules import tasks as rules
from korus_crm.tasks import ASSIGNEE_DOCTYPE, DOCTYPE


def is_manager(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or rules.is_manager(frappe.get_roles(user))


def people_of(user: str) -> list[str]:
	"""The user and everyone below them in the `reports_to` tree: whose tasks the user reads."""
	return [user, *people.subordinates(user)]


def participants(user: str) -> str:
	"""SQL condition on `tabKorus Task`: the tasks the user or one of their subordinates is involved
	in (as assigner or assignee).

	The assignee part is a correlated scalar subquery: one lookup on the assignees' `parent` index per
	task the query reads. (Written as EXISTS or IN, MariaDB may choose to materialise every assignee
	row of these users first, which grows with the table's history.)"""
	users = ", ".join(frappe.db.escape(u) for u in people_of(user))
	return (
		f"(`tab{DOCTYPE}`.`assigned_by` in ({users}) or (select 1 from `tab{ASSIGNEE_DOCTYPE}` kta"
		f" where kta.`parent` = `tab{DOCTYPE}`.`name` and kta.`parenttype` = {frappe.db.escape(DOCTYPE)}"
		f" and kta.`user` in ({users}) limit 1) is not null)"
	)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of Korus Task."""
	user = user or frappe.session.user
	if is_manager(user):
		return ""
	return participants(user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""has_permission of Korus Task: a task outside the user's reach is refused (403), whatever the
	user's roles allow; inside it, the roles decide. Decided on the stored task (a change being saved
	is checked by the controller). A task being made is checked by the controller."""
	user = user or frappe.session.user
	if ptype == "create" or doc.is_new() or is_manager(user):
		return None
	stored = frappe.db.get_value(DOCTYPE, doc.name, "assigned_by", as_dict=True)
	if stored is None:
		return None
	subordinates = people.subordinates(user)
	if ptype == "delete":
		return None if rules.may_delete(user, stored.assigned_by, subordinates, False) else False
	assignees = frappe.get_all(
		ASSIGNEE_DOCTYPE, filters={"parent": doc.name, "parenttype": DOCTYPE}, pluck="user"
	)
	return None if rules.may_read(user, stored.assigned_by, assignees, subordinates, False) else False


def not_assignable(actor: str, assignees: list[str]) -> list[str]:
	"""The users among `assignees` that `actor` may not assign a task to."""
	if is_manager(actor):
		return []
	return rules.not_assignable(actor, assignees, people.subordinates(actor), False)
