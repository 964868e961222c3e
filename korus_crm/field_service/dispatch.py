"""The dispatch board, the job pool and the ways a job gets a technician and a time.

- `schedule` is the one way a job is assigned, scheduled, moved or resized: the board's drops and
  resizes (`schedule_job`), a technician taking a job from the pool (`take_job`). It sets the
  technician and times and saves the job, so korus_crm.field_service.jobs checks the status, the
  skills, holidays and leave, and double booking under the technician's row lock.
- `board` reads one branch's active technicians (rows), their jobs in the day or week (one query on
  the (technician, scheduled_start) index), their holidays and approved leave (greyed, refused as
  targets), and where each block sits (korus_crm.rules.field_service.place). Jobs the user may not
  read show as "Busy" without their details: the row still shows the technician's time as taken.
- `pool` reads the unassigned jobs (New) by priority, then age, through the user's permissions
  and data scope, one page at a time (index (branch, status, priority_rank, creation)).
- `my_jobs_today`: the user's jobs (as technician or helper) today.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import add_to_date, cint, get_datetime, getdate, now_datetime, nowdate

from korus_crm.boundary import Between, whitelist
from korus_crm.exceptions import DispatchBoardError, JobStatusError, TakeJobRefusedError
from korus_crm.field_service import availability
from korus_crm.field_service.jobs import DOCTYPE, TAKING_ROLES, TECHNICIAN, helpers_of, lock_technicians
from korus_crm.rules import field_service as rules

JOB_FIELDS = (
	"name",
	"customer",
	"customer_name",
	"job_type",
	"priority",
	"status",
	"technician",
	"scheduled_start",
	"scheduled_end",
	"description",
	"preferred_start",
	"preferred_end",
)


# --- assigning, scheduling, moving, resizing ---


def _moment(name: str, value: str | None) -> datetime.datetime | None:
	if not value:
		return None
	try:
		return get_datetime(value)
	except Exception:
		frappe.throw(
			_("{0} must be a date and time, not {1}.").format(
				frappe.bold(name), frappe.bold(str(value)[:40])
			),
			DispatchBoardError,
		)


def schedule(
	doc,
	technician: str,
	start: datetime.datetime,
	end: datetime.datetime | None = None,
	dispatch: bool = False,
):
	"""Give `doc` to `technician` from `start` to `end` and save it. Without an end, a moved job
	keeps its length and a pool job takes its type's default duration."""
	try:
		status = rules.status_after_schedule(doc.status, dispatch)
	except ValueError:
		frappe.throw(
			_("Job {0} is {1}: it can no longer be moved.").format(frappe.bold(doc.name), _(doc.status)),
			JobStatusError,
		)
	if end is None:
		if doc.scheduled_start and doc.scheduled_end:
			end = start + (get_datetime(doc.scheduled_end) - get_datetime(doc.scheduled_start))
		else:
			duration = frappe.get_cached_value("Service Job Type", doc.job_type, "default_duration")
			end = rules.default_end(start, cint(duration))
	if end <= start:
		frappe.throw(_("A job must end after it starts."), DispatchBoardError)
	# the technicians' rows first, then the job's (Frappe's save locks it): every board path takes
	# its locks in this order, so two dispatchers never wait on each other in a circle
	lock_technicians(sorted({technician, *helpers_of(doc)}))
	doc.technician = technician
	doc.scheduled_start = start
	doc.scheduled_end = end
	doc.status = status
	doc.save()
	return doc


@whitelist(methods=["POST"])
def schedule_job(
	job: str, technician: str, start: str, end: str | None = None, dispatch: bool = False
) -> dict:
	"""The board's drop (assign and schedule, or move) and resize."""
	doc = frappe.get_doc(DOCTYPE, job)
	doc.check_permission("write")
	schedule(doc, technician, _moment("start", start), _moment("end", end), dispatch)
	return block_of(doc)


@whitelist(methods=["POST"])
def unschedule_job(job: str) -> dict:
	"""Back to the pool: no technician, no time (dragged from the board onto the pool)."""
	doc = frappe.get_doc(DOCTYPE, job)
	doc.check_permission("write")
	doc.status = rules.NEW
	doc.save()
	return block_of(doc)


@whitelist(methods=["POST"])
def set_status(
	job: str, status: Literal["Scheduled", "Dispatched", "In Progress", "On Hold", "Completed", "Cancelled"]
) -> dict:
	"""A status button of the form (dispatch, start, hold, complete, cancel): the job's rules apply."""
	doc = frappe.get_doc(DOCTYPE, job)
	doc.check_permission("write")
	doc.status = status
	doc.save()
	return block_of(doc)


