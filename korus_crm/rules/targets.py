"""Sales targets (seed 004 回款计划) and per-employee statistics: the arithmetic, without Frappe.

A target (Korus Sales Target) holds twelve monthly amounts of one fiscal year for one metric:
`m01`…`m12` are the calendar months January…December of the fiscal year (January is the January
that falls inside the fiscal year). Quarters and the year are derived: a quarter is three months of
the fiscal year counted from its first month (a fiscal year starting in April has Q1 = April to June).

Achieved figures come in per calendar month ("YYYY-MM"); the report groups them into the periods
of the fiscal year (months, quarters, the year) and divides by the target: the completion rate.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ORDER_VALUE = "Order Value"
INVOICED_VALUE = "Invoiced Value"
COLLECTED_VALUE = "Collected Value"
NEW_CUSTOMERS = "New Customers"
METRICS: tuple[str, ...] = (ORDER_VALUE, INVOICED_VALUE, COLLECTED_VALUE, NEW_CUSTOMERS)
# the metrics ERPNext's Sales Person targets can hold (its variance report reads Sales Orders and
# Sales Invoices); one of them per sales person and fiscal year, see `mirrored_metric`
MIRRORED: tuple[str, ...] = (ORDER_VALUE, INVOICED_VALUE)

EMPLOYEE = "Employee"
DEPARTMENT = "Department"
COMPANY = "Company"
TARGET_FOR: tuple[str, ...] = (EMPLOYEE, DEPARTMENT, COMPANY)

MONTHLY = "Monthly"
QUARTERLY = "Quarterly"
YEARLY = "Yearly"
PERIODS: tuple[str, ...] = (MONTHLY, QUARTERLY, YEARLY)

MONTH_FIELDS: tuple[str, ...] = tuple(f"m{i:02d}" for i in range(1, 13))
QUARTER_FIELDS: tuple[str, ...] = ("q1", "q2", "q3", "q4")
MONTH_NAMES: tuple[str, ...] = (
	"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December",
)  # fmt: skip


def month_key(day: datetime.date) -> str:
	return f"{day.year:04d}-{day.month:02d}"


def fiscal_months(year_start: datetime.date) -> list[tuple[str, str]]:
	"""The twelve months of a fiscal year in order: [(month field, "YYYY-MM"), …]."""
	out = []
	year, month = year_start.year, year_start.month
	for _ in range(12):
		out.append((MONTH_FIELDS[month - 1], f"{year:04d}-{month:02d}"))
		month += 1
		if month > 12:
			year, month = year + 1, 1
	return out


def months_between(from_date: datetime.date, to_date: datetime.date) -> list[str]:
	"""The "YYYY-MM" keys of every month touched by [from_date, to_date]."""
	keys = []
	year, month = from_date.year, from_date.month
	while (year, month) <= (to_date.year, to_date.month):
		keys.append(f"{year:04d}-{month:02d}")
		month += 1
		if month > 12:
			year, month = year + 1, 1
	return keys


def whole_months(from_date: datetime.date, to_date: datetime.date) -> list[str] | None:
	"""The "YYYY-MM" keys of the months [from_date, to_date] is made of, when it starts on a month's
	first day and ends on a month's last day; None for any other range."""
	if from_date.day != 1 or from_date > to_date:
		return None
	if (to_date + datetime.timedelta(days=1)).day != 1:
		return None
	return months_between(from_date, to_date)


def derived(months: Mapping[str, float | None], year_start: datetime.date) -> dict[str, float]:
	"""q1…q4 and year_total of a target's monthly amounts (fiscal quarters)."""
	ordered = [float(months.get(field) or 0) for field, _key in fiscal_months(year_start)]
	out = {QUARTER_FIELDS[q]: round(sum(ordered[3 * q : 3 * q + 3]), 6) for q in range(4)}
	out["year_total"] = round(sum(ordered), 6)
	return out


def by_month(months: Mapping[str, float | None], year_start: datetime.date) -> dict[str, float]:
	"""A target's amounts keyed "YYYY-MM"."""
	return {key: float(months.get(field) or 0) for field, key in fiscal_months(year_start)}


