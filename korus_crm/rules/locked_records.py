"""Records that nobody may change any more (seed 003: "a contract order, once approved, cannot be
changed"): what an update of such a record would change, field by field and row by row, so that it
can be refused whatever field it touches (standard, "allow on submit", or a custom field added
later through Customize Form).

Values are compared as the database holds them: an empty text, a missing value and nothing are the
same; numbers compare by value (1 and 1.0 are equal).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping, Sequence


def normalise(value):
	"""A value as it compares: empty -> "", numbers as floats, dates and times as ISO text."""
	if value is None or value == "":
		return ""
	if isinstance(value, bool):
		return float(value)
	if isinstance(value, int | float | decimal.Decimal):
		return float(value)
	if isinstance(value, datetime.datetime):
		return value.isoformat(sep=" ")
	if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
		return str(value)
	return value


def changed_fields(
	before: Mapping,
	after: Mapping,
	fieldnames: Iterable[str],
	tables: Mapping[str, Iterable[str]] | None = None,
) -> list[str]:
	"""The fields of `fieldnames` whose value differs between `before` and `after`, and the tables
	of `tables` (table field -> its rows' fieldnames) whose rows differ (added, removed, reordered or
	changed), in the order given."""
	changed = [f for f in fieldnames if normalise(before.get(f)) != normalise(after.get(f))]
	for table, row_fields in (tables or {}).items():
		row_fields = list(row_fields)
		if rows_differ(before.get(table) or [], after.get(table) or [], row_fields):
			changed.append(table)
	return changed


def rows_differ(before: Sequence[Mapping], after: Sequence[Mapping], fieldnames: list[str]) -> bool:
	if len(before) != len(after):
		return True
	for old, new in zip(before, after, strict=True):
		if (old.get("name") or new.get("name")) and old.get("name") != new.get("name"):
			return True
		if any(normalise(old.get(f)) != normalise(new.get(f)) for f in fieldnames):
			return True
	return False
