"""Rules of Korus Tasks (seed 004 任务, seed 001 Zadania): who may assign a task to whom, who reads it,
which dates and reminder settings are valid, and when each reminder falls due.

- A task is assigned to one user or to one User Group (its members are the assignees).
- A user may assign to themselves and to their subordinates (the `reports_to` tree); the manager
  roles (`MANAGER_ROLES`) may assign to anyone and read every task.
- A task is read by its assignees, its assigner, and their supervisors.
- Two reminders, each sent once: `remind_before_minutes` before the due time ("due soon"), and when
  the due time has passed ("overdue"), to the assignees and the assigner. A new due time brings new
  reminders. A task that is closed (completed or cancelled) has none pending.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

OPEN = "Open"
WORKING = "Working"
COMPLETED = "Completed"
CANCELLED = "Cancelled"
STATUSES: tuple[str, ...] = (OPEN, WORKING, COMPLETED, CANCELLED)
OPEN_STATUSES: tuple[str, ...] = (OPEN, WORKING)

PRIORITIES: tuple[str, ...] = ("Low", "Medium", "High", "Urgent")

# The records a task may be about (seed 004: 客户 / 机会 / 合同订单; ERPNext's own order too).
REFERENCE_DOCTYPES: tuple[str, ...] = (
	"Lead",
	"Opportunity",
	"Customer",
	"Contract Order",
	"Price Offer",
	"Sales Order",
)

# Roles that assign tasks to anyone and read every task.
MANAGER_ROLES: tuple[str, ...] = (
	"Sales Manager",
	"Korus CRM Manager",
	"Korus Administrator",
	"System Manager",
)

DEFAULT_REMIND_BEFORE_MINUTES = 30
MAX_REMIND_BEFORE_MINUTES = 60 * 24 * 30  # a month

DUE_SOON = "due soon"
OVERDUE = "overdue"


def is_open(status: str | None) -> bool:
	return (status or OPEN) in OPEN_STATUSES


def is_manager(roles: Iterable[str]) -> bool:
	return bool(set(MANAGER_ROLES).intersection(roles))


# --- input ---


def dates_are_valid(start_at: datetime.datetime | None, due_at: datetime.datetime | None) -> bool:
	"""A task runs from its start to its due time: the due time is not before the start."""
	return start_at is None or due_at is None or due_at >= start_at


def minutes_are_valid(minutes: int | None) -> bool:
	"""Minutes before the due time: 0 (no reminder before the due time) up to a month."""
	return minutes is None or 0 <= minutes <= MAX_REMIND_BEFORE_MINUTES


def assignee_problem(assigned_to: str | None, user_group: str | None) -> str | None:
	"""A task is assigned to a user or to a group: "none", "both", or None when it is one of them."""
	if not assigned_to and not user_group:
		return "none"
	if assigned_to and user_group:
		return "both"
	return None


def reference_problem(reference_type: str | None, reference_name: str | None) -> str | None:
	"""The record a task is about: "type" (not a kind a task may link to), "name" (a type without a
	name) or "no type" (a name without a type); None when valid or empty."""
	if not reference_type and not reference_name:
		return None
	if not reference_type:
		return "no type"
	if reference_type not in REFERENCE_DOCTYPES:
		return "type"
	if not reference_name:
		return "name"
	return None


# --- assigning and reading ---


def not_assignable(
	actor: str, assignees: Iterable[str], subordinates: Iterable[str], manager: bool
) -> list[str]:
	"""The assignees `actor` may not assign a task to (sorted): anyone but themselves and their
	subordinates, unless the actor is a manager."""
	if manager:
		return []
	allowed = {actor, *subordinates}
	return sorted({a for a in assignees if a not in allowed})


def involved_users(assigned_by: str | None, assignees: Iterable[str]) -> set[str]:
	"""The people a task is about: its assigner and its assignees."""
	return {u for u in (assigned_by, *assignees) if u}


def may_read(
	user: str, assigned_by: str | None, assignees: Iterable[str], subordinates: Iterable[str], manager: bool
) -> bool:
	"""A task is read by managers, its assigner and assignees, and their supervisors (a user whose
	subordinates include one of them)."""
	if manager:
		return True
	return bool(involved_users(assigned_by, assignees) & {user, *subordinates})


def may_delete(user: str, assigned_by: str | None, subordinates: Iterable[str], manager: bool) -> bool:
	"""A task is deleted by managers, its assigner and the assigner's supervisors (not its assignees)."""
	if manager:
		return True
	return bool(assigned_by) and assigned_by in {user, *subordinates}


def reminder_recipients(assigned_by: str | None, assignees: Iterable[str]) -> list[str]:
	"""Who a reminder goes to: the assignees and the assigner, each once (sorted)."""
	return sorted(involved_users(assigned_by, assignees))


# --- reminders ---


@dataclass(frozen=True)
class ReminderState:
	"""What a task stores for its reminders: whether each was sent, and when each falls due
	(None: none pending, so the reminder job never reads the task)."""

	reminder_sent: bool
	overdue_notified: bool
	remind_at: datetime.datetime | None
	overdue_at: datetime.datetime | None


def reminder_state(
	*,
	status: str | None,
	due_at: datetime.datetime | None,
	remind_before_minutes: int | None,
	reminder_sent: bool,
	overdue_notified: bool,
	due_changed: bool,
	now: datetime.datetime,
) -> ReminderState:
	"""A task's reminder columns after a save.

	- a new due time brings new reminders (both flags cleared);
	- the "due soon" reminder falls due `remind_before_minutes` before the due time, if that is more
	  than 0, the task is open, the reminder not sent yet, and the due time still ahead;
	- the "overdue" notice falls due at the due time, if the task is open and it was not sent yet.
	"""
	if due_changed:
		reminder_sent = overdue_notified = False
	open_ = is_open(status)
	remind_at = None
	if (
		open_
		and due_at is not None
		and not reminder_sent
		and remind_before_minutes
		and remind_before_minutes > 0
		and due_at > now
	):
		remind_at = due_at - datetime.timedelta(minutes=remind_before_minutes)
	overdue_at = due_at if open_ and due_at is not None and not overdue_notified else None
	return ReminderState(bool(reminder_sent), bool(overdue_notified), remind_at, overdue_at)


def due_soon_is_still_useful(due_at: datetime.datetime | None, now: datetime.datetime) -> bool:
	"""A "due soon" reminder claimed after the due time has passed is not sent: the overdue notice
	says more."""
	return due_at is not None and due_at > now


def is_overdue(status: str | None, due_at: datetime.datetime | None, now: datetime.datetime) -> bool:
	return is_open(status) and due_at is not None and due_at < now
