"""Announcements (公告, seed 004 办公管理): who reads them, when they are published and announced,
who has read them, and the workspace block that shows them (rules in korus_crm.rules.announcements).

- **Who reads an announcement** (`query_conditions`, `has_permission`): its author; the managers
  (System Manager, Korus Administrator) every one; anyone else a published one whose audience they
  are in: everyone, the branch of their Employee, or their Employee's department or a department
  above it (an audience department includes the departments below it: a nested-set range on
  Department). Writing is its author's or a manager's.
- **Publishing**: saving with status Published (the form's Publish button) publishes at once when
  the publish date has come, else schedules it; `publish_due` (every minute) publishes the scheduled
  ones whose date has come, reading only those rows (index (status, publish_on)).
- **Announcing, once**: the first time an announcement is published, `notify_audience` runs in a
  background job and gives each user of the audience (enabled, holding a role that reads
  announcements) an in-app notification (Notification Log: the bell, in real time). `notified_on`
  records it, under a row lock, so that no second job or second publication announces it again.
- **Read receipts** (`Korus Announcement Read`, one row per announcement and user, unique): written
  when a reader opens it (form or workspace); its author and the managers see who and how many.
- **The workspace block** (Custom HTML Block "Korus Announcements", made at install and migrate):
  the current announcements the user may read, pinned first, unread ones marked.

Hooks (hooks.py): permission_query_conditions and has_permission of "Korus Announcement" and
"Korus Announcement Read"; cron every minute `publish_due`; after_install / after_migrate
`sync_workspace_block`; before_uninstall `remove_workspace_block`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import get_datetime, get_fullname, now_datetime, strip_html

from korus_crm import jobs, notify, people
from korus_crm.boundary import Between, whitelist
from korus_crm.rules import announcements as rules
from korus_crm.setup import blocks

DOCTYPE = "Korus Announcement"
READ = "Korus Announcement Read"
BRANCHES = "Korus Announcement Branch"
DEPARTMENTS = "Korus Announcement Department"
MANAGER_ROLES = ("System Manager", "Korus Administrator")
NOTIFY_JOB = "korus_crm.office.announcements.notify_audience"
BLOCK = "Korus Announcements"
# due announcements published per run of the job (the next run takes the rest)
PUBLISH_BATCH = 500


# --- permissions ---


def is_manager(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(set(MANAGER_ROLES) & set(frappe.get_roles(user)))


def audience_condition(user: str) -> str:
	"""SQL: a published announcement whose audience the user is in."""
	table = f"`tab{DOCTYPE}`"
	employee = people.employee_of(user)
	parts = [f"{table}.`audience` = 'Everyone'"]
	if employee and employee.branch:
		parts.append(
			f"({table}.`audience` = 'Branches' and {table}.`name` in (select `parent` from `tab{BRANCHES}`"
			f" where `parenttype` = '{DOCTYPE}' and `branch` = {frappe.db.escape(employee.branch)}))"
		)
	place = people.department_range(employee.department) if employee else None
	if place:
		lft, rgt = place
		parts.append(
			f"({table}.`audience` = 'Departments' and {table}.`name` in (select `parent` from `tab{DEPARTMENTS}`"
			f" where `parenttype` = '{DOCTYPE}' and `department` in (select `name` from `tabDepartment`"
			f" where `lft` <= {lft} and `rgt` >= {rgt})))"
		)
	return f"({table}.`status` = 'Published' and ({' or '.join(parts)}))"


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions: managers read every announcement; anyone else their own and the
	published ones addressed to them."""
	user = user or frappe.session.user
	if is_manager(user):
		return ""
	return f"(`tab{DOCTYPE}`.`owner` = {frappe.db.escape(user)} or {audience_condition(user)})"


def in_audience(doc, user: str) -> bool:
	employee = people.employee_of(user)
	departments = [
		place
		for place in (people.department_range(row.department) for row in doc.get("departments") or [])
		if place
	]
	return rules.in_audience(
		doc.get("audience"),
		[row.branch for row in doc.get("branches") or []],
		departments,
		employee.branch if employee else None,
		people.department_range(employee.department) if employee else None,
	)


