"""The customer pool's rules as plain functions (seed 004 客户池): when an owned customer returns to
its pool, whether a user may claim, and the limits that apply to them.

- A pool's return rules each name a basis (no follow-up, no new deal, no won order), a number of
  days, optionally a customer level (a rule for a level replaces the level-less rule of the same
  basis) and whether won customers are left out. A customer returns on the earliest date any of its
  rules gives: the later of when its owner got it and the basis's last event, plus the days.
- The date is stored on the customer (indexed) and worked out again whenever what it depends on
  changes, so the daily job reads only the customers that are due.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

FOLLOW_UP, NEW_DEAL, WON_ORDER = "Follow-up", "New Deal", "Won Order"
BASES = (FOLLOW_UP, NEW_DEAL, WON_ORDER)
WON = "Won"

CLAIM, RELEASE, ASSIGN, TRANSFER, AUTO_RETURN = "Claim", "Release", "Assign", "Transfer", "Auto Return"


@dataclass(frozen=True)
class ReturnRule:
	basis: str
	days: int
	level: str | None = None
	exclude_won: bool = False


@dataclass(frozen=True)
class Timing:
	"""What a customer's return date depends on."""

	owner_since: datetime.date | None
	last_follow_up: datetime.date | None = None
	last_deal: datetime.date | None = None
	last_order: datetime.date | None = None
	level: str | None = None
	status: str | None = None


def rules_for(rules: Iterable[ReturnRule], level: str | None) -> list[ReturnRule]:
	"""The rules that apply to a customer of `level`: per basis, the level's own rule if the pool
	has one, else the level-less one."""
	chosen: dict[str, ReturnRule] = {}
	for rule in rules:
		if rule.level and rule.level != level:
			continue
		if rule.basis in chosen and not rule.level:
			continue  # the level's own rule wins over the general one
		chosen[rule.basis] = rule
	return [chosen[b] for b in BASES if b in chosen]


def return_due(rules: Iterable[ReturnRule], timing: Timing) -> datetime.date | None:
	"""The date the customer returns to the pool (None: it stays with its owner)."""
	if not timing.owner_since:
		return None
	last = {FOLLOW_UP: timing.last_follow_up, NEW_DEAL: timing.last_deal, WON_ORDER: timing.last_order}
	dates = []
	for rule in rules_for(rules, timing.level):
		if rule.exclude_won and timing.status == WON:
			continue
		start = max(d for d in (timing.owner_since, last[rule.basis]) if d)
		dates.append(start + datetime.timedelta(days=max(rule.days, 0)))
	return min(dates) if dates else None


def rule_errors(rules: list[ReturnRule]) -> list[tuple[int, str]]:
	"""(row number, problem) of a pool's rules: a basis given twice for the same level, days below 1."""
	errors, seen = [], set()
	for number, rule in enumerate(rules, start=1):
		if rule.basis not in BASES:
			errors.append((number, "basis"))
		if rule.days < 1:
			errors.append((number, "days"))
		key = (rule.basis, rule.level or "")
		if key in seen:
			errors.append((number, "twice"))
		seen.add(key)
	return errors


@dataclass(frozen=True)
class Limits:
	max_owned: int = 0  # 0: no limit
	daily_claims: int = 0


def limits_for(default: Limits, matching: Iterable[Limits]) -> Limits:
	"""The limits of a user: the pool's, unless rows for their roles or departments apply, of which
	the most generous counts (0 is no limit, the most generous of all)."""
	rows = list(matching)
	if not rows:
		return default

	def generous(values: list[int]) -> int:
		return 0 if any(v == 0 for v in values) else max(values)

	return Limits(generous([r.max_owned for r in rows]), generous([r.daily_claims for r in rows]))


def claim_refusal(
	limits: Limits,
	owned: int,
	claimed_today: int,
	blocked_until: datetime.date | None,
	today: datetime.date,
) -> tuple[str, object] | None:
	"""Why a user may not claim now (a reason code and its figure), or None."""
	if blocked_until and today < blocked_until:
		return ("previous owner", blocked_until)
	if limits.max_owned and owned >= limits.max_owned:
		return ("owned", limits.max_owned)
	if limits.daily_claims and claimed_today >= limits.daily_claims:
		return ("daily", limits.daily_claims)
	return None


def notice_date(due: datetime.date | None, days_before: int) -> datetime.date | None:
	"""When the owner is told a customer will return (None: not told)."""
	if not due or days_before <= 0:
		return None
	return due - datetime.timedelta(days=days_before)