@dataclass(frozen=True)
class Period:
	key: str  # "2026-03", "2026-Q1" (fiscal quarter, named by the fiscal year's first year), "2026"
	label: str
	months: tuple[str, ...]  # "YYYY-MM" keys


def periods(year_start: datetime.date, period: str) -> list[Period]:
	"""The periods of a fiscal year for a periodicity: 12 months, 4 quarters or the year."""
	months = [key for _field, key in fiscal_months(year_start)]
	if period == MONTHLY:
		return [Period(key, key, (key,)) for key in months]
	if period == QUARTERLY:
		return [
			Period(f"{year_start.year}-Q{q + 1}", f"Q{q + 1}", tuple(months[3 * q : 3 * q + 3]))
			for q in range(4)
		]
	if period == YEARLY:
		return [Period(str(year_start.year), str(year_start.year), tuple(months))]
	raise ValueError(period)


def total(values: Mapping[str, float], months: Iterable[str]) -> float:
	return round(sum(float(values.get(m) or 0) for m in months), 6)


def completion_rate(target: float | None, achieved: float | None) -> float | None:
	"""Achieved as a percentage of the target (two decimals); None without a target."""
	if not target:
		return None
	return round(100.0 * float(achieved or 0) / float(target), 2)


def conversion_rate(won: int, lost: int) -> float | None:
	"""Won deals as a percentage of the deals decided (won + lost); None when none was decided."""
	decided = (won or 0) + (lost or 0)
	if not decided:
		return None
	return round(100.0 * (won or 0) / decided, 2)


def distribution(months: Mapping[str, float | None]) -> dict[str, float] | None:
	"""The Monthly Distribution of a target: {"January": percentage, …} summing to 100 (ERPNext
	checks flt(total, 2) == 100); None for a target of nothing. The last month with an amount takes
	the rounding rest so the sum is exact."""
	amounts = [max(float(months.get(f) or 0), 0.0) for f in MONTH_FIELDS]
	whole = sum(amounts)
	if whole <= 0:
		return None
	shares = [round(100.0 * a / whole, 9) for a in amounts]
	last = max(i for i, a in enumerate(amounts) if a > 0)
	shares[last] = round(shares[last] + 100.0 - sum(shares), 9)
	return dict(zip(MONTH_NAMES, shares, strict=True))


def mirrored_metric(metrics: Iterable[str]) -> str | None:
	"""Which of an employee's targets of a fiscal year go to their Sales Person (ERPNext's Target
	Detail has no "based on": one amount per sales person and year): Order Value if set, else
	Invoiced Value."""
	present = set(metrics)
	return next((m for m in MIRRORED if m in present), None)


def add_up(rows: Iterable[tuple[str | None, str, float]]) -> dict[str, dict[str, float]]:
	"""{key: {"YYYY-MM": value}} from (key, month, value) rows (keys None dropped)."""
	out: dict[str, dict[str, float]] = {}
	for key, month, value in rows:
		if key is None:
			continue
		bucket = out.setdefault(key, {})
		bucket[month] = round(bucket.get(month, 0.0) + float(value or 0), 6)
	return out


def department_totals(
	rows: list[dict], metrics: Iterable[str], department_key: str = "department"
) -> list[dict]:
	"""The employee rows grouped by department, each group followed by its total row (conversion
	rate recomputed from the totals); rows without a department come last under None."""
	metrics = list(metrics)
	groups: dict[str | None, list[dict]] = {}
	for row in rows:
		groups.setdefault(row.get(department_key), []).append(row)
	out: list[dict] = []
	for department in sorted(groups, key=lambda d: (d is None, d or "")):
		members = groups[department]
		out.extend(members)
		total_row = {department_key: department, "is_total": 1}
		for metric in metrics:
			total_row[metric] = round(sum(float(r.get(metric) or 0) for r in members), 6)
		if "won" in total_row and "lost" in total_row:
			total_row["conversion_rate"] = conversion_rate(int(total_row["won"]), int(total_row["lost"]))
		out.append(total_row)
	return out
