"""Rules of the CSV lead import (bench --site S korus import-leads FILE.csv)."""

from __future__ import annotations

from collections.abc import Iterable


def map_headers(
	headers: Iterable[str], fieldnames: Iterable[str], labels: dict[str, str]
) -> dict[str, str | None]:
	"""Map each CSV header to a Lead fieldname: by fieldname, else by label, case- and
	space-insensitively; unknown headers map to None (ignored and reported)."""

	def key(text: str) -> str:
		return " ".join(text.strip().lower().replace("_", " ").split())

	by_key: dict[str, str] = {key(f): f for f in fieldnames}
	for label, fieldname in labels.items():
		by_key.setdefault(key(label), fieldname)
	return {h: by_key.get(key(h)) for h in headers}


def row_values(row: dict[str, str | None], mapping: dict[str, str | None]) -> dict[str, str]:
	"""The Lead values of one CSV row: mapped columns only, trimmed, empty cells left out."""
	values = {}
	for header, fieldname in mapping.items():
		if not fieldname:
			continue
		cell = row.get(header)
		if cell is not None and cell.strip() != "":
			values[fieldname] = cell.strip()
	return values
