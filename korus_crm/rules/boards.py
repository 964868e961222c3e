"""Rules shared by the kanban boards Korus keeps in sync (leads by status, deals by stage)."""

from __future__ import annotations

import colorsys

# The colours a Kanban Board Column can show (Frappe's Kanban Board Column.indicator options), with
# the CSS colours of Frappe's indicator palette they stand for.
INDICATORS: dict[str, tuple[int, int, int]] = {
	"Blue": (0x24, 0x90, 0xEF),
	"Cyan": (0x00, 0xB8, 0xD9),
	"Gray": (0x98, 0xA1, 0xA9),
	"Green": (0x29, 0xCD, 0x42),
	"Light Blue": (0x7C, 0xD6, 0xFD),
	"Orange": (0xF8, 0x81, 0x4F),
	"Pink": (0xF5, 0x69, 0xB4),
	"Purple": (0x75, 0x75, 0xFF),
	"Red": (0xE2, 0x4C, 0x4C),
	"Yellow": (0xEC, 0xAD, 0x4B),
}
DEFAULT_INDICATOR = "Gray"


def parse_hex_color(value: str | None) -> tuple[int, int, int] | None:
	if not value:
		return None
	text = value.strip().lstrip("#")
	if len(text) == 3:
		text = "".join(c * 2 for c in text)
	if len(text) != 6:
		return None
	try:
		return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
	except ValueError:
		return None


def _hsv(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
	return colorsys.rgb_to_hsv(*(c / 255 for c in rgb))


def nearest_indicator(color: str | None) -> str:
	"""The Kanban column indicator closest to a colour picked in a Color field: greys, near-black
	and near-white go to Gray; other colours to the palette colour of nearest hue (then saturation
	and brightness, which tell Blue from Light Blue)."""
	rgb = parse_hex_color(color)
	if rgb is None:
		return DEFAULT_INDICATOR
	h, s, v = _hsv(rgb)
	if s < 0.2 or v < 0.25:
		return "Gray"

	def distance(name: str) -> float:
		ph, ps, pv = _hsv(INDICATORS[name])
		dh = min(abs(h - ph), 1 - abs(h - ph))
		return (dh * 4) ** 2 + (s - ps) ** 2 + (v - pv) ** 2

	return min((n for n in INDICATORS if n != "Gray"), key=distance)


def board_columns(statuses: list[tuple[str, str | None]]) -> list[dict]:
	"""Columns of a board: (name, colour) pairs in board order -> Kanban Board Column values."""
	return [
		{"column_name": name, "status": "Active", "indicator": nearest_indicator(color)}
		for name, color in statuses
	]