READ_PTYPES = ("read", "print", "email", "report", "export", "select")


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	"""has_permission: as `query_conditions` for reading; writing is the author's or a manager's."""
	user = user or frappe.session.user
	if is_manager(user) or ptype == "create" or doc.is_new():
		return True
	if doc.owner == user:
		return True
	if ptype not in READ_PTYPES:
		return False
	return doc.status == rules.PUBLISHED and in_audience(doc, user)


def may_see_readers(doc, user: str | None = None) -> bool:
	"""Who has read an announcement: its author and the managers."""
	user = user or frappe.session.user
	return is_manager(user) or doc.owner == user


def read_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of read receipts: one's own, and those of one's announcements."""
	user = user or frappe.session.user
	if is_manager(user):
		return ""
	me = frappe.db.escape(user)
	return (
		f"(`tab{READ}`.`user` = {me} or `tab{READ}`.`announcement` in"
		f" (select `name` from `tab{DOCTYPE}` where `owner` = {me}))"
	)


def has_read_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_manager(user):
		return True
	if ptype not in READ_PTYPES:
		return False
	return doc.user == user or frappe.db.get_value(DOCTYPE, doc.announcement, "owner") == user


# --- the audience ---


def reader_roles() -> list[str]:
	"""The roles that read announcements (the doctype's permissions, as customised on the site)."""
	return sorted({p.role for p in frappe.get_meta(DOCTYPE).permissions if p.read and not p.permlevel})


def audience_query(doc):
	"""A query of the users an announcement is for: enabled system users holding a role that reads
	announcements, and, for branches or departments, whose active Employee is there; not its author."""
	user, has_role = DocType("User"), DocType("Has Role")
	query = (
		frappe.qb.from_(user)
		.select(user.name)
		.distinct()
		.where(
			(user.enabled == 1)
			& (user.user_type == "System User")
			& user.name.notin(["Administrator", "Guest", doc.owner or ""])
			& user.name.isin(
				frappe.qb.from_(has_role)
				.select(has_role.parent)
				.where((has_role.parenttype == "User") & has_role.role.isin(reader_roles() or [""]))
			)
		)
	)
	if doc.audience == rules.EVERYONE:
		return query
	employee = DocType("Employee")
	query = query.join(employee).on(employee.user_id == user.name).where(employee.status == "Active")
	if doc.audience == rules.BRANCHES:
		return query.where(employee.branch.isin([row.branch for row in doc.branches] or [""]))
	department, audience = DocType("Department"), DocType("Department").as_("audience_department")
	return (
		query.join(department)
		.on(department.name == employee.department)
		.join(audience)
		.on((department.lft >= audience.lft) & (department.rgt <= audience.rgt))
		.where(audience.name.isin([row.department for row in doc.departments] or [""]))
	)


def audience_users(doc) -> list[str]:
	return audience_query(doc).run(pluck=True)


def audience_size(doc) -> int:
	query = audience_query(doc)
	return frappe.qb.from_(query).select(Count("*")).run()[0][0]


# --- publishing and announcing ---


def schedule_notification(name: str) -> None:
	"""Announce the announcement in a background job, once its publication is committed."""
	jobs.enqueue(NOTIFY_JOB, job_id=jobs.key("announcement", name), announcement=name)


@jobs.job
def notify_audience(announcement: str) -> int:
	"""The job: each user of the audience gets one in-app notification (korus_crm.notify), the first
	time the announcement is published; returns how many. The row lock and `notified_on`, written in
	the job's transaction with the notifications, make it once."""
	row = frappe.db.get_value(DOCTYPE, announcement, ["status", "notified_on"], as_dict=True, for_update=True)
	if not row or not rules.should_notify(row.status, row.notified_on):
		return 0
	doc = frappe.get_doc(DOCTYPE, announcement)
	frappe.db.set_value(DOCTYPE, announcement, "notified_on", now_datetime(), update_modified=False)
	title = frappe.bold(frappe.utils.escape_html(doc.title))
	excerpt = frappe.utils.escape_html(strip_html(doc.content or "")[:500])
	told = notify.tell(
		audience_users(doc),
		DOCTYPE,
		announcement,
		lambda lang: _("New announcement: {0}", lang=lang).format(title),
		excerpt,
		from_user=doc.owner,
		email=False,
		include_current_user=True,  # the job runs as the publisher, who is in the audience too
	)
	return len(told)


def publish_due(now=None) -> list[str]:
	"""Scheduler (every minute): the scheduled announcements whose publish date has come are
	published and announced. Reads only those rows (index (status, publish_on))."""
	due = due_query(get_datetime(now) if now else now_datetime()).run(pluck=True)
	for name in due:
		frappe.db.set_value(DOCTYPE, name, "status", rules.PUBLISHED)
	# and any published one whose announcing job was lost (e.g. the queue was down after its
	# commit): the job announces it at most once (index (status, notified_on))
	for name in {*due, *unannounced_query().run(pluck=True)}:
		schedule_notification(name)
	return due


def due_query(now):
	"""The scheduled announcements whose publish date has come (index (status, publish_on))."""
	table = DocType(DOCTYPE)
	return (
		frappe.qb.from_(table)
		.select(table.name)
		.where((table.status == rules.SCHEDULED) & (table.publish_on <= now))
		.orderby(table.publish_on)
		.limit(PUBLISH_BATCH)
	)


def unannounced_query():
	"""Published announcements whose audience has not been told yet (index (status, notified_on))."""
	table = DocType(DOCTYPE)
	return (
		frappe.qb.from_(table)
		.select(table.name)
		.where((table.status == rules.PUBLISHED) & table.notified_on.isnull())
		.limit(PUBLISH_BATCH)
	)


# --- whitelisted methods ---


@whitelist(methods=["POST"])
def publish(name: str) -> dict:
	"""Publish an announcement (now, or on its publish date when that is ahead)."""
	doc = frappe.get_doc(DOCTYPE, name)
	doc.check_permission("write")
	doc.status = rules.PUBLISHED
	doc.save()
	return {"name": doc.name, "status": doc.status, "publish_on": doc.publish_on}


@whitelist(methods=["POST"])
def unpublish(name: str) -> dict:
	"""Take an announcement back to draft: its audience no longer sees it (it is not announced again
	when it is published again)."""
	doc = frappe.get_doc(DOCTYPE, name)
	doc.check_permission("write")
	doc.status = rules.DRAFT
	doc.save()
	return {"name": doc.name, "status": doc.status}


@whitelist(methods=["POST"])
def mark_read(name: str) -> dict:
	"""The current user has read the announcement (a published one they may read): recorded once."""
	doc = frappe.get_doc(DOCTYPE, name)
	doc.check_permission("read")
	user = frappe.session.user
	if doc.status != rules.PUBLISHED or user in ("Guest", doc.owner):
		return {"name": doc.name, "read_on": None}  # its author is not one of its readers
	record_read(doc.name, user)
	return {"name": doc.name, "read_on": read_on(doc.name, user)}


def record_read(announcement: str, user: str) -> None:
	"""One receipt per announcement and user, even when two requests race (INSERT IGNORE on the
	unique index)."""
	if frappe.db.exists(READ, {"announcement": announcement, "user": user}):
		return
	now = now_datetime()
	table = DocType(READ)
	frappe.qb.into(table).columns(
		"name", "announcement", "user", "full_name", "read_on", "owner", "modified_by", "creation", "modified"
	).insert(
		frappe.generate_hash(length=10), announcement, user, get_fullname(user), now, user, user, now, now
	).ignore().run()


def read_on(announcement: str, user: str):
	return frappe.db.get_value(READ, {"announcement": announcement, "user": user}, "read_on")


@whitelist()
def read_receipts(
	name: str,
	start: Annotated[int, Between(0, 10**9)] = 0,
	page_length: Annotated[int, Between(1, 500)] = 100,
) -> dict:
	"""Who has read the announcement, newest first, and how many of its audience (its author and
	the managers)."""
	doc = frappe.get_doc(DOCTYPE, name)
	doc.check_permission("read")
	if not may_see_readers(doc):
		frappe.throw(
			_("Only the author of an announcement and managers see who has read it."), frappe.PermissionError
		)
	readers = frappe.get_list(
		READ,
		filters={"announcement": doc.name},
		fields=["user", "full_name", "read_on"],
		order_by="read_on desc",
		limit_start=start,
		limit_page_length=page_length,
	)
	count = frappe.db.count(READ, {"announcement": doc.name})
	return {"name": doc.name, "read": count, "audience": audience_size(doc), "readers": readers}


@whitelist()
def current_announcements(limit: Annotated[int, Between(1, 50)] = 5) -> dict:
	"""The workspace block: the current announcements (published, not expired) the user may read,
	pinned first, then the newest; each says whether the user has read it."""
	now = now_datetime()
	fields = ["name", "title", "content", "pinned", "publish_on", "expires_on", "owner"]
	rows = frappe.get_list(
		DOCTYPE,
		filters=[["status", "=", rules.PUBLISHED], ["publish_on", "<=", now]],
		or_filters=[["expires_on", "is", "not set"], ["expires_on", ">", now]],
		fields=fields,
		order_by="pinned desc, publish_on desc",
		limit_page_length=limit + 1,
	)
	more = len(rows) > limit
	rows = rows[:limit]
	read = set(
		frappe.get_all(
			READ,
			filters={"user": frappe.session.user, "announcement": ["in", [r.name for r in rows] or [""]]},
			pluck="announcement",
		)
	)
	for row in rows:
		row.read = row.name in read
		row.author_name = get_fullname(row.owner)
	return {"announcements": rows, "more": more, "unread": sum(1 for r in rows if not r.read)}


@whitelist()
def unread_among(names: list[str]) -> list[str]:
	"""Which of these announcements (a list page) are published and not yet read by the user."""
	names = [n for n in names[:500] if isinstance(n, str)]
	if not names:
		return []
	published = frappe.get_list(
		DOCTYPE, filters={"name": ["in", names], "status": rules.PUBLISHED}, pluck="name", limit_page_length=0
	)
	read = set(
		frappe.get_all(
			READ,
			filters={"user": frappe.session.user, "announcement": ["in", published or [""]]},
			pluck="announcement",
		)
	)
	return [n for n in published if n not in read]


# --- the workspace block ---

BLOCK_HTML = '<div class="korus-announcements"></div>'
BLOCK_STYLE = """
.korus-announcements { padding: var(--padding-sm) 0; }
.korus-announcement { border-bottom: 1px solid var(--border-color); padding: var(--padding-sm) 0; cursor: pointer; }
.korus-announcement:last-child { border-bottom: none; }
.korus-announcement .title { font-size: var(--text-md); color: var(--text-color); }
.korus-announcement.unread .title { font-weight: 600; }
.korus-announcement .meta { font-size: var(--text-sm); color: var(--text-muted); }
.korus-announcement .content { display: none; margin-top: var(--margin-sm); color: var(--text-color); }
.korus-announcement.open .content { display: block; }
.korus-announcements .empty { color: var(--text-muted); }
.korus-announcements .head { display: flex; justify-content: space-between; align-items: baseline; }
"""
BLOCK_SCRIPT = Path(__file__).resolve().parents[1] / "public" / "js" / "korus_announcements_block.js"


def sync_workspace_block() -> None:
	"""after_install / after_migrate: the Custom HTML Block the Korus CRM workspace shows, as this
	version of the app has it."""
	blocks.sync_block(BLOCK, BLOCK_HTML, BLOCK_STYLE, BLOCK_SCRIPT)


def remove_workspace_block() -> None:
	"""before_uninstall: the block goes with the app."""
	blocks.remove_block(BLOCK)