@whitelist(methods=["POST"])
def dispatch_day(technician: str, day: datetime.date) -> list[str]:
	"""Dispatch a technician's scheduled jobs of a day (each is told once)."""
	start, end = rules.day_range(day)
	names = frappe.get_list(
		DOCTYPE,
		filters={
			"technician": technician,
			"status": rules.SCHEDULED,
			"scheduled_start": ("<", end),
			"scheduled_end": (">", start),
		},
		pluck="name",
		order_by="scheduled_start asc",
	)
	for name in names:
		doc = frappe.get_doc(DOCTYPE, name)
		doc.check_permission("write")
		doc.status = rules.DISPATCHED
		doc.save()
	return names


@whitelist(methods=["POST"])
def take_job(job: str, start: str | None = None) -> dict:
	"""A technician takes a job from the pool for themselves (if their role allows): it is theirs,
	dispatched, from `start` (default: the customer's preferred start if still ahead, else the next
	quarter hour). Two technicians taking one job: the second finds it taken."""
	user = frappe.session.user
	technician = frappe.db.get_value(TECHNICIAN, {"user": user, "active": 1}, "name")
	if not technician or not rules.may_take(frappe.get_roles(user), TAKING_ROLES):
		frappe.throw(_("Only an active technician whose role allows it may take a job."), TakeJobRefusedError)
	if not frappe.has_permission(DOCTYPE, "read", job):
		frappe.throw(_("You may not see job {0}.").format(frappe.bold(job)), frappe.PermissionError)
	lock_technicians([technician])  # the technician's row before the job's, as `schedule` does
	locked = frappe.db.sql(f"select status from `tab{DOCTYPE}` where name = %s for update", job)
	if not locked or locked[0][0] != rules.NEW:
		frappe.throw(
			_("Job {0} is no longer in the pool: someone took it first.").format(frappe.bold(job)),
			TakeJobRefusedError,
		)
	doc = frappe.get_doc(DOCTYPE, job)
	when = _moment("start", start)
	if when is None:
		preferred = get_datetime(doc.preferred_start) if doc.preferred_start else None
		soon = rules.snap(add_to_date(now_datetime(), minutes=15), 15)
		when = preferred if preferred and preferred > soon else soon
	doc.flags.ignore_permissions = True  # the take is the permission (checked above)
	schedule(doc, technician, when, dispatch=True)
	return block_of(doc)


def block_of(doc) -> dict:
	return {
		"name": doc.name,
		"status": doc.status,
		"technician": doc.technician,
		"start": str(doc.scheduled_start) if doc.scheduled_start else None,
		"end": str(doc.scheduled_end) if doc.scheduled_end else None,
	}


# --- the board ---


@whitelist()
def board(
	day: datetime.date,
	view: Literal["day", "week"] = "week",
	branch: str | None = None,
) -> dict:
	"""The dispatch board of a branch (all branches: None) for the day or week of `day`."""
	frappe.has_permission(DOCTYPE, "read", throw=True)
	filters = {"active": 1}
	if branch:
		filters["branch"] = branch
	technicians = frappe.get_all(
		TECHNICIAN,
		filters=filters,
		fields=["name", "employee_name", "branch", "color", "user"],
		order_by="employee_name asc",
		limit_page_length=rules.BOARD_TECHNICIAN_LIMIT + 1,
	)
	problem = rules.range_problem(view, len(technicians))
	if problem == "technicians":
		frappe.throw(
			_("The board shows at most {0} technicians: choose a branch.").format(
				rules.BOARD_TECHNICIAN_LIMIT
			),
			DispatchBoardError,
		)
	cols = rules.columns(view, day)
	start, end = rules.board_range(view, day)
	names = [t.name for t in technicians]
	skills = _skills_of(names)
	away = availability.absences(names, start, end)
	jobs = _jobs_in(names, start, end)
	readable = _readable([j.name for j in jobs])
	types = {
		t.name: t.color
		for t in frappe.get_all("Service Job Type", fields=["name", "color"], limit_page_length=0)
	}
	blocks = []
	for job in jobs:
		placed = rules.place(get_datetime(job.scheduled_start), get_datetime(job.scheduled_end), cols)
		if placed is None:
			continue
		visible = job.name in readable
		blocks.append(
			{
				"name": job.name if visible else None,
				"technician": job.row_technician,
				"helper": job.row_technician != job.technician,
				"status": job.status if visible else None,
				"title": (job.customer_name or job.customer) if visible else _("Busy"),
				"job_type": job.job_type if visible else None,
				"priority": job.priority if visible else None,
				"color": types.get(job.job_type) if visible else None,
				"start": str(job.scheduled_start),
				"end": str(job.scheduled_end),
				"left": placed.left,
				"width": placed.width,
				"clipped_start": placed.clipped_start,
				"clipped_end": placed.clipped_end,
				"movable": visible and job.status in rules.MOVABLE and job.row_technician == job.technician,
			}
		)
	return {
		"view": view,
		"day": str(day),
		"start": str(start),
		"end": str(end),
		"start_hour": rules.DAY_START_HOUR,
		"end_hour": rules.DAY_END_HOUR,
		"columns": [{"start": str(c.start), "end": str(c.end)} for c in cols],
		"technicians": [
			{
				"name": t.name,
				"employee_name": t.employee_name,
				"branch": t.branch,
				"color": t.color,
				"skills": skills.get(t.name, []),
				"blocked": rules.blocked_columns(cols, away.get(t.name, [])),
				"absences": [
					{"kind": a.kind, "start": str(a.start), "end": str(a.end), "description": a.description}
					for a in away.get(t.name, [])
				],
			}
			for t in technicians
		],
		"jobs": blocks,
	}


