"""Keep the Lead `lead_status` Select field and the "Leads" Kanban Board in step with the Lead
Status records: options in display order; board columns = non-final statuses in order, with the
indicator nearest each status's colour; final statuses filtered off the board."""

from __future__ import annotations

import frappe
from frappe.query_builder import DocType

from korus_crm.boards import counts, kanban
from korus_crm.boards.lead_status_config import clear_config_cache, load_rows
from korus_crm.rules import lead_status as rules

LEADS_BOARD = "Leads"
STATUS_FIELD = "lead_status"
CARD_FIELDS = ["lead_name", "company_name", "estimated_value", "lead_owner"]


def sync_lead_statuses() -> None:
	"""Everything that mirrors the statuses; called after any Lead Status change and on migrate
	(not while install seeds the default statuses one by one: it syncs once at the end)."""
	if frappe.flags.korus_seeding_lead_statuses:
		return
	rows = load_rows()
	clear_config_cache()
	sync_select_options(rows)
	sync_leads_board(rows)


def sync_select_options(rows: list[rules.StatusRow]) -> None:
	kanban.sync_select_options("Lead", STATUS_FIELD, [r.name for r in rules.ordered(rows)])


def sync_leads_board(rows: list[rules.StatusRow]) -> None:
	finals = [r.name for r in rows if r.is_final]
	kanban.sync_board(
		LEADS_BOARD,
		"Lead",
		STATUS_FIELD,
		[(r.name, r.color) for r in rules.board_statuses(rows)],
		[["Lead", STATUS_FIELD, "not in", finals]] if finals else None,
		CARD_FIELDS,
	)


def rename_status_in_leads(old: str, new: str) -> None:
	"""A renamed status renames the value on every lead (a Select field is not a link) and the
	board's column (keeping its card order)."""
	lead = DocType("Lead")
	frappe.qb.update(lead).set(lead.lead_status, new).where(lead.lead_status == old).run()
	counts.recount(counts.LEADS)
	if frappe.db.exists("Kanban Board", LEADS_BOARD):
		column = frappe.db.get_value(
			"Kanban Board Column", {"parent": LEADS_BOARD, "column_name": old}, "name"
		)
		if column:
			frappe.db.set_value("Kanban Board Column", column, "column_name", new)


def count_leads_in_status(status: str) -> int:
	return frappe.db.count("Lead", {STATUS_FIELD: status})
