"""Rules of the CRM dashboard's figures (seed 002): which counters make which figure.

Deals: open, won and lost by the kind of their stage; revenue is the value of won deals, the open
pipeline the value of open deals, the weighted pipeline their value times probability; the average
deal value is the value of all deals over their number. Tasks: pending are Open or Working, done
are Completed.
"""

from __future__ import annotations

from dataclasses import dataclass

PENDING_TASKS = ("Open", "Working")
DONE_TASKS = ("Completed",)
TASK_STATUSES = ("Open", "Working", "Completed", "Cancelled")
QUALIFIED = "Qualified"  # ERPNext's Lead.qualification_status
MONTHS_SHOWN = 6


@dataclass(frozen=True)
class Total:
	count: int = 0
	value: float = 0.0
	weighted: float = 0.0

	def __add__(self, other: Total) -> Total:
		return Total(self.count + other.count, self.value + other.value, self.weighted + other.weighted)


def summed(totals) -> Total:
	out = Total()
	for t in totals:
		out = out + Total(t.count, t.value, t.weighted)
	return out


@dataclass(frozen=True)
class DealFigures:
	total: Total
	open: Total
	won: Total
	lost: Total

	@property
	def average_value(self) -> float:
		return self.total.value / self.total.count if self.total.count else 0.0


def deal_figures(by_stage: dict[str, Total], won: set[str], lost: set[str]) -> DealFigures:
	"""{stage: totals} of every deal -> totals of all, open, won and lost deals."""

	def of(stages) -> Total:
		return summed(t for s, t in by_stage.items() if s in stages)

	closed = won | lost
	return DealFigures(
		total=summed(by_stage.values()),
		open=summed(t for s, t in by_stage.items() if s not in closed),
		won=of(won),
		lost=of(lost),
	)


def with_rest(by_value: dict[str, int], total: int, rest_label: str) -> dict[str, int]:
	"""Counts per value, with what is left of `total` (records without a value) under `rest_label`."""
	out = {k: v for k, v in by_value.items() if v}
	rest = total - sum(out.values())
	if rest > 0:
		out[rest_label] = rest
	return out
