"""Rules of the Korus calendar (seed 001 Kalendarz): which event types there are, which of them can
be dragged to another time, the range a request may ask for, and how yearly dates (birthdays,
anniversaries) fall in a range.

Yearly dates are stored with their month and day as "MM-DD" (an indexed column), so the events of a
range are found with `month_day IN (the range's month-days)`, an index lookup, never a scan. A
29 February date falls on 28 February in a year without one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

TASK = "task"
SCHEDULED_CONTACT = "scheduled_contact"
FOLLOW_UP = "follow_up"
DEAL = "deal"
BIRTHDAY = "birthday"
ANNIVERSARY = "anniversary"
TYPES: tuple[str, ...] = (TASK, SCHEDULED_CONTACT, FOLLOW_UP, DEAL, BIRTHDAY, ANNIVERSARY)

# the doctypes whose events can be dragged to another time, and the field the drag sets
RESCHEDULABLE: dict[str, str] = {
	"Korus Task": "due_at",
	"Scheduled Contact": "scheduled_at",
	"Customer Follow-up": "next_contact_at",
	"Opportunity": "expected_closing",
}

# a request asks for at most this many days (a month view shows six weeks; a list view may show more)
MAX_RANGE_DAYS = 100
# each source returns at most this many events of a range
SOURCE_LIMIT = 500
# the people a request may filter by
MAX_PEOPLE = 50


def range_problem(start: datetime.datetime, end: datetime.datetime) -> str | None:
	"""Why a requested range cannot be served: "order" (ends before it starts) or "length"."""
	if end <= start:
		return "order"
	if end - start > datetime.timedelta(days=MAX_RANGE_DAYS):
		return "length"
	return None


def month_day(value: datetime.date) -> str:
	"""The stored month-day ("MM-DD") of a yearly date."""
	return value.strftime("%m-%d")


def days_in(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
	"""The days from `start` up to, not including, `end`."""
	day = start
	while day < end:
		yield day
		day += datetime.timedelta(days=1)


def _is_leap(year: int) -> bool:
	return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_days(start: datetime.date, end: datetime.date) -> list[str]:
	"""The month-days a yearly date may have to fall in [start, end): each day's, and 02-29 where
	the range holds a 28 February of a year without a 29th."""
	found: list[str] = []
	for day in days_in(start, end):
		for md in occurring_month_days(day):
			if md not in found:
				found.append(md)
	return found


def occurring_month_days(day: datetime.date) -> tuple[str, ...]:
	"""The month-days whose yearly dates fall on `day`."""
	if day.month == 2 and day.day == 28 and not _is_leap(day.year):
		return ("02-28", "02-29")
	return (month_day(day),)


def occurrences(md: str, start: datetime.date, end: datetime.date) -> list[datetime.date]:
	"""The days in [start, end) on which a yearly date with month-day `md` falls."""
	return [day for day in days_in(start, end) if md in occurring_month_days(day)]


def years_since(original: datetime.date | None, on: datetime.date) -> int | None:
	"""How many years `on` is after `original` (a birthday's age, an anniversary's count)."""
	if not original or original.year >= on.year:
		return None
	return on.year - original.year


@dataclass(frozen=True)
class Shift:
	"""A task dragged to `new_start`: both its start and its due time move by the same amount."""

	start_at: datetime.datetime | None
	due_at: datetime.datetime | None


def shift_task(
	start_at: datetime.datetime | None, due_at: datetime.datetime | None, new_start: datetime.datetime
) -> Shift:
	"""Where a task's times go when its event (from its start, or its due time) is dropped at
	`new_start`: the task keeps its length."""
	anchor = start_at or due_at
	if anchor is None:
		return Shift(None, new_start)
	delta = new_start - anchor
	return Shift(start_at + delta if start_at else None, due_at + delta if due_at else None)
