"""Rules of deal pipelines and stages (seed 002 "Deal Pipelines", "Deal Stages", "Deals"; seed 003
stage durations). Plain functions on plain values."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from korus_crm.rules.rotting import MAX_IDLE_DAYS


@dataclass(frozen=True)
class StageRow:
	name: str  # the stage's name within its pipeline
	is_default: bool = False
	is_won: bool = False
	is_lost: bool = False
	probability: float | None = None
	color: str | None = None
	order: int = 0
	docname: str | None = None  # the Deal Stage record
	idle_days: int | None = None  # rotting deals (korus_crm.rules.rotting): None or 0 sets none

	@property
	def is_closed(self) -> bool:
		return self.is_won or self.is_lost


def stage_problems(stages: Sequence[StageRow]) -> list[str]:
	"""What is wrong with a pipeline's stages, as codes: duplicate names (case-insensitive), more
	than one default / won / lost stage, a stage both won and lost, a default stage that closes
	the deal, a probability outside 0..100, idle days outside 0..MAX_IDLE_DAYS."""
	problems = []
	names = [s.name.strip().casefold() for s in stages]
	if len(set(names)) != len(names):
		problems.append("duplicate_name")
	for flag in ("is_default", "is_won", "is_lost"):
		if sum(1 for s in stages if getattr(s, flag)) > 1:
			problems.append(f"several_{flag[3:]}")
	if any(s.is_won and s.is_lost for s in stages):
		problems.append("won_and_lost")
	if any(s.is_default and s.is_closed for s in stages):
		problems.append("default_closes")
	if any(s.probability is not None and not 0 <= s.probability <= 100 for s in stages):
		problems.append("probability_range")
	if any(s.idle_days is not None and not 0 <= s.idle_days <= MAX_IDLE_DAYS for s in stages):
		problems.append("idle_days_range")
	return problems


def ordered(stages: Iterable[StageRow]) -> list[StageRow]:
	return sorted(stages, key=lambda s: s.order)


def default_stage(stages: Sequence[StageRow]) -> StageRow | None:
	"""Where a deal without a stage lands: the default stage, else the first open stage in order."""
	in_order = ordered(stages)
	return next((s for s in in_order if s.is_default), None) or next(
		(s for s in in_order if not s.is_closed), None
	)


def won_stage(stages: Sequence[StageRow]) -> StageRow | None:
	return next((s for s in stages if s.is_won), None)


def lost_stage(stages: Sequence[StageRow]) -> StageRow | None:
	return next((s for s in stages if s.is_lost), None)


@dataclass(frozen=True)
class StageOutcome:
	closed_on: date | None
	clear_lost_reasons: bool
	needs_lost_reason: bool
	erpnext_status: str | None  # None: leave ERPNext's status as it is


def enter_stage(
	stage: StageRow, previous: StageRow | None, closed_on: date | None, has_lost_reason: bool, today: date,
	has_active_quotation: bool = False,
) -> StageOutcome:  # fmt: skip
	"""What reaching `stage` means for the deal.

	- won: closed on today (kept when it stays won), ERPNext status Converted;
	- lost: closed on today, a lost reason is required, ERPNext status Lost;
	- an open stage: no close date, no lost reasons; ERPNext status back to Open (Quotation when an
	  active quotation exists) when it was closed.
	"""
	moved = previous is None or previous.name != stage.name
	if stage.is_won:
		return StageOutcome(closed_on if (not moved and closed_on) else today, True, False, "Converted")
	if stage.is_lost:
		return StageOutcome(
			closed_on if (not moved and closed_on) else today, False, not has_lost_reason, "Lost"
		)
	reopened = previous is not None and previous.is_closed
	status = ("Quotation" if has_active_quotation else "Open") if reopened else None
	return StageOutcome(None, True, False, status)


def stage_for_erpnext_status(
	status: str, current: StageRow | None, stages: Sequence[StageRow], last_open: StageRow | None
) -> StageRow | None:
	"""ERPNext changing the status itself (a quotation lost, a sales order submitted or cancelled)
	moves the deal: Lost -> the lost stage, Converted -> the won stage; Open or Quotation while
	closed -> back to the last open stage it was in (else the default). None: stay."""
	if status == "Lost":
		target = lost_stage(stages)
	elif status == "Converted":
		target = won_stage(stages)
	elif status in ("Open", "Quotation", "Replied") and current is not None and current.is_closed:
		target = last_open or default_stage(stages)
	else:
		target = None
	if target is None or (current is not None and target.name == current.name):
		return None
	return target


def probability_after_move(stage: StageRow, current: float | None, probability_edited: bool) -> float | None:
	"""Probability follows the stage, unless the user set it in the same change (an override)."""
	if probability_edited or stage.probability is None:
		return current
	return stage.probability


def weighted_value(amount: float | None, probability: float | None) -> float:
	return (amount or 0.0) * (probability or 0.0) / 100.0


@dataclass
class StageVisit:
	pipeline: str
	stage: str
	entered_at: datetime
	left_at: datetime | None


@dataclass(frozen=True)
class StageDuration:
	pipeline: str
	stage: str
	visits: int
	average_days: float
	median_days: float
	days: tuple[float, ...] = field(default=(), repr=False)


def stage_durations(visits: Iterable[StageVisit], now: datetime) -> list[StageDuration]:
	"""Average and median days spent in each (pipeline, stage); a stage still occupied counts up to
	`now`."""
	by_stage: dict[tuple[str, str], list[float]] = {}
	for v in visits:
		end = v.left_at or now
		days = max(0.0, (end - v.entered_at).total_seconds() / 86400)
		by_stage.setdefault((v.pipeline, v.stage), []).append(days)
	return [
		StageDuration(p, s, len(d), round(statistics.fmean(d), 2), round(statistics.median(d), 2), tuple(d))
		for (p, s), d in sorted(by_stage.items())
	]


def stage_table_row(stage: StageRow) -> dict:
	"""A stage as a row of its pipeline's stages table."""
	return {
		"stage_name": stage.name,
		"color": stage.color,
		"probability": stage.probability,
		"is_default": int(stage.is_default),
		"is_won": int(stage.is_won),
		"is_lost": int(stage.is_lost),
	}


# The pipeline a new site starts with.
DEFAULT_PIPELINE: tuple[str, tuple[StageRow, ...]] = (
	"Sales",
	(
		StageRow("Qualification", is_default=True, probability=10, color="#2490EF", order=1),
		StageRow("Needs Analysis", probability=30, color="#7CD6FD", order=2),
		StageRow("Proposal", probability=60, color="#7575FF", order=3),
		StageRow("Negotiation", probability=80, color="#ECAD4B", order=4),
		StageRow("Won", is_won=True, probability=100, color="#29CD42", order=5),
		StageRow("Lost", is_lost=True, probability=0, color="#E24C4C", order=6),
	),
)
