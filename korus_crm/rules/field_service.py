"""Field service rules as plain functions (seed 000 Job Entry, Job Pool, Scheduler; issue 13).

- A service job moves through New (in the pool, no technician), Scheduled (a technician and a
  time), Dispatched (the technician has been told), In Progress, On Hold, Completed and Cancelled;
  `TRANSITIONS` says which moves are allowed and `requirement_problems` what each status needs.
- Time intervals are half-open, [start, end): a job ending at 10:00 and one starting at 10:00 do
  not overlap. A technician's holidays (their Employee's Holiday List) and approved leave are
  intervals too; a job may not touch them.
- The job pool is sorted by priority (Urgent first), then by age (oldest first); the priority is
  stored as its rank so that one index serves the pool's first page.
- The dispatch board is a grid: a day of hourly columns (the working hours), or a week of day
  columns (each the working hours of its day). `place` says where a job's block sits on it, in
  column units (left and width), clipped to the grid.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

# --- statuses ---

NEW = "New"
SCHEDULED = "Scheduled"
DISPATCHED = "Dispatched"
IN_PROGRESS = "In Progress"
ON_HOLD = "On Hold"
COMPLETED = "Completed"
CANCELLED = "Cancelled"
STATUSES: tuple[str, ...] = (NEW, SCHEDULED, DISPATCHED, IN_PROGRESS, ON_HOLD, COMPLETED, CANCELLED)
FINAL: frozenset[str] = frozenset({COMPLETED, CANCELLED})

# the moves a job may make (a status to itself is always allowed: no move)
TRANSITIONS: dict[str, frozenset[str]] = {
	NEW: frozenset({SCHEDULED, DISPATCHED, ON_HOLD, CANCELLED}),
	SCHEDULED: frozenset({NEW, DISPATCHED, IN_PROGRESS, ON_HOLD, CANCELLED}),
	DISPATCHED: frozenset({NEW, SCHEDULED, IN_PROGRESS, ON_HOLD, CANCELLED}),
	IN_PROGRESS: frozenset({ON_HOLD, COMPLETED}),
	ON_HOLD: frozenset({NEW, SCHEDULED, DISPATCHED, IN_PROGRESS, CANCELLED}),
	COMPLETED: frozenset(),
	CANCELLED: frozenset(),
}
# statuses whose job holds its technician's time (the double-booking check counts them)
BOOKED: frozenset[str] = frozenset({SCHEDULED, DISPATCHED, IN_PROGRESS, ON_HOLD, COMPLETED})
# statuses whose job can be dragged on the board (assigned, moved, resized)
MOVABLE: frozenset[str] = frozenset({NEW, SCHEDULED, DISPATCHED, ON_HOLD})

PRIORITIES: tuple[str, ...] = ("Urgent", "High", "Medium", "Low")  # first to last
DEFAULT_PRIORITY = "Medium"
DEFAULT_DURATION_MINUTES = 60


def transition_problem(old: str | None, new: str) -> str | None:
	"""Why a job cannot move from `old` to `new`: "unknown" (not a status), "final" (Completed and
	Cancelled jobs stay as they are), "not_allowed"; None when it can. A new job (`old` None)
	starts as New, Scheduled or Dispatched."""
	if new not in STATUSES:
		return "unknown"
	if old is None:
		return None if new in (NEW, SCHEDULED, DISPATCHED) else "not_allowed"
	if old == new:
		return None
	if old in FINAL:
		return "final"
	if new not in TRANSITIONS.get(old, frozenset()):
		return "not_allowed"
	return None


@dataclass(frozen=True)
class JobState:
	"""What a job's status depends on."""

	status: str
	technician: str | None = None
	scheduled_start: datetime.datetime | None = None
	scheduled_end: datetime.datetime | None = None
	actual_start: datetime.datetime | None = None
	actual_end: datetime.datetime | None = None
	work_done: str | None = None


