# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A task (seed 004 任务, seed 001 Zadania; docs/tasks.md).

On every save the controller checks the dates, the reminder minutes, the record the task is about
and the assignee (a user or a group; the user saving may assign only to themselves and their
subordinates unless a manager), and sets what the server keeps: the assigner, the assignees (the
group's members), the completion time and the reminder columns the reminder job reads
(korus_crm.tasks.reminders). New assignees are notified.
"""

import frappe
from frappe import _
from frappe.utils import escape_html, get_datetime, get_fullname, now_datetime

from korus_crm import notify
from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import (
	TaskAssigneeError,
	TaskAssignmentError,
	TaskDatesError,
	TaskReferenceError,
	TaskReminderError,
)
from korus_crm.rules import tasks as rules
from korus_crm.tasks import access, assignees


class KorusTask(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from korus_crm.korus_crm.doctype.korus_task_assignee.korus_task_assignee import KorusTaskAssignee

		assigned_by: DF.Link | None
		assigned_to: DF.Link | None
		assignees: DF.Table[KorusTaskAssignee]
		completed_on: DF.Datetime | None
		description: DF.TextEditor | None
		due_at: DF.Datetime
		overdue_at: DF.Datetime | None
		overdue_notified: DF.Check
		priority: DF.Literal["Low", "Medium", "High", "Urgent"]
		reference_name: DF.DynamicLink | None
		reference_type: DF.Link | None
		remind_at: DF.Datetime | None
		remind_before_minutes: DF.Int
		reminder_sent: DF.Check
		start_at: DF.Datetime | None
		status: DF.Literal["Open", "Working", "Completed", "Cancelled"]
		subject: DF.Data
		user_group: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.subject = (self.subject or "").strip()
		self.validate_dates()
		self.validate_reminder_minutes()
		self.validate_reference()
		self.set_assignees()
		self.set_completion()
		self.set_reminders()

	def on_update(self):
		self.notify_new_assignees()

	# --- input ---

	def validate_dates(self):
		start_at = get_datetime(self.start_at) if self.start_at else None
		due_at = get_datetime(self.due_at) if self.due_at else None
		if not rules.dates_are_valid(start_at, due_at):
			frappe.throw(_("A task's due time cannot be before its start."), TaskDatesError)

	def validate_reminder_minutes(self):
		if self.remind_before_minutes is None:
			self.remind_before_minutes = rules.DEFAULT_REMIND_BEFORE_MINUTES
		if not rules.minutes_are_valid(self.remind_before_minutes):
			frappe.throw(
				_("Remind Before (Minutes) must be between 0 and {0}.").format(
					rules.MAX_REMIND_BEFORE_MINUTES
				),
				TaskReminderError,
			)

	def validate_reference(self):
		problem = rules.reference_problem(self.reference_type, self.reference_name)
		if problem == "type":
			frappe.throw(
				_("A task can be about a {0}, not a {1}.").format(
					", ".join(_(d) for d in rules.REFERENCE_DOCTYPES), escape_html(_(self.reference_type))
				),
				TaskReferenceError,
			)
		if problem == "name":
			frappe.throw(
				_("Choose the {0} the task is about.").format(_(self.reference_type)), TaskReferenceError
			)
		if problem == "no type":
			frappe.throw(
				_("Choose the Reference Type of {0}.").format(escape_html(self.reference_name)),
				TaskReferenceError,
			)
		if not self.reference_name:
			return
		if not frappe.db.exists(self.reference_type, self.reference_name):
			frappe.throw(
				_("Could not find {0}: {1}").format(_(self.reference_type), escape_html(self.reference_name)),
				frappe.LinkValidationError,
			)
		changed = (
			self.is_new()
			or self.has_value_changed("reference_name")
			or self.has_value_changed("reference_type")
		)
		if (
			changed
			and not self.flags.ignore_permissions
			and not frappe.has_permission(self.reference_type, "read", doc=self.reference_name)
		):
			frappe.throw(
				_("You cannot link a task to {0} {1}: you may not read it.").format(
					_(self.reference_type), escape_html(self.reference_name)
				),
				frappe.PermissionError,
			)

	# --- assignment ---

	def set_assignees(self):
		if self.is_new() and not self.assigned_to and not self.user_group:
			self.assigned_to = frappe.session.user
		problem = rules.assignee_problem(self.assigned_to, self.user_group)
		if problem == "none":
			frappe.throw(_("Assign the task to a user or to a user group."), TaskAssigneeError)
		if problem == "both":
			frappe.throw(
				_("Assign the task to a user or to a user group, not to both: leave one of them empty."),
				TaskAssigneeError,
			)
		enabled = frappe.db.get_value("User", self.assigned_to, "enabled") if self.assigned_to else None
		if self.assigned_to and enabled is None:
			frappe.throw(
				_("Could not find {0}: {1}").format(_("User"), escape_html(self.assigned_to)),
				frappe.LinkValidationError,
			)
		if self.assigned_to and not enabled:
			frappe.throw(
				_("{0} is not an enabled user: a task cannot be assigned to them.").format(
					escape_html(self.assigned_to)
				),
				TaskAssigneeError,
			)
		if self.user_group and not frappe.db.exists("User Group", self.user_group):
			frappe.throw(
				_("Could not find {0}: {1}").format(_("User Group"), escape_html(self.user_group)),
				frappe.LinkValidationError,
			)
		users = assignees.assignees_of(self.assigned_to, self.user_group)
		if not users:
			frappe.throw(
				_("User group {0} has no enabled members: a task cannot be assigned to it.").format(
					escape_html(self.user_group)
				),
				TaskAssigneeError,
			)
		before = self.get_doc_before_save()
		reassigned = before is None or (before.assigned_to, before.user_group) != (
			self.assigned_to,
			self.user_group,
		)
		if reassigned:
			self.check_assignment(users)
			if not (self.flags.ignore_permissions and self.assigned_by):
				self.assigned_by = frappe.session.user
		elif before is not None:
			self.assigned_by = before.assigned_by  # kept by the server
		self.set_assignee_rows(users)

	def check_assignment(self, users: list[str]):
		if self.flags.ignore_permissions:
			return
		refused = access.not_assignable(frappe.session.user, users)
		if refused:
			names = ", ".join(escape_html(get_fullname(u)) for u in refused)
			frappe.throw(
				_(
					"You can assign tasks only to yourself and to the people who report to you, not to {0}."
				).format(names),
				TaskAssignmentError,
			)

	def set_assignee_rows(self, users: list[str]):
		open_ = rules.is_open(self.status)
		if [row.user for row in self.assignees] != users:
			self.set("assignees", [{"user": u} for u in users])
		for row in self.assignees:
			row.open_assignee = row.user if open_ else None

	def notify_new_assignees(self):
		"""New assignees of an open task are told (in the request: a handful of Notification Logs)."""
		before = self.get_doc_before_save()
		old = {row.user for row in before.assignees} if before else set()
		new = [row.user for row in self.assignees if row.user not in old and row.user != frappe.session.user]
		if not new or not rules.is_open(self.status):
			return
		who = escape_html(get_fullname(frappe.session.user))
		title = f"<b>{escape_html(self.subject)}</b>"
		notify.tell(
			new,
			self.doctype,
			self.name,
			lambda lang: _("{0} assigned you the task {1}", lang=lang).format(who, title),
			kind="Assignment",
		)

	# --- status and reminders ---

	def set_completion(self):
		if self.status == rules.COMPLETED:
			if not self.completed_on or self.has_value_changed("status"):
				self.completed_on = now_datetime()
		else:
			self.completed_on = None

	def set_reminders(self):
		"""The reminder flags are the server's (read under a row lock, so that a reminder the job is
		sending right now is not sent again); a new due time clears them."""
		sent = {"reminder_sent": 0, "overdue_notified": 0}
		due_changed = True
		if not self.is_new():
			stored = frappe.db.get_value(
				self.doctype,
				self.name,
				["reminder_sent", "overdue_notified", "due_at"],
				as_dict=True,
				for_update=True,
			)
			if stored:
				sent = stored
				due_changed = get_datetime(stored.due_at) != get_datetime(self.due_at)
		state = rules.reminder_state(
			status=self.status,
			due_at=get_datetime(self.due_at) if self.due_at else None,
			remind_before_minutes=self.remind_before_minutes,
			reminder_sent=bool(sent["reminder_sent"]),
			overdue_notified=bool(sent["overdue_notified"]),
			due_changed=due_changed,
			now=now_datetime(),
		)
		self.reminder_sent = int(state.reminder_sent)
		self.overdue_notified = int(state.overdue_notified)
		self.remind_at = state.remind_at
		self.overdue_at = state.overdue_at


def on_doctype_update():
	"""The indexes of the task views and the reminder job (docs/tasks.md)."""
	frappe.db.add_index("Korus Task", ["status", "due_at"], "korus_task_status_due")
	frappe.db.add_index("Korus Task", ["assigned_by", "status"], "korus_task_assigner_status")
	frappe.db.add_index("Korus Task", ["reference_type", "reference_name"], "korus_task_reference")
	frappe.db.add_index("Korus Task", ["user_group", "status"], "korus_task_group_status")
