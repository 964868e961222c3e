"""Rules of follow-ups (seed 004 跟进记录, 下次联系时间), scheduled contacts (seed 001 zaplanowane
kontakty) and their reminders, and of followed customers (关注); docs/follow-ups.md.

- A follow-up records a contact that happened (`followed_up_at`, not in the future) and may plan the
  next one (`next_contact_at`, after it). The customer's last follow-up is its latest follow-up's
  time; the customer's next contact is the **latest** follow-up's next contact time (the newest
  record says what is planned now; an older plan it does not repeat is over), empty when the latest
  follow-up plans none.
- A scheduled contact is a contact to make at a given time, assigned to one user; Open, Done or
  Cancelled. It is overdue while Open and past its time.
- Reminders: `lead_minutes` (Korus CRM Settings) before the time of a pending next contact or an
  open scheduled contact, the responsible user is told once. A time already past when saved has no
  reminder; a new time brings a new one; a sent reminder is not sent again for the same time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

FOLLOW_UP = "Customer Follow-up"
SCHEDULED_CONTACT = "Scheduled Contact"

METHODS: tuple[str, ...] = ("Call", "Visit", "Email", "Message", "Other")

OPEN = "Open"
DONE = "Done"
CANCELLED = "Cancelled"
STATUSES: tuple[str, ...] = (OPEN, DONE, CANCELLED)

DEFAULT_LEAD_MINUTES = 15
MAX_LEAD_MINUTES = 60 * 24 * 7  # a week

# Roles that read, change and delete every follow-up and scheduled contact their customer scope
# lets them read (not only their own).
MANAGER_ROLES: tuple[str, ...] = (
	"Sales Manager",
	"Korus CRM Manager",
	"Korus Administrator",
	"System Manager",
)

# A follow-up's time may be this far ahead of the server's clock (clocks of browsers differ a little).
CLOCK_SKEW = datetime.timedelta(minutes=5)


def is_manager(roles: Iterable[str]) -> bool:
	return bool(set(MANAGER_ROLES).intersection(roles))


# --- input ---


def lead_minutes_are_valid(minutes: int | None) -> bool:
	"""The reminder lead time: 0 (at the time itself) up to a week."""
	return minutes is None or 0 <= minutes <= MAX_LEAD_MINUTES


def follow_up_dates_problem(
	followed_up_at: datetime.datetime | None,
	next_contact_at: datetime.datetime | None,
	now: datetime.datetime,
) -> str | None:
	"""Returns "future": the follow-up is dated ahead of now (it records what happened); "next before": the
	next contact is not after the follow-up. None when the dates are fine."""
	if followed_up_at and followed_up_at > now + CLOCK_SKEW:
		return "future"
	if followed_up_at and next_contact_at and next_contact_at <= followed_up_at:
		return "next before"
	return None


# --- the customer's timing ---


@dataclass(frozen=True)
class FollowUpTimes:
	followed_up_at: datetime.datetime
	next_contact_at: datetime.datetime | None
	created: datetime.datetime | None = None  # breaks ties between follow-ups of the same time


def latest(follow_ups: Iterable[FollowUpTimes]) -> FollowUpTimes | None:
	"""The customer's latest follow-up: the latest `followed_up_at`, then the latest made."""
	floor = datetime.datetime.min
	return max(follow_ups, key=lambda f: (f.followed_up_at, f.created or floor), default=None)


def customer_timing(
	follow_ups: Iterable[FollowUpTimes],
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
	"""(last follow-up, next contact) of a customer from its follow-ups (both None without any)."""
	last = latest(follow_ups)
	if last is None:
		return None, None
	return last.followed_up_at, last.next_contact_at


# --- reminders ---


def remind_at(
	when: datetime.datetime | None, lead_minutes: int | None, now: datetime.datetime
) -> datetime.datetime | None:
	"""When the reminder of a contact at `when` goes out: `lead_minutes` before it; None when there
	is no time or it has passed already (a past contact is not reminded)."""
	if when is None or when <= now:
		return None
	return when - datetime.timedelta(minutes=max(lead_minutes or 0, 0))


@dataclass(frozen=True)
class ReminderState:
	remind_at: datetime.datetime | None  # None: none pending
	reminder_sent: bool


def reminder_state(
	*,
	when: datetime.datetime | None,
	pending: bool,
	lead_minutes: int | None,
	reminder_sent: bool,
	when_changed: bool,
	now: datetime.datetime,
) -> ReminderState:
	"""The reminder columns after a save. `pending`: the contact is still to be made (a scheduled
	contact that is Open; a follow-up's next contact always). A new time clears the sent flag."""
	sent = reminder_sent and not when_changed
	if sent or not pending:
		return ReminderState(None, sent)
	return ReminderState(remind_at(when, lead_minutes, now), False)


def follow_up_reminder_recipient(followed_up_by: str | None, customer_owner: str | None) -> str | None:
	"""Who is reminded of a follow-up's next contact: who planned it (the follow-up's author), else
	the customer's owner."""
	return followed_up_by or customer_owner


def is_overdue(status: str | None, scheduled_at: datetime.datetime | None, now: datetime.datetime) -> bool:
	return status == OPEN and scheduled_at is not None and scheduled_at < now


def done_at(status: str, previous_status: str | None, previous_done_at, now: datetime.datetime):
	"""A scheduled contact's completion time: set when it becomes Done, kept while Done, else None."""
	if status != DONE:
		return None
	if previous_status == DONE and previous_done_at:
		return previous_done_at
	return now


# --- who reads and changes ---


def may_change(user: str, author: str | None, manager: bool) -> bool:
	"""A follow-up is changed and deleted by its author (who followed up, or who wrote it) and by
	managers; the others who read it (through its customer) only read it."""
	return manager or (author is not None and user == author)


def may_change_scheduled(
	user: str, owner: str | None, assigned_to: str | None, customer_owner: str | None, manager: bool
) -> bool:
	"""A scheduled contact is changed and deleted by who made it, its assignee, the customer's owner
	and managers; the others who read it (through its customer) only read it."""
	return manager or user in {owner, assigned_to, customer_owner} - {None}


# --- followed customers ---


def followers_to_tell(followers: Iterable[str], actor: str) -> list[str]:
	"""The followers of a customer told about a change: all but who made it, each once, sorted."""
	return sorted({f for f in followers if f and f != actor and f != "Guest"})


def changed_fields(before: dict, after: dict, labels: dict[str, str], limit: int = 5) -> list[str]:
	"""The labels of the fields whose value changed (only fields in `labels`, in their order),
	at most `limit`; "…" stands for more."""
	changed = [
		label for field, label in labels.items() if (before.get(field) or None) != (after.get(field) or None)
	]
	return changed if len(changed) <= limit else [*changed[:limit], "…"]
