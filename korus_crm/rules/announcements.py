"""Rules of announcements (seed 004, 办公管理 → 公告): when one is published, who it is for, when it
is shown, and when its audience is told.

An announcement is a Draft (its author and the managers see it), Scheduled (asked to be published,
its publish date still ahead) or Published (its audience sees it). Asking to publish is one thing:
the publish date decides whether that means now or later; the scheduler publishes a scheduled one
when its date comes. The audience is told once, the first time it is published, whatever happens
to it afterwards (back to draft and published again, edited).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

DRAFT = "Draft"
SCHEDULED = "Scheduled"
PUBLISHED = "Published"
STATUSES = (DRAFT, SCHEDULED, PUBLISHED)

EVERYONE = "Everyone"
BRANCHES = "Branches"
DEPARTMENTS = "Departments"
AUDIENCES = (EVERYONE, BRANCHES, DEPARTMENTS)

# problems of an announcement's values (the controller turns each into a translated message)
EXPIRES_BEFORE_PUBLISH = "expires_before_publish"
NO_BRANCHES = "no_branches"
NO_DEPARTMENTS = "no_departments"


def status_for(requested: str | None, publish_on: datetime.datetime, now: datetime.datetime) -> str:
	"""The status an announcement takes when saved with `requested`: a draft stays a draft; asking
	to publish (Scheduled or Published) publishes now when the publish date has come, else schedules."""
	if requested not in (SCHEDULED, PUBLISHED):
		return DRAFT
	return PUBLISHED if publish_on <= now else SCHEDULED


def problems(
	audience: str,
	branches: Iterable[str],
	departments: Iterable[str],
	publish_on: datetime.datetime | None,
	expires_on: datetime.datetime | None,
) -> list[str]:
	"""What is wrong with an announcement's audience and dates (empty: nothing)."""
	found = []
	if expires_on is not None and publish_on is not None and expires_on <= publish_on:
		found.append(EXPIRES_BEFORE_PUBLISH)
	if audience == BRANCHES and not [b for b in branches if b]:
		found.append(NO_BRANCHES)
	if audience == DEPARTMENTS and not [d for d in departments if d]:
		found.append(NO_DEPARTMENTS)
	return found


def is_current(
	status: str, publish_on: datetime.datetime, expires_on: datetime.datetime | None, now: datetime.datetime
) -> bool:
	"""Shown on the workspace: published, its date come and its expiry not yet."""
	return status == PUBLISHED and publish_on <= now and (expires_on is None or now < expires_on)


def should_notify(status: str, notified_on: object) -> bool:
	"""The audience is told once: when the announcement is published and has never been announced."""
	return status == PUBLISHED and not notified_on


def in_audience(
	audience: str,
	branches: Iterable[str],
	departments: Iterable[tuple[int, int]],
	user_branch: str | None,
	user_department: tuple[int, int] | None,
) -> bool:
	"""Whether a user (their Employee's branch, and their department's (lft, rgt) in the Department
	tree) is in an announcement's audience. A department of the audience includes the departments
	below it: the user's department lies within it in the nested set."""
	if audience == EVERYONE:
		return True
	if audience == BRANCHES:
		return bool(user_branch) and user_branch in set(branches)
	if audience == DEPARTMENTS and user_department:
		lft, rgt = user_department
		return any(a_lft <= lft and rgt <= a_rgt for a_lft, a_rgt in departments)
	return False