def requirement_problems(job: JobState) -> list[str]:
	"""What the job's status needs and the job lacks (codes, in the order to tell them):
	- New: "technician_in_pool" (a pool job has no technician);
	- Scheduled, Dispatched: "technician", "schedule" (start and end), "schedule_order";
	- In Progress, On Hold (of a started job): "technician", "actual_start";
	- Completed: "technician", "actual_start", "actual_end", "actual_order", "work_done".
	Scheduled times, where given, always end after they start; so do actual times."""
	problems: list[str] = []
	status = job.status
	has_schedule = bool(job.scheduled_start and job.scheduled_end)
	if status == NEW and job.technician:
		problems.append("technician_in_pool")
	if status in (SCHEDULED, DISPATCHED, IN_PROGRESS, COMPLETED) and not job.technician:
		problems.append("technician")
	if status in (SCHEDULED, DISPATCHED) and not has_schedule:
		problems.append("schedule")
	if has_schedule and job.scheduled_end <= job.scheduled_start:
		problems.append("schedule_order")
	if status in (IN_PROGRESS, COMPLETED) and not job.actual_start:
		problems.append("actual_start")
	if status == COMPLETED and not job.actual_end:
		problems.append("actual_end")
	if job.actual_start and job.actual_end and job.actual_end <= job.actual_start:
		problems.append("actual_order")
	if status == COMPLETED and not (job.work_done or "").strip():
		problems.append("work_done")
	return problems


