"""Rules of the analytics reports (seed 003: stage duration, fulfilment statistics, order value;
lost reasons, lead conversion time, the forecast's commit / best case split). No Frappe here: the
reports (korus_crm.analytics.reports) read grouped figures with one GROUP BY each and hand them to
these functions.

Durations are summed in SQL (exact averages) and counted in a histogram of logarithmic buckets, so
that a report holds a few hundred rows whatever the size of the table: the median is read from the
histogram, to within one bucket (4.4% of 1 + days).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

PERIODS = ("Monthly", "Quarterly", "Yearly")
STAGE_GROUPINGS = ("Stage", "Owner", "Label")  # stage duration: per stage, and per owner or label
ORDER_GROUPINGS = ("Currency", "Item", "Item Group", "Customer")
CONVERSION_GROUPINGS = ("Source", "Owner")
LOST_GROUPINGS = ("Reason", "Owner")

# buckets per doubling of (1 + days): a bucket spans 2^(1/16) - 1, 4.4%, of 1 + its lower edge
# (durations up to three years fill at most 170 buckets per group)
BUCKETS_PER_DOUBLING = 16
DEFAULT_COMMIT_PROBABILITY = 70


# --- periods ---


def period_of(day: date, period: str) -> str:
	"""The label of the period a day falls in: 2027-01, 2027-Q1, 2027."""
	if period == "Monthly":
		return f"{day.year:04d}-{day.month:02d}"
	if period == "Quarterly":
		return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
	if period == "Yearly":
		return f"{day.year:04d}"
	raise ValueError(period)


def months_between(start: date, end: date) -> list[str]:
	"""The months from `start`'s to `end`'s, as YYYY-MM (empty when end is before start)."""
	months = []
	year, month = start.year, start.month
	while (year, month) <= (end.year, end.month):
		months.append(f"{year:04d}-{month:02d}")
		year, month = (year + 1, 1) if month == 12 else (year, month + 1)
	return months


def split_by_months(start: date, end: date, today: date) -> tuple[list[str], list[tuple[date, date]]]:
	"""The whole months ("YYYY-MM") of the days [start, end], and the days left over at its edges as
	(first, last) pairs. A month is whole when the range holds its first day and every day of it up
	to today (its days after today hold nothing yet): the stage duration report reads a whole
	month's closed stays from the maintained totals, the edges from the stays themselves."""
	whole: list[str] = []
	edges: list[tuple[date, date]] = []
	if start > end:
		return whole, edges
	first = date(start.year, start.month, 1)
	while first <= end:
		following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
		last = date.fromordinal(following.toordinal() - 1)
		if start <= first and end >= min(last, today):
			whole.append(f"{first.year:04d}-{first.month:02d}")
		else:
			edges.append((max(start, first), min(end, last)))
		first = following
	return whole, edges


# --- durations: mean exactly, median from the histogram ---


def bucket_of(days: float) -> int:
	"""The histogram bucket of a duration (as the reports' SQL computes it)."""
	return math.floor(BUCKETS_PER_DOUBLING * math.log2(1 + max(0.0, days)))


def bucket_bounds(bucket: int) -> tuple[float, float]:
	"""The days a bucket spans, [low, high)."""
	return (2 ** (bucket / BUCKETS_PER_DOUBLING) - 1, 2 ** ((bucket + 1) / BUCKETS_PER_DOUBLING) - 1)


def median_from_histogram(histogram: dict[int, int]) -> float | None:
	"""The median of the durations counted in `histogram` ({bucket: count}), interpolated linearly
	inside the bucket it falls in; None without durations."""
	total = sum(histogram.values())
	if not total:
		return None
	middle = total / 2
	seen = 0
	for bucket in sorted(histogram):
		count = histogram[bucket]
		if count and seen + count >= middle:
			low, high = bucket_bounds(bucket)
			return low + (high - low) * (middle - seen) / count
		seen += count
	return None  # pragma: no cover (the counts add up to total)


@dataclass
class DurationGroup:
	"""The durations of one group (a stage; a stage and an owner...), summed and counted."""

	count: int = 0
	total_days: float = 0.0
	histogram: dict[int, int] = field(default_factory=dict)

	def add(self, bucket: int, count: int, total_days: float) -> None:
		self.count += count
		self.total_days += total_days
		self.histogram[bucket] = self.histogram.get(bucket, 0) + count

	@property
	def average_days(self) -> float | None:
		return round(self.total_days / self.count, 2) if self.count else None

	@property
	def median_days(self) -> float | None:
		median = median_from_histogram(self.histogram)
		return None if median is None else round(median, 2)


def duration_groups(rows: Iterable[tuple]) -> dict[tuple, DurationGroup]:
	"""{group key: DurationGroup} from (key, bucket, count, total days) rows of a GROUP BY."""
	groups: dict[tuple, DurationGroup] = {}
	for key, bucket, count, total_days in rows:
		groups.setdefault(key, DurationGroup()).add(int(bucket), int(count), float(total_days or 0))
	return groups


# --- fulfilment ---


@dataclass(frozen=True)
class Fulfilment:
	orders: int
	ordered: float
	delivered: float
	invoiced: float
	paid: float
	undelivered_orders: int

	@property
	def to_deliver(self) -> float:
		return max(0.0, self.ordered - self.delivered)

	@property
	def to_invoice(self) -> float:
		return max(0.0, self.ordered - self.invoiced)

	@property
	def to_collect(self) -> float:
		return max(0.0, self.invoiced - self.paid)

	def rates(self) -> dict[str, float | None]:
		"""Delivered, invoiced and paid as percentages of what was ordered (paid: of what was
		invoiced)."""
		return {
			"delivered_rate": percent(self.delivered, self.ordered),
			"invoiced_rate": percent(self.invoiced, self.ordered),
			"paid_rate": percent(self.paid, self.invoiced),
		}


def percent(part: float, whole: float) -> float | None:
	return round(100.0 * part / whole, 2) if whole else None


# --- forecast ---


@dataclass(frozen=True)
class ForecastMonth:
	"""One month of expected close: open deals, their value (the best case: every open deal closes),
	weighted by probability (the expected), and the commit (deals at or above the commit probability,
	or flagged commit, unweighted)."""

	deals: int = 0
	best_case: float = 0.0
	weighted: float = 0.0
	commit: float = 0.0


def is_commit(probability: float | None, flagged: bool, threshold: float) -> bool:
	"""A deal is committed when its probability reaches the threshold or its owner flagged it."""
	return bool(flagged) or (probability or 0) >= threshold


def coverage(amount: float, target: float | None) -> float | None:
	"""An amount (won, commit) as a percentage of the target; None without a target."""
	return percent(amount, target) if target else None


def check_period_range(from_date: date | None, to_date: date | None) -> bool:
	"""Whether a date range is well formed (either end may be open)."""
	return not (from_date and to_date and from_date > to_date)
