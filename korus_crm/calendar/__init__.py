"""The Korus calendar (seed 001 Kalendarz, the desk page /app/korus-calendar; docs/calendar-and-bulk-actions.md).

One calendar of the records that have a time: tasks (by their due time), scheduled contacts, the
next contact of follow-ups, open deals' expected close dates, and the yearly dates of contacts
(birthdays, anniversaries) and customers (anniversaries). `events` reads each source through
`frappe.get_list` (the user's permissions and data scope apply) with an index-backed filter on the
range (a date column's range, or the month-days of the range for yearly dates). `reschedule` moves a task, a scheduled contact, a follow-up's
next contact or a deal's expected close date by saving the record, so that its own rules and
permissions apply.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate

from korus_crm.boundary import whitelist
from korus_crm.exceptions import CalendarRangeError
from korus_crm.rules import calendar as rules


@dataclass(frozen=True)
class Source:
	"""Where the events of one type come from."""

	type: str
	doctype: str
	person_field: str
	fields: tuple[str, ...]
	title: Callable[[dict], str]
	# a range source: the indexed Datetime or Date column the range filters; a yearly one: the date
	# field and its indexed month-day column
	time_field: str | None = None
	date_field: str | None = None
	month_day_field: str | None = None
	all_day: bool = False
	filters: tuple = ()
	label: str = ""
	extra: Callable[[dict], dict] = field(default=lambda row: {})

	@property
	def yearly(self) -> bool:
		return bool(self.month_day_field)

	@property
	def reschedulable(self) -> bool:
		return self.doctype in rules.RESCHEDULABLE and not self.yearly


def _join(*parts) -> str:
	return " · ".join(str(p) for p in parts if p)


SOURCES: tuple[Source, ...] = (
	Source(
		type=rules.TASK,
		doctype="Korus Task",
		person_field="assigned_to",
		fields=("name", "subject", "start_at", "due_at", "status", "assigned_to"),
		time_field="due_at",
		filters=(("status", "!=", "Cancelled"),),
		title=lambda r: r.subject or r.name,
		extra=lambda r: {"status": r.status},
	),
	Source(
		type=rules.SCHEDULED_CONTACT,
		doctype="Scheduled Contact",
		person_field="assigned_to",
		fields=("name", "customer", "purpose", "scheduled_at", "status", "assigned_to"),
		time_field="scheduled_at",
		filters=(("status", "!=", "Cancelled"),),
		title=lambda r: _join(_("Scheduled contact: {0}").format(r.customer or ""), r.purpose),
		extra=lambda r: {"status": r.status},
	),
	Source(
		type=rules.FOLLOW_UP,
		doctype="Customer Follow-up",
		person_field="followed_up_by",
		fields=("name", "customer", "next_contact_at", "next_contact_topic", "followed_up_by"),
		time_field="next_contact_at",
		title=lambda r: _join(_("Next contact: {0}").format(r.customer or ""), r.next_contact_topic),
	),
	Source(
		type=rules.DEAL,
		doctype="Opportunity",
		person_field="opportunity_owner",
		fields=("name", "title", "customer_name", "party_name", "expected_closing", "opportunity_owner"),
		time_field="expected_closing",
		all_day=True,
		filters=(("closed_on", "is", "not set"),),
		title=lambda r: _("Deal closes: {0}").format(r.title or r.customer_name or r.party_name or r.name),
	),
	Source(
		type=rules.BIRTHDAY,
		doctype="Contact",
		person_field="korus_owner",
		fields=("name", "full_name", "korus_birthday", "korus_birthday_md", "korus_owner"),
		date_field="korus_birthday",
		month_day_field="korus_birthday_md",
		all_day=True,
		title=lambda r: _("Birthday: {0}").format(r.full_name or r.name),
	),
	Source(
		type=rules.ANNIVERSARY,
		doctype="Contact",
		person_field="korus_owner",
		fields=("name", "full_name", "korus_anniversary", "korus_anniversary_md", "korus_owner"),
		date_field="korus_anniversary",
		month_day_field="korus_anniversary_md",
		all_day=True,
		title=lambda r: _("Anniversary: {0}").format(r.full_name or r.name),
	),
	Source(
		type=rules.ANNIVERSARY,
		doctype="Customer",
		person_field="account_manager",
		fields=("name", "customer_name", "korus_anniversary", "korus_anniversary_md", "account_manager"),
		date_field="korus_anniversary",
		month_day_field="korus_anniversary_md",
		all_day=True,
		title=lambda r: _("Anniversary: {0}").format(r.customer_name or r.name),
	),
)


# --- reading ---


@whitelist()
def events(
	start: str,
	end: str,
	people: list[str] | None = None,
	types: list[str] | None = None,
) -> list[dict]:
	"""The events from `start` up to `end` (at most rules.MAX_RANGE_DAYS days) that the user may
	read, of the given `types` (all by default) and, given `people`, of those people (the task's
	or scheduled contact's assignee, the follow-up's author, the deal's, contact's or customer's
	owner)."""
	begin, finish = parse_range(start, end)
	wanted = check_types(types)
	people = check_people(people)
	found: list[dict] = []
	for source in SOURCES:
		if source.type in wanted and available(source):
			found.extend(read_source(source, begin, finish, people))
	found.sort(key=lambda e: (e["start"], e["title"]))
	return found


def parse_range(start: str, end: str) -> tuple[datetime.datetime, datetime.datetime]:
	begin, finish = parse_time(start, "start"), parse_time(end, "end")
	problem = rules.range_problem(begin, finish)
	if problem == "order":
		frappe.throw(_("The calendar's end must come after its start."), CalendarRangeError)
	if problem == "length":
		frappe.throw(
			_("The calendar shows at most {0} days at a time.").format(rules.MAX_RANGE_DAYS),
			CalendarRangeError,
		)
	return begin, finish


def parse_time(value: str, name: str) -> datetime.datetime:
	try:
		parsed = get_datetime(value.strip().replace("T", " ")[:19]) if value else None
	except Exception:
		parsed = None
	if not isinstance(parsed, datetime.datetime):
		frappe.throw(
			_("{0} must be a date or a date and time (YYYY-MM-DD HH:MM:SS).").format(frappe.bold(name)),
			CalendarRangeError,
		)
	return parsed


def check_types(types: list[str] | None) -> set[str]:
	if not types:
		return set(rules.TYPES)
	unknown = [t for t in types if t not in rules.TYPES]
	if unknown:
		frappe.throw(
			_("{0} is not a calendar event type. Choose from: {1}").format(
				frappe.bold(str(unknown[0])), ", ".join(rules.TYPES)
			),
			CalendarRangeError,
		)
	return set(types)


def check_people(people: list[str] | None) -> list[str] | None:
	if not people:
		return None
	if len(people) > rules.MAX_PEOPLE:
		frappe.throw(
			_("Choose at most {0} people.").format(rules.MAX_PEOPLE),
			CalendarRangeError,
		)
	return list(dict.fromkeys(p.strip() for p in people if p.strip())) or None


def available(source: Source) -> bool:
	"""Whether the user may read the source's doctype."""
	return bool(frappe.has_permission(source.doctype, "read"))


