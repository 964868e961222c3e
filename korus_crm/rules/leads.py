"""Rules of leads on ERPNext's Lead (seed 002 "Leads", seed 004 客户)."""

from __future__ import annotations

from collections.abc import Iterable


def normalize_email(email: str | None) -> str | None:
	"""The form in which contact emails are compared: trimmed and case-insensitive.
	An empty email is None (never a duplicate of another empty one)."""
	if email is None:
		return None
	value = email.strip().casefold()
	return value or None


def pick_initial_status(current: str | None, default_status: str | None) -> str | None:
	"""A new lead gets the default status unless one was given."""
	return current or default_status


def status_is_known(status: str | None, known: Iterable[str]) -> bool:
	return not status or status in set(known)
