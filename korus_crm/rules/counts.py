"""Rules of the maintained board column counts: which column counts change, by how much."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
	"""Where a record sits on a board, and what it is worth there."""

	scope: str  # the board (a pipeline), "" for single-board doctypes
	column: str | None  # the column value (status, stage); None = not on any column
	amount: float = 0.0
	weighted: float = 0.0  # the amount times its probability (deals), 0 where there is none


@dataclass(frozen=True)
class Delta:
	scope: str
	column: str
	count: int
	amount: float
	weighted: float = 0.0


def column_deltas(old: Placement | None, new: Placement | None) -> list[Delta]:
	"""The count and value changes of one record moving from `old` to `new` (None = not there:
	inserted or deleted). Nothing for a record that stays put with the same amount."""
	old = old if old and old.column else None
	new = new if new and new.column else None
	if old and new and (old.scope, old.column) == (new.scope, new.column):
		diff = (new.amount or 0.0) - (old.amount or 0.0)
		weighted = (new.weighted or 0.0) - (old.weighted or 0.0)
		return [Delta(new.scope, new.column, 0, diff, weighted)] if diff or weighted else []
	deltas = []
	if old:
		deltas.append(Delta(old.scope, old.column, -1, -(old.amount or 0.0), -(old.weighted or 0.0)))
	if new:
		deltas.append(Delta(new.scope, new.column, 1, new.amount or 0.0, new.weighted or 0.0))
	return deltas


MAX_KEY = 140


def counter_key(doctype: str, field: str, scope: str, column: str) -> str:
	"""The counter row's name (its primary key); long keys are shortened with a stable digest."""
	import hashlib

	key = f"{doctype}|{field}|{scope}|{column}"
	if len(key) <= MAX_KEY:
		return key
	digest = hashlib.sha1(key.encode()).hexdigest()[:16]
	return f"{key[: MAX_KEY - 17]}~{digest}"
