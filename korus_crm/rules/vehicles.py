"""Vehicle rules as plain functions (seed 001 Pojazdy; issue 14; docs/vehicles.md).

A vehicle is ERPNext's Vehicle; its trips are Korus Mileage Logs (submittable), each with a start and
an end odometer reading.

- A log's readings are whole, non-negative numbers and the end is not below the start; its distance
  is end - start (`reading_problems`, `distance`).
- The vehicle's odometer is the highest end reading of its submitted logs, never below the reading
  the vehicle had before its first log (`odometer`). It is computed again, from the logs, each time
  a log is submitted or cancelled: logs entered out of order and cancelled logs keep it right (hrms's
  Vehicle Log adds on submit and subtracts on cancel, which goes wrong once later logs exist).
- A backdated log (dated before the vehicle's latest submitted log, or starting below its odometer)
  is accepted with a warning, never refused (`backdating`): drivers hand in paper logs late.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

# why a log's readings are refused
MISSING_END = "missing_end"
NEGATIVE_START = "negative_start"
NEGATIVE_END = "negative_end"
END_BELOW_START = "end_below_start"
NEGATIVE_FUEL = "negative_fuel"
NEGATIVE_COST = "negative_cost"


def reading_problems(start: int | None, end: int | None) -> list[str]:
	"""Why a log's odometer readings cannot be kept (an empty list: they can)."""
	problems = []
	if start is not None and start < 0:
		problems.append(NEGATIVE_START)
	if end is None:
		problems.append(MISSING_END)
	elif end < 0:
		problems.append(NEGATIVE_END)
	if start is not None and end is not None and start >= 0 and end >= 0 and end < start:
		problems.append(END_BELOW_START)
	return problems


def amount_problems(fuel: float | None, cost: float | None) -> list[str]:
	"""Fuel (litres) and cost are never negative."""
	problems = []
	if fuel is not None and fuel < 0:
		problems.append(NEGATIVE_FUEL)
	if cost is not None and cost < 0:
		problems.append(NEGATIVE_COST)
	return problems


def distance(start: int, end: int) -> int:
	"""The distance of a log whose readings are valid."""
	return end - start


def odometer(initial: int | None, end_readings: Iterable[int | None]) -> int:
	"""The vehicle's odometer: the highest end reading of its submitted logs, never below its
	reading before the first log (`initial`); with no submitted log, that reading."""
	readings = [r for r in end_readings if r is not None]
	return max([initial or 0, *readings])


@dataclass(frozen=True)
class Backdating:
	"""How a log is backdated: dated before the vehicle's latest submitted log, and/or starting
	below the vehicle's odometer."""

	before_latest_log: bool = False
	below_odometer: bool = False

	def __bool__(self) -> bool:
		return self.before_latest_log or self.below_odometer


def backdating(
	date: datetime.date,
	start: int | None,
	latest_log_date: datetime.date | None,
	current_odometer: int | None,
) -> Backdating:
	"""Whether a log is backdated (a warning, not an error)."""
	return Backdating(
		before_latest_log=latest_log_date is not None and date < latest_log_date,
		below_odometer=start is not None and current_odometer is not None and start < current_odometer,
	)


def fuel_per_100_km(litres: float | None, km: float | None) -> float | None:
	"""Fuel used per 100 km (None without distance)."""
	if not km or km <= 0:
		return None
	return round((litres or 0) * 100 / km, 2)


def cost_per_km(cost: float | None, km: float | None) -> float | None:
	"""Cost per km (None without distance)."""
	if not km or km <= 0:
		return None
	return round((cost or 0) / km, 2)
