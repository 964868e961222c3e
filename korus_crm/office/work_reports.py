"""Work reports (工作报告, seed 004 办公管理): who reads them, telling their recipients, read flags and
the views "to me", "unread" and "my subordinates'" (rules in korus_crm.rules.work_reports).

- **Who reads a report** (`query_conditions`, `has_permission`): its author (drafts too); once
  submitted, its recipients (the author's supervisor and the colleagues the author chose) and the
  author's supervisors up the `reports_to` chain (korus_crm.people); System Manager and Korus
  Administrator every report. Only the author writes, submits, cancels and amends it. Anyone who
  reads it may comment on it (Frappe's comments on the form).
- **Telling the recipients** (`notify_recipients`, on submit): an in-app notification each
  (Notification Log: the bell, in real time) and, when the site has an outgoing email account, an
  email through the Email Queue to those who have not switched email notifications off. A report
  has at most rules.MAX_RECIPIENTS recipients, so this runs with the submit.
- **Read flags**: each recipient row has its own `is_read` (index (user, is_read)); opening the
  report marks the reader's row (`mark_read`). "Unread for me" is that index.
- **My subordinates' reports** (`subordinates_reports`): the reports of the users below the user
  in the `reports_to` tree (one nested-set range on Employee), by period, through get_list (index
  (author, period_start)).

Hooks (hooks.py): permission_query_conditions and has_permission of "Work Report".
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

import frappe
from frappe import _
from frappe.utils import escape_html, now_datetime

from korus_crm import notify, people
from korus_crm.boundary import Between, whitelist
from korus_crm.rules import work_reports as rules

DOCTYPE = "Work Report"
RECIPIENT = "Work Report Recipient"
ADMIN_ROLES = ("System Manager", "Korus Administrator")
READ_PTYPES = ("read", "print", "email", "report", "export", "select")
# ptypes an administrator has on someone else's report (reading it, and removing it)
ADMIN_PTYPES = (*READ_PTYPES, "delete")


# --- permissions ---


def is_admin(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(set(ADMIN_ROLES) & set(frappe.get_roles(user)))


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions: one's own reports; submitted reports one receives or whose
	author is below one in the reports_to tree; every report for administrators."""
	user = user or frappe.session.user
	if is_admin(user):
		return ""
	table = f"`tab{DOCTYPE}`"
	me = frappe.db.escape(user)
	received = (
		f"{table}.`name` in (select `parent` from `tab{RECIPIENT}`"
		f" where `parenttype` = '{DOCTYPE}' and `user` = {me})"
	)
	below = people.subordinates_condition(user, f"{table}.`author`")
	return f"({table}.`author` = {me} or ({table}.`docstatus` = 1 and ({received} or {below})))"


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	"""has_permission: as `query_conditions` for reading; only the author changes a report."""
	user = user or frappe.session.user
	if ptype == "create" or doc.is_new():
		return True
	if doc.author == user:
		return True
	if is_admin(user):
		return ptype in ADMIN_PTYPES
	if ptype not in READ_PTYPES or doc.docstatus != 1:
		return False
	return any(row.user == user for row in doc.recipients) or people.is_supervisor_of(user, doc.author)


# --- telling the recipients ---


def notify_recipients(doc) -> list[str]:
	"""On submit: each recipient gets an in-app notification, and an email with the report through
	the queue when the site can send email (korus_crm.notify); returns whom."""
	users = [row.user for row in doc.recipients if row.user and row.user != doc.author]
	period = rules.period_label(doc.kind, frappe.utils.getdate(doc.period_start))
	author = frappe.bold(escape_html(doc.author_name or doc.author))

	def subject(lang: str) -> str:
		return _("Work report from {0}: {1} {2}", lang=lang).format(author, _(doc.kind, lang=lang), period)

	def body(lang: str) -> str:
		sections = [
			(_("Done", lang=lang), doc.done),
			(_("Planned", lang=lang), doc.planned),
			(_("Problems", lang=lang), doc.problems),
		]
		return "".join(f"<h4>{label}</h4>{text}" for label, text in sections if text)

	return notify.tell(users, DOCTYPE, doc.name, subject, body, from_user=doc.author)


