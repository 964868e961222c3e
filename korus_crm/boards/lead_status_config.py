"""The lead status configuration as the Lead hooks need it, cached per site and cleared whenever a
Lead Status changes."""

from __future__ import annotations

from dataclasses import dataclass

import frappe

from korus_crm.rules.lead_status import StatusRow, ordered

CACHE_KEY = "korus_crm:lead_status_config"


@dataclass(frozen=True)
class LeadStatusConfig:
	rows: tuple[StatusRow, ...]

	@property
	def names(self) -> tuple[str, ...]:
		return tuple(r.name for r in self.rows)

	@property
	def default(self) -> str | None:
		return next((r.name for r in self.rows if r.is_default), None)

	@property
	def finals(self) -> tuple[str, ...]:
		return tuple(r.name for r in self.rows if r.is_final)

	@property
	def converted(self) -> str | None:
		"""The status a lead takes when it becomes a customer: the one mapped to ERPNext's Converted."""
		return next((r.name for r in self.rows if r.erpnext_status == "Converted"), None)

	@property
	def to_erpnext(self) -> dict[str, str]:
		return {r.name: r.erpnext_status for r in self.rows if r.erpnext_status}


def load_rows() -> list[StatusRow]:
	rows = frappe.get_all(
		"Lead Status",
		fields=["name", "is_default", "is_final", "display_order", "color", "erpnext_status"],
	)
	return ordered(
		StatusRow(
			name=r.name,
			is_default=bool(r.is_default),
			is_final=bool(r.is_final),
			display_order=r.display_order or 0,
			color=r.color,
			erpnext_status=r.erpnext_status or None,
		)
		for r in rows
	)


def get_config() -> LeadStatusConfig:
	rows = frappe.cache.get_value(CACHE_KEY, generator=lambda: [r.__dict__ for r in load_rows()])
	return LeadStatusConfig(tuple(StatusRow(**r) for r in rows))


def clear_config_cache() -> None:
	"""Clear now, and again when the transaction ends: a request that read the statuses meanwhile
	must not keep a configuration that was rolled back or not yet committed."""
	frappe.cache.delete_value(CACHE_KEY)
	frappe.db.after_commit.add(_delete_cached_config)
	frappe.db.after_rollback.add(_delete_cached_config)


def _delete_cached_config() -> None:
	frappe.cache.delete_value(CACHE_KEY)
