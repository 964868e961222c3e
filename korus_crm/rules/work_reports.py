"""Rules of work reports (seed 004, 办公管理 → 工作报告): a daily, weekly or monthly report's period,
who receives it, and what makes two reports the same one.

A report is written for a kind and a date; the period is derived from them: the day itself, the
week from Monday to Sunday that holds the date, or the calendar month. An author has one report per
kind and period (a cancelled one does not count: it can be amended).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

DAILY = "Daily"
WEEKLY = "Weekly"
MONTHLY = "Monthly"
KINDS = (DAILY, WEEKLY, MONTHLY)

SUPERVISOR = "Supervisor"
COLLEAGUE = "Colleague"

# at most this many people receive one report (its supervisor and chosen colleagues): they are
# notified while it is submitted
MAX_RECIPIENTS = 50

# problems of a period
END_BEFORE_START = "end_before_start"
NOT_THE_PERIOD = "not_the_period"
NOT_STARTED = "not_started"


def period_of(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
	"""The period of a report of `kind` that covers `day`: (first day, last day)."""
	if kind == WEEKLY:
		start = day - datetime.timedelta(days=day.weekday())
		return start, start + datetime.timedelta(days=6)
	if kind == MONTHLY:
		last = calendar.monthrange(day.year, day.month)[1]
		return day.replace(day=1), day.replace(day=last)
	return day, day


def period_problem(
	kind: str,
	start: datetime.date | None,
	end: datetime.date | None,
	today: datetime.date,
) -> str | None:
	"""What is wrong with a period given for a report of `kind` (None: nothing). A given start and
	end must be the period of that kind holding the start; a period cannot start after today."""
	if start is not None and end is not None:
		if end < start:
			return END_BEFORE_START
		if period_of(kind, start) != (start, end):
			return NOT_THE_PERIOD
	if start is not None and start > today:
		return NOT_STARTED
	return None


def period_label(kind: str, start: datetime.date) -> str:
	"""A short, language-neutral name of a period: 2026-12-01, 2026-W49 (ISO week), 2026-12."""
	if kind == WEEKLY:
		year, week, _weekday = start.isocalendar()
		return f"{year}-W{week:02d}"
	if kind == MONTHLY:
		return f"{start.year}-{start.month:02d}"
	return start.isoformat()


def period_key(author: str, kind: str, start: datetime.date) -> str:
	"""What makes two reports the same one (a unique column holds it while the report is live)."""
	return f"{author}|{kind}|{start.isoformat()}"


def recipients(
	author: str, supervisor: str | None, colleagues: Iterable[str | None]
) -> list[tuple[str, str]]:
	"""Who receives a report, as (user, via): the author's supervisor first, then each chosen
	colleague once; never the author."""
	out: list[tuple[str, str]] = []
	seen = {author}
	if supervisor and supervisor not in seen:
		out.append((supervisor, SUPERVISOR))
		seen.add(supervisor)
	for user in colleagues:
		if user and user not in seen:
			out.append((user, COLLEAGUE))
			seen.add(user)
	return out
