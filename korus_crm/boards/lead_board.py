"""Keep the Lead `lead_status` Select field and the "Leads" Kanban Board in step with the Lead
Status records: options in display order; board columns = non-final statuses in order, with the
indicator nearest each status's colour; final statuses filtered off the board."""

from __future__ import annotations

import json

import frappe
from frappe.query_builder import DocType

from korus_crm.boards import counts
from korus_crm.boards.lead_status_config import clear_config_cache, load_rows
from korus_crm.rules import boards as board_rules
from korus_crm.rules import lead_status as rules

LEADS_BOARD = "Leads"
STATUS_FIELD = "lead_status"


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
	options = rules.select_options(rows)
	name = frappe.db.get_value("Custom Field", {"dt": "Lead", "fieldname": STATUS_FIELD})
	if not name:
		return  # during install, before the custom field exists
	if frappe.db.get_value("Custom Field", name, "options") != options:
		frappe.db.set_value("Custom Field", name, "options", options)
		clear_lead_meta()
		# the cached meta must not outlive a rollback of this change
		frappe.db.after_rollback.add(clear_lead_meta)


def clear_lead_meta() -> None:
	frappe.clear_cache(doctype="Lead")


def sync_leads_board(rows: list[rules.StatusRow]) -> None:
	on_board = rules.board_statuses(rows)
	finals = [r.name for r in rows if r.is_final]
	if frappe.db.exists("Kanban Board", LEADS_BOARD):
		board = frappe.get_doc("Kanban Board", LEADS_BOARD)
	else:
		board = frappe.new_doc("Kanban Board")
		board.update(
			{
				"kanban_board_name": LEADS_BOARD,
				"reference_doctype": "Lead",
				"field_name": STATUS_FIELD,
				"private": 0,
				"show_labels": 1,
				"fields": json.dumps(["lead_name", "company_name", "estimated_value", "lead_owner"]),
			}
		)
	old_orders = {c.column_name: c.order for c in board.columns}
	wanted = board_rules.board_columns([(r.name, r.color) for r in on_board])
	current = [(c.column_name, c.status, c.indicator) for c in board.columns]
	columns_changed = current != [(c["column_name"], c["status"], c["indicator"]) for c in wanted]
	if columns_changed:
		board.set("columns", [])
		for column in wanted:
			board.append("columns", {**column, "order": old_orders.get(column["column_name"]) or "[]"})
	# no filter is an empty value: Frappe's Kanban Board reads the first filter of any non-empty text
	filters = json.dumps([["Lead", STATUS_FIELD, "not in", finals]]) if finals else ""
	filters_changed = (board.filters or "") != filters
	board.filters = filters
	if board.is_new():
		board.insert(ignore_permissions=True)
	elif columns_changed or filters_changed:
		board.save(ignore_permissions=True)


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