def _skills_of(technicians: list[str]) -> dict[str, list[str]]:
	out: dict[str, list[str]] = {}
	if not technicians:
		return out
	for row in frappe.get_all(
		"Service Technician Skill",
		filters={"parenttype": TECHNICIAN, "parent": ("in", technicians)},
		fields=["parent", "skill"],
		order_by="idx asc",
	):
		out.setdefault(row.parent, []).append(row.skill)
	return out


def _jobs_in(technicians: list[str], start: datetime.datetime, end: datetime.datetime) -> list:
	"""The booked jobs of the technicians (as technician or helper) overlapping start..end, each
	with the row it shows on (`row_technician`)."""
	if not technicians:
		return []
	job = DocType(DOCTYPE)
	fields = [job[f] for f in ("name", "customer", "customer_name", "job_type", "priority", "status")]
	fields += [job.technician, job.scheduled_start, job.scheduled_end]
	booked = list(rules.BOOKED)
	own = (
		frappe.qb.from_(job)
		.select(*fields, job.technician.as_("row_technician"))
		.where(job.technician.isin(technicians))
		.where(job.scheduled_start < end)
		.where(job.scheduled_end > start)
		.where(job.status.isin(booked))
		.run(as_dict=True)
	)
	helper = DocType("Service Job Helper")
	helping = (
		frappe.qb.from_(helper)
		.join(job)
		.on(job.name == helper.parent)
		.select(*fields, helper.technician.as_("row_technician"))
		.where(helper.parenttype == DOCTYPE)
		.where(helper.technician.isin(technicians))
		.where(job.scheduled_start < end)
		.where(job.scheduled_end > start)
		.where(job.status.isin(booked))
		.run(as_dict=True)
	)
	return [*own, *helping]


def _readable(names: list[str]) -> set[str]:
	if not names:
		return set()
	return set(
		frappe.get_list(
			DOCTYPE, filters={"name": ("in", sorted(set(names)))}, pluck="name", limit_page_length=0
		)
	)


# --- the pool ---


@whitelist()
def pool(
	branch: str | None = None,
	job_type: str | None = None,
	skill: str | None = None,
	start: Annotated[int, Between(0, 1_000_000)] = 0,
	page_length: Annotated[int, Between(1, 200)] = rules.POOL_PAGE,
) -> list[dict]:
	"""A page of the pool: unassigned jobs by priority (Urgent first), then age (oldest first);
	`skill`: only the job types that require it."""
	frappe.has_permission(DOCTYPE, "read", throw=True)
	filters: dict = {"status": rules.NEW}
	if branch:
		filters["branch"] = branch
	if skill:
		types = set(
			frappe.get_all(
				"Service Job Type Skill",
				filters={"parenttype": "Service Job Type", "skill": skill},
				pluck="parent",
			)
		)
		if job_type:
			types &= {job_type}
		if not types:
			return []
		filters["job_type"] = ("in", sorted(types))
	elif job_type:
		filters["job_type"] = job_type
	return frappe.get_list(
		DOCTYPE,
		filters=filters,
		fields=[*JOB_FIELDS, "branch", "creation"],
		order_by="priority_rank asc, creation asc",
		limit_start=start,
		limit_page_length=page_length,
	)


# --- my jobs today ---


@whitelist()
def my_jobs_today(day: datetime.date | None = None) -> list[dict]:
	"""The user's jobs of the day (today by default), as technician or helper, in time order."""
	user = frappe.session.user
	start, end = rules.day_range(day or getdate(nowdate()))
	technicians = frappe.get_all(TECHNICIAN, filters={"user": user}, pluck="name")
	if not technicians:
		return []
	job = DocType(DOCTYPE)
	helper = DocType("Service Job Helper")
	helping = (
		frappe.qb.from_(helper)
		.select(helper.parent)
		.where(helper.parenttype == DOCTYPE)
		.where(helper.technician.isin(technicians))
	)
	rows = (
		frappe.qb.from_(job)
		.select(*[job[f] for f in JOB_FIELDS], job.site_address, job.address_display)
		.where(job.technician.isin(technicians) | job.name.isin(helping))
		.where(job.scheduled_start < end)
		.where(job.scheduled_end > start)
		.where(job.status != rules.CANCELLED)
		.orderby(job.scheduled_start)
		.run(as_dict=True)
	)
	return rows
