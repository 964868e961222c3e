"""Rules of the maintained board column counts: which counters change, by how much.

A record on a board counts in its column's total, and again in the column's count for each of its
dimensions (its branch, department and owner: the columns data scope reads by), so that a user
whose scope is a branch, a department or their own records reads their board from counters too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

TOTAL = ("", "")  # the counter of a column over every record


@dataclass(frozen=True)
class Placement:
	"""Where a record sits on a board, and what it is worth there."""

	scope: str  # the board (a pipeline), "" for single-board doctypes
	column: str | None  # the column value (status, stage); None = not on any column
	amount: float = 0.0
	weighted: float = 0.0  # the amount times its probability (deals), 0 where there is none
	dims: tuple[tuple[str, str], ...] = field(default=())  # (dimension, value), e.g. ("branch", "Paris")

	def slices(self) -> list[tuple[str, str]]:
		"""The counters the record counts in, within its column: the total and each set dimension."""
		return [TOTAL, *((d, v) for d, v in self.dims if v)]


@dataclass(frozen=True)
class Delta:
	scope: str
	column: str
	count: int
	amount: float
	weighted: float = 0.0
	dimension: str = ""
	value: str = ""


def column_deltas(old: Placement | None, new: Placement | None) -> list[Delta]:
	"""The count and value changes of one record moving from `old` to `new` (None = not there:
	inserted or deleted). Nothing for a record that stays put with the same amount."""
	old = old if old and old.column else None
	new = new if new and new.column else None
	sums: dict[tuple[str, str, str, str], list[float]] = {}

	def add(placement: Placement, sign: int) -> None:
		for dimension, value in placement.slices():
			key = (placement.scope, placement.column, dimension, value)
			total = sums.setdefault(key, [0, 0.0, 0.0])
			total[0] += sign
			total[1] += sign * (placement.amount or 0.0)
			total[2] += sign * (placement.weighted or 0.0)

	if old:
		add(old, -1)
	if new:
		add(new, 1)
	return [
		Delta(scope, column, int(n), amount, weighted, dimension, value)
		for (scope, column, dimension, value), (n, amount, weighted) in sums.items()
		if n or amount or weighted
	]


MAX_KEY = 140


def counter_key(
	doctype: str, field: str, scope: str, column: str, dimension: str = "", value: str = ""
) -> str:
	"""The counter row's name (its primary key); long keys are shortened with a stable digest."""
	key = f"{doctype}|{field}|{scope}|{column}" + (f"|{dimension}={value}" if dimension else "")
	if len(key) <= MAX_KEY:
		return key
	digest = hashlib.sha1(key.encode()).hexdigest()[:16]
	return f"{key[: MAX_KEY - 17]}~{digest}"


def month_key(value) -> str | None:
	"""The "YYYY-MM" month of a date, a datetime or their ISO text (None for no date): the column of
	the counters kept per month (deals created, closed, expected to close)."""
	if not value:
		return None
	text = value.isoformat() if hasattr(value, "isoformat") else str(value)
	return text[:7] if len(text) >= 7 and text[4] == "-" else None


def as_key(value) -> str:
	"""A column or board value as the counters store it: text, "" for none (a 0 check is "")."""
	if value is None or value == "" or value == 0:
		return ""
	return str(value)


SCOPE_SEPARATOR = "|"


def scope_key(values) -> str:
	"""A board made of several fields' values (a deal's stage and owner): joined by "|"; one
	field's value as `as_key` has it."""
	keys = [as_key(v) for v in values]
	if len(keys) == 1:
		return keys[0]
	return SCOPE_SEPARATOR.join(keys)


def split_scope(scope: str, parts: int) -> tuple[str, ...]:
	"""The fields' values of a board made by `scope_key` (the last ones hold no "|": users)."""
	values = scope.rsplit(SCOPE_SEPARATOR, parts - 1)
	return tuple(values) + ("",) * (parts - len(values))


def last_months(today, count: int) -> list[str]:
	"""The `count` months up to and including the month of `today` (a date), oldest first."""
	year, month = today.year, today.month
	out = []
	for _ in range(count):
		out.append(f"{year:04d}-{month:02d}")
		month -= 1
		if not month:
			year, month = year - 1, 12
	return out[::-1]