def actual_times(
	old: str | None,
	new: str,
	actual_start: datetime.datetime | None,
	actual_end: datetime.datetime | None,
	now: datetime.datetime,
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
	"""The actual start and end after a move: starting work stamps the start (if not typed),
	completing stamps the end (and the start, if work was never started)."""
	if new == IN_PROGRESS and old != IN_PROGRESS and not actual_start:
		actual_start = now
	if new == COMPLETED and old != COMPLETED:
		actual_start = actual_start or now
		actual_end = actual_end or max(now, actual_start)
	return actual_start, actual_end


def status_after_schedule(current: str, dispatch: bool = False) -> str:
	"""The status of a job dropped on a technician and a time: a pool or held job becomes
	Scheduled (Dispatched when `dispatch`); a scheduled or dispatched one keeps its status
	(a move), unless dispatched now. Raises ValueError for a job that cannot be moved."""
	if current not in MOVABLE:
		raise ValueError(current)
	if dispatch:
		return DISPATCHED
	return current if current in (SCHEDULED, DISPATCHED) else SCHEDULED


# --- time ---


def overlaps(
	a_start: datetime.datetime, a_end: datetime.datetime, b_start: datetime.datetime, b_end: datetime.datetime
) -> bool:
	"""Whether [a_start, a_end) and [b_start, b_end) share a moment."""
	return a_start < b_end and b_start < a_end


def clashes(
	start: datetime.datetime,
	end: datetime.datetime,
	others: Iterable[tuple[str, datetime.datetime, datetime.datetime]],
) -> list[str]:
	"""The names of the (name, start, end) intervals that overlap [start, end)."""
	return [name for name, s, e in others if s and e and overlaps(start, end, s, e)]


def default_end(start: datetime.datetime, duration_minutes: int | None) -> datetime.datetime:
	"""A job's end from its start and its type's default duration (none or not positive: an hour)."""
	minutes = duration_minutes if duration_minutes and duration_minutes > 0 else DEFAULT_DURATION_MINUTES
	return start + datetime.timedelta(minutes=minutes)


def duration_minutes(start: datetime.datetime | None, end: datetime.datetime | None) -> int:
	if not start or not end or end <= start:
		return 0
	return int((end - start).total_seconds() // 60)


def snap(value: datetime.datetime, minutes: int = 15) -> datetime.datetime:
	"""`value` rounded to the nearest multiple of `minutes` (seconds dropped)."""
	value = value.replace(second=0, microsecond=0)
	base = value.replace(hour=0, minute=0)
	step = datetime.timedelta(minutes=minutes)
	return base + round((value - base) / step) * step


def day_range(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
	start = datetime.datetime.combine(day, datetime.time())
	return start, start + datetime.timedelta(days=1)


# --- the pool ---


def priority_rank(priority: str | None) -> int:
	"""1 for Urgent … 4 for Low (an unknown or empty priority: Medium's)."""
	if priority in PRIORITIES:
		return PRIORITIES.index(priority) + 1
	return PRIORITIES.index(DEFAULT_PRIORITY) + 1


def pool_key(priority: str | None, created: datetime.datetime) -> tuple[int, datetime.datetime]:
	"""The pool's order: priority first (Urgent first), then age (oldest first)."""
	return priority_rank(priority), created


# --- skills ---


def missing_skills(required: Iterable[str], has: Iterable[str]) -> list[str]:
	"""The skills a job type requires that the technician does not have (sorted)."""
	return sorted(set(required) - set(has))


def covers(required: Iterable[str], has: Iterable[str]) -> bool:
	return not missing_skills(required, has)


def may_take(roles: Iterable[str], taking_roles: Iterable[str]) -> bool:
	"""Whether a technician with `roles` may take a job from the pool themselves."""
	return bool(set(roles) & set(taking_roles))


# --- holidays and leave ---

HOLIDAY = "holiday"
LEAVE = "leave"


@dataclass(frozen=True)
class Absence:
	"""A time a technician cannot work: a holiday (a whole day) or approved leave."""

	kind: str  # HOLIDAY or LEAVE
	start: datetime.datetime
	end: datetime.datetime
	description: str = ""


def holiday(day: datetime.date, description: str = "") -> Absence:
	start, end = day_range(day)
	return Absence(HOLIDAY, start, end, description)


def leave(
	from_date: datetime.date,
	to_date: datetime.date,
	from_half_day: bool = False,
	to_half_day: bool = False,
	description: str = "",
) -> Absence:
	"""Approved leave from `from_date` to `to_date` (both included); a half day at the start begins
	at noon, a half day at the end ends at noon (as korus_crm.rules.approvals.leave_days counts)."""
	noon = datetime.time(12)
	start = datetime.datetime.combine(from_date, noon if from_half_day else datetime.time())
	if to_half_day:
		end = datetime.datetime.combine(to_date, noon)
	else:
		end = datetime.datetime.combine(to_date + datetime.timedelta(days=1), datetime.time())
	if end <= start:
		end = start + datetime.timedelta(hours=12)
	return Absence(LEAVE, start, end, description)


def blocking_absence(
	start: datetime.datetime, end: datetime.datetime, absences: Iterable[Absence]
) -> Absence | None:
	"""The first absence (by start) that [start, end) touches, if any: a refused target."""
	touching = [a for a in absences if overlaps(start, end, a.start, a.end)]
	return min(touching, key=lambda a: a.start) if touching else None


# --- the dispatch board ---

DAY = "day"
WEEK = "week"
VIEWS = (DAY, WEEK)
DAY_START_HOUR = 7
DAY_END_HOUR = 19
BOARD_TECHNICIAN_LIMIT = 200
POOL_PAGE = 50


@dataclass(frozen=True)
class Column:
	start: datetime.datetime
	end: datetime.datetime


@dataclass(frozen=True)
class Placement:
	"""Where a block sits, in column units from the grid's left edge."""

	left: float
	width: float
	clipped_start: bool = False  # the job starts before the grid shows
	clipped_end: bool = False  # the job ends after the grid shows


def week_start(day: datetime.date, first_weekday: int = 0) -> datetime.date:
	"""The first day of `day`'s week (0: Monday … 6: Sunday)."""
	return day - datetime.timedelta(days=(day.weekday() - first_weekday) % 7)


def columns(
	view: str,
	day: datetime.date,
	start_hour: int = DAY_START_HOUR,
	end_hour: int = DAY_END_HOUR,
	first_weekday: int = 0,
) -> list[Column]:
	"""The board's columns: the working hours of `day`, hour by hour; or the seven days of its week,
	each its working hours."""
	if not 0 <= start_hour < end_hour <= 24:
		raise ValueError("working hours")
	if view == DAY:
		base = datetime.datetime.combine(day, datetime.time())
		return [
			Column(base + datetime.timedelta(hours=h), base + datetime.timedelta(hours=h + 1))
			for h in range(start_hour, end_hour)
		]
	if view == WEEK:
		first = week_start(day, first_weekday)
		out = []
		for i in range(7):
			base = datetime.datetime.combine(first + datetime.timedelta(days=i), datetime.time())
			out.append(
				Column(base + datetime.timedelta(hours=start_hour), base + datetime.timedelta(hours=end_hour))
			)
		return out
	raise ValueError(view)


def board_range(
	view: str, day: datetime.date, first_weekday: int = 0
) -> tuple[datetime.datetime, datetime.datetime]:
	"""The times the board reads jobs for: the whole day, or the whole week (nights included, so a
	job outside the working hours still shows, at the edge of its day)."""
	if view == DAY:
		return day_range(day)
	if view == WEEK:
		start, _end = day_range(week_start(day, first_weekday))
		return start, start + datetime.timedelta(days=7)
	raise ValueError(view)


def position(moment: datetime.datetime, cols: list[Column]) -> float:
	"""`moment` in column units: inside column i, i plus the fraction of it gone; between two
	columns (a night), the start of the next; before the grid 0, after it the number of columns."""
	for i, col in enumerate(cols):
		if moment < col.start:
			return float(i)
		if moment < col.end:
			return i + (moment - col.start) / (col.end - col.start)
	return float(len(cols))


def place(start: datetime.datetime, end: datetime.datetime, cols: list[Column]) -> Placement | None:
	"""Where the block of a job from `start` to `end` sits on the grid; None when it is outside the
	grid's days altogether. A job wholly outside the working hours gets a zero width at the edge
	where it falls (the board draws it narrow)."""
	if not cols or end <= start:
		return None
	first_day = cols[0].start.replace(hour=0, minute=0, second=0, microsecond=0)
	last_day = cols[-1].end
	if cols[-1].end.time() != datetime.time():
		last_day = (cols[-1].end + datetime.timedelta(days=1)).replace(
			hour=0, minute=0, second=0, microsecond=0
		)
	if not overlaps(start, end, first_day, last_day):
		return None
	left, right = position(start, cols), position(end, cols)
	return Placement(
		left=round(left, 4),
		width=round(max(right - left, 0.0), 4),
		clipped_start=start < cols[0].start,
		clipped_end=end > cols[-1].end,
	)


def blocked_columns(cols: list[Column], absences: Iterable[Absence]) -> list[int]:
	"""The columns a technician's absences touch (greyed and refused on the board)."""
	absences = list(absences)
	return [i for i, col in enumerate(cols) if blocking_absence(col.start, col.end, absences)]


def range_problem(view: str, technicians: int) -> str | None:
	"""Why a board cannot be served: "view" (neither day nor week), "technicians" (too many rows)."""
	if view not in VIEWS:
		return "view"
	if technicians > BOARD_TECHNICIAN_LIMIT:
		return "technicians"
	return None


# --- billing ---


@dataclass(frozen=True)
class Line:
	item_code: str
	qty: float
	rate: float = 0.0
	billable: bool = True
	is_stock_item: bool = False


def billable_lines(lines: Iterable[Line]) -> list[Line]:
	"""The lines the customer pays for: billable, with a positive quantity."""
	return [line for line in lines if line.billable and line.qty > 0]


def invoice_warehouse(technician_warehouse: str | None, branch_warehouse: str | None) -> str | None:
	"""Where a completed job's stock items leave from: the technician's van or store, else the
	branch's."""
	return technician_warehouse or branch_warehouse or None


def needs_stock(lines: Iterable[Line]) -> bool:
	return any(line.is_stock_item for line in billable_lines(lines))