def read_source(
	source: Source, begin: datetime.datetime, finish: datetime.datetime, people: list[str] | None
) -> list[dict]:
	filters = [list(f) for f in source.filters]
	if people:
		filters.append([source.person_field, "in", people])
	if source.yearly:
		first, after_last = begin.date(), last_day(finish) + datetime.timedelta(days=1)
		filters.append([source.month_day_field, "in", rules.month_days(first, after_last)])
		order_by = f"`{source.month_day_field}` asc"
	elif source.all_day:
		filters.append([source.time_field, ">=", begin.date()])
		filters.append([source.time_field, "<=", last_day(finish)])
		order_by = f"`{source.time_field}` asc"
	else:
		filters.append([source.time_field, ">=", begin])
		filters.append([source.time_field, "<", finish])
		order_by = f"`{source.time_field}` asc"
	rows = frappe.get_list(
		source.doctype,
		filters=filters,
		fields=list(source.fields),
		order_by=order_by,
		limit_page_length=rules.SOURCE_LIMIT,
	)
	editable = source.reschedulable and bool(frappe.has_permission(source.doctype, "write"))
	found = []
	for row in rows:
		if source.yearly:
			original = getdate(row.get(source.date_field)) if row.get(source.date_field) else None
			for day in rules.occurrences(row.get(source.month_day_field), first, after_last):
				found.append(
					make_event(source, row, day, None, editable=False, years=rules.years_since(original, day))
				)
		elif source.type == rules.TASK:
			begins = row.start_at if row.start_at and row.start_at < row.due_at else row.due_at
			found.append(
				make_event(source, row, begins, row.due_at if begins != row.due_at else None, editable)
			)
		else:
			found.append(make_event(source, row, row.get(source.time_field), None, editable))
	return found


def last_day(finish: datetime.datetime) -> datetime.date:
	"""The last day a range ending (exclusively) at `finish` covers."""
	return (finish - datetime.timedelta(microseconds=1)).date()


def make_event(source: Source, row: dict, start, end, editable: bool, years: int | None = None) -> dict:
	title = source.title(row)
	if years:
		title = f"{title} ({years})"
	return {
		"id": f"{source.type}:{source.doctype}:{row.name}",
		"type": source.type,
		"doctype": source.doctype,
		"name": row.name,
		"title": title,
		"start": iso(start),
		"end": iso(end) if end else None,
		"all_day": source.all_day,
		"person": row.get(source.person_field),
		"editable": editable,
		**source.extra(row),
	}


def iso(value) -> str:
	if isinstance(value, datetime.datetime):
		return value.strftime("%Y-%m-%d %H:%M:%S")
	if isinstance(value, datetime.date):
		return value.isoformat()
	return str(value)


# --- rescheduling ---


@whitelist(methods=["POST"])
def reschedule(
	doctype: Literal[tuple(rules.RESCHEDULABLE)],  # type: ignore[valid-type]
	name: str,
	start: str,
) -> dict:
	"""Move a task (its start and due time keep their distance), a scheduled contact, a follow-up's
	next contact or a deal's expected close date to `start`: the record is saved, so its own rules
	and permissions apply. Returns the event as it is now."""
	new_start = parse_time(start, "start")
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("write")
	if doctype == "Korus Task":
		shift = rules.shift_task(
			get_datetime(doc.start_at) if doc.start_at else None,
			get_datetime(doc.due_at) if doc.due_at else None,
			new_start,
		)
		doc.start_at, doc.due_at = shift.start_at, shift.due_at
	elif doctype == "Opportunity":
		doc.expected_closing = new_start.date()
	else:
		doc.set(rules.RESCHEDULABLE[doctype], new_start)
	doc.save()
	source = next(s for s in SOURCES if s.doctype == doctype)
	row = frappe._dict({f: doc.get(f) for f in source.fields})
	if doctype == "Korus Task":
		row.start_at, row.due_at = (
			get_datetime(doc.start_at) if doc.start_at else None,
			get_datetime(doc.due_at),
		)
		begins = row.start_at if row.start_at and row.start_at < row.due_at else row.due_at
		return make_event(source, row, begins, row.due_at if begins != row.due_at else None, True)
	return make_event(source, row, row.get(source.time_field), None, True)