# --- read flags ---


@whitelist(methods=["POST"])
def mark_read(name: str) -> dict:
	"""The current user, a recipient, has read the submitted report (their row only)."""
	doc = frappe.get_doc(DOCTYPE, name)
	doc.check_permission("read")
	user = frappe.session.user
	row = next((r for r in doc.recipients if r.user == user), None)
	if row is None or doc.docstatus != 1:
		return {"name": doc.name, "is_read": None}
	if not row.is_read:
		# bookkeeping on the reader's own row: the report itself is not modified
		frappe.db.set_value(
			RECIPIENT, row.name, {"is_read": 1, "read_on": now_datetime()}, update_modified=False
		)
	return {"name": doc.name, "is_read": 1}


def is_unread_for(doc, user: str) -> bool:
	return doc.docstatus == 1 and any(r.user == user and not r.is_read for r in doc.recipients)


@whitelist()
def unread_count() -> int:
	"""How many submitted reports the user has received and not read (index (user, is_read))."""
	rows = frappe.get_list(
		DOCTYPE,
		filters=unread_filters(frappe.session.user),
		fields=[f"count(distinct `tab{DOCTYPE}`.`name`) as total"],
	)
	return int(rows[0].total) if rows else 0


def unread_filters(user: str) -> list[list]:
	return [
		[RECIPIENT, "user", "=", user],
		[RECIPIENT, "is_read", "=", 0],
		[DOCTYPE, "docstatus", "=", 1],
	]


@whitelist()
def unread_among(names: list[str]) -> list[str]:
	"""Which of these reports (a list page) the user has received and not read."""
	names = [n for n in names[:500] if isinstance(n, str)]
	if not names:
		return []
	return frappe.get_list(
		DOCTYPE,
		filters=[[DOCTYPE, "name", "in", names], *unread_filters(frappe.session.user)],
		pluck="name",
		distinct=True,
		limit_page_length=0,
	)


# --- my subordinates' reports ---


@whitelist()
def subordinates_reports(
	kind: Literal["Daily", "Weekly", "Monthly"] | None = None,
	from_date: datetime.date | None = None,
	to_date: datetime.date | None = None,
	start: Annotated[int, Between(0, 10**9)] = 0,
	page_length: Annotated[int, Between(1, 500)] = 100,
) -> list[dict]:
	"""The submitted reports of the users below the current user in the reports_to tree, newest
	period first; optionally of one kind and with periods starting from `from_date` to `to_date`."""
	below = people.subordinates(frappe.session.user)
	if not below:
		return []
	filters = [["author", "in", below], ["docstatus", "=", 1]]
	if kind:
		filters.append(["kind", "=", kind])
	if from_date:
		filters.append(["period_start", ">=", from_date])
	if to_date:
		filters.append(["period_start", "<=", to_date])
	return frappe.get_list(
		DOCTYPE,
		filters=filters,
		fields=["name", "title", "kind", "period_start", "period_end", "author", "author_name", "employee"],
		order_by="period_start desc, author_name asc",
		limit_start=start,
		limit_page_length=page_length,
	)


@whitelist()
def my_subordinates() -> list[str]:
	"""The users below the current user in the reports_to tree (the list's "My subordinates'" view)."""
	return people.subordinates(frappe.session.user)


@whitelist()
def period(kind: Literal["Daily", "Weekly", "Monthly"], report_date: datetime.date) -> dict:
	"""The period a report of `kind` for `report_date` covers (the form shows it before saving)."""
	start, end = rules.period_of(kind, report_date)
	return {"period_start": start, "period_end": end, "label": rules.period_label(kind, start)}
