"""Rules of the configurable lead statuses (seed 002, "Lead Statuses").

Plain functions on plain values: the Lead Status controller calls them, tests/unit tests them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from korus_crm.rules.defaults import DefaultPlan, NoDefaultLeft, plan_default  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class StatusRow:
	name: str
	is_default: bool = False
	is_final: bool = False
	display_order: int = 0
	color: str | None = None
	erpnext_status: str | None = None


def default_is_final(is_default: bool, is_final: bool) -> bool:
	"""A new lead starts in the default status, so it cannot be a final one."""
	return bool(is_default and is_final)


def can_delete(is_default: bool) -> bool:
	"""The default status cannot be deleted (make another the default first)."""
	return not is_default


def next_display_order(existing_orders: Iterable[int | None]) -> int:
	"""A status added without an order goes after the last one."""
	orders = [o for o in existing_orders if o is not None]
	return (max(orders) + 1) if orders else 1


def invalid_display_order(display_order: int | None) -> bool:
	return display_order is not None and display_order < 0


def ordered(rows: Iterable[StatusRow]) -> list[StatusRow]:
	"""Statuses in display order; ties by name, so the order is stable."""
	return sorted(rows, key=lambda r: (r.display_order, r.name.casefold()))


def board_statuses(rows: Iterable[StatusRow]) -> list[StatusRow]:
	"""The statuses a Leads kanban shows: the non-final ones, in display order."""
	return [r for r in ordered(rows) if not r.is_final]


def status_record(row: StatusRow) -> dict:
	"""A status as the values of a Lead Status record."""
	return {
		"status_name": row.name,
		"color": row.color,
		"is_default": int(row.is_default),
		"is_final": int(row.is_final),
		"display_order": row.display_order,
		"erpnext_status": row.erpnext_status,
	}


# The statuses a new site starts with (seed 002: New / Contacted / Qualified, final Converted and Lost).
DEFAULT_STATUSES: tuple[StatusRow, ...] = (
	StatusRow("New", is_default=True, display_order=1, color="#2490EF", erpnext_status="Lead"),
	StatusRow("Contacted", display_order=2, color="#ECAD4B", erpnext_status="Replied"),
	StatusRow("Qualified", display_order=3, color="#7575FF", erpnext_status="Interested"),
	StatusRow("Converted", is_final=True, display_order=4, color="#29CD42", erpnext_status="Converted"),
	StatusRow("Lost", is_final=True, display_order=5, color="#E24C4C", erpnext_status="Do Not Contact"),
)
