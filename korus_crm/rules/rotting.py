"""Rotting deals (issue 12): a stage may set a number of idle days; an open deal with no activity
(a stage move, a follow-up, an offer, a comment) for longer than that is rotting. Plain functions
on plain values.

A deal stores the day it rots on (`rots_on`): the day of its last activity plus its stage's idle
days. It is rotting once that day has passed (`rots_on < today`), i.e. after more than the idle
days without activity. No date (None) when the stage sets no idle days or closes the deal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MAX_IDLE_DAYS = 3650


def day_of(value: date | datetime | None) -> date | None:
	if value is None:
		return None
	return value.date() if isinstance(value, datetime) else value


def rots_on(last_activity: date | datetime | None, idle_days: int | None, closed: bool) -> date | None:
	"""The day a deal rots on: its last activity's day plus the stage's idle days; None when the
	stage sets none (0 or empty), when the deal is closed (won or lost) or has no activity."""
	day = day_of(last_activity)
	if closed or not idle_days or idle_days <= 0 or day is None:
		return None
	return day + timedelta(days=int(idle_days))


def is_rotting(rots_on_day: date | None, today: date) -> bool:
	return rots_on_day is not None and rots_on_day < today


def idle_for(last_activity: date | datetime | None, today: date) -> int | None:
	"""Whole days since the last activity (0 on its day)."""
	day = day_of(last_activity)
	return None if day is None else max(0, (today - day).days)


def latest(current: datetime | None, at: datetime) -> datetime:
	"""A deal's last activity after one at `at`: never moved back by an activity recorded late (a
	follow-up logged with an earlier time)."""
	return at if current is None or at > current else current


def idle_days_valid(idle_days: int | None) -> bool:
	return idle_days is None or 0 <= idle_days <= MAX_IDLE_DAYS


def notified_after_recompute(notified: bool, new_rots_on: date | None, today: date) -> bool:
	"""When a stage's idle days change: a deal its owner was told about stays told while it is
	still rotting; one that is no longer rotting will be told again when it rots again."""
	return bool(notified) and is_rotting(new_rots_on, today)


@dataclass(frozen=True)
class DueDeal:
	name: str
	owner: str | None  # the deal's owner (opportunity_owner)
	creator: str | None  # who made it: told when the deal has no owner
	rots_on: date
	deleted: bool = False  # in the recycle bin: claimed, nobody told


def notices(deals: Iterable[DueDeal]) -> dict[str, list[DueDeal]]:
	"""One notice per person: each rotting deal goes to its owner (else its creator); deals in the
	recycle bin and deals with nobody to tell go to no one. Each person's deals longest rotting
	first."""
	out: dict[str, list[DueDeal]] = {}
	for deal in deals:
		who = deal.owner or deal.creator
		if deal.deleted or not who:
			continue
		out.setdefault(who, []).append(deal)
	return {who: sorted(rows, key=lambda d: (d.rots_on, d.name)) for who, rows in sorted(out.items())}
