"""The task reminders (seed 004 任务: reminders to the assignee and the assigner when a task is about
to reach its due time and when it is past it): a scheduler job (every 5 minutes, hooks.py) sends

- "due soon": `remind_before_minutes` before the due time,
- "overdue": once the due time has passed,

each once, to the task's assignees (the user, or the members of its group) and its assigner: an
in-app notification (Notification Log, pushed in realtime) and an email through Frappe's Email Queue
(when an outgoing Email Account exists and the user's notification settings allow email).

Reading only what is due: a task stores when each pending reminder falls due (`remind_at`,
`overdue_at`, each indexed) and NULL when none is pending (sent, closed task, no due time), so the
job reads an index range of due rows, never the table.

Exactly once, even when two runs overlap: each task's reminder is claimed by an UPDATE that clears
its column only while it is still pending; the run whose UPDATE changed the row sends, the other
sees no row (InnoDB makes the second UPDATE wait for the first's commit). The claim and the
notifications are committed together, task by task; a task whose notifications fail keeps its claim
(the error is logged) rather than being retried every run.
"""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.query_builder import DocType
from frappe.utils import escape_html, format_datetime

from korus_crm import notify as notify_users
from korus_crm.rules import tasks as rules
from korus_crm.tasks import ASSIGNEE_DOCTYPE, DOCTYPE

BATCH = 500  # tasks per kind and run; the rest are read by the next run

# kind: (column holding when it falls due, flag set once it is sent)
KINDS: dict[str, tuple[str, str]] = {
	rules.DUE_SOON: ("remind_at", "reminder_sent"),
	rules.OVERDUE: ("overdue_at", "overdue_notified"),
}


def send_due_reminders() -> None:
	"""The scheduler job (hooks.py, cron): each task's reminders committed with its claim."""
	run(frappe.utils.now_datetime(), commit=True)


def run(now: datetime.datetime, commit: bool = False) -> dict[str, int]:
	"""Send every reminder due at `now`; returns how many tasks were reminded, per kind. With
	`commit`, each task's claim and notifications are committed together (the job); without, the
	caller's transaction holds them (tests, benchmarks)."""
	sent = dict.fromkeys(KINDS, 0)
	with_email = bool(EmailAccount.find_outgoing(match_by_doctype=DOCTYPE))
	for kind, (column, flag) in KINDS.items():
		rows = due_rows(column, now)
		if not rows:
			continue
		users = assignees_of([row.name for row in rows])
		for row in rows:
			if not claim(row.name, column, flag, now):
				continue  # another run has it
			if kind == rules.DUE_SOON and not rules.due_soon_is_still_useful(row.due_at, now):
				pass  # claimed after the due time: the overdue notice says more
			else:
				with notify_users.one_notice(
					"korus_task_reminder", _("Task reminder"), DOCTYPE, row.name, commit
				):
					notify(kind, row, users.get(row.name, []), with_email)
					sent[kind] += 1
			if commit:
				frappe.db.commit()
	return sent


def due_rows(column: str, now: datetime.datetime) -> list[frappe._dict]:
	"""The tasks whose reminder of `column` has fallen due (at most BATCH, the longest due first)."""
	return due_rows_query(column, now).run(as_dict=True)


def due_rows_query(column: str, now: datetime.datetime):
	"""An index range scan on `column` (NULL, none pending, is outside the range)."""
	task = DocType(DOCTYPE)
	return (
		frappe.qb.from_(task)
		.select(task.name, task.subject, task.due_at, task.assigned_by)
		.where(task[column] <= now)
		.orderby(task[column])
		.limit(BATCH)
	)


def claim(name: str, column: str, flag: str, now: datetime.datetime) -> bool:
	"""Mark the task's reminder as sent if it is still pending; True when this call did."""
	task = DocType(DOCTYPE)
	frappe.qb.update(task).set(task[flag], 1).set(task[column], None).where(
		(task.name == name) & (task[column] <= now)
	).run()
	return frappe.db._cursor.rowcount == 1


def assignees_of(names: list[str]) -> dict[str, list[str]]:
	out: dict[str, list[str]] = {}
	for row in frappe.get_all(
		ASSIGNEE_DOCTYPE,
		filters={"parent": ("in", names), "parenttype": DOCTYPE},
		fields=["parent", "user"],
		order_by="idx asc",
	):
		out.setdefault(row.parent, []).append(row.user)
	return out


def message(kind: str, subject: str, due_at, lang: str | None) -> str:
	title = f"<b>{escape_html(subject)}</b>"
	due = format_datetime(due_at)
	if kind == rules.OVERDUE:
		return _("Overdue: task {0} was due at {1}.", lang=lang).format(title, due)
	return _("Reminder: task {0} is due at {1}.", lang=lang).format(title, due)


def notify(kind: str, task: frappe._dict, assignees: list[str], with_email: bool) -> None:
	notify_users.tell(
		rules.reminder_recipients(task.assigned_by, assignees),
		DOCTYPE,
		task.name,
		lambda lang: message(kind, task.subject, task.due_at, lang),
		from_user=task.assigned_by,
		email=with_email,
		include_current_user=True,  # the job's own user (an assigner running it by hand) too
	)
