"""Frappe's desk Kanban boards and the Select fields they group by, kept in step with Korus's
configuration (lead statuses, pipeline stages). One place for both kinds of board."""

from __future__ import annotations

import json
from collections.abc import Callable

import frappe

from korus_crm.rules import boards as board_rules


def sync_select_options(doctype: str, fieldname: str, options: list[str]) -> None:
	"""Set the options of one of Korus's Select custom fields (the desk kanban groups only by a
	Select); the cached meta is cleared now and again if the transaction rolls back."""
	text = "\n".join(options)
	field = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": fieldname})
	if not field or frappe.db.get_value("Custom Field", field, "options") == text:
		return
	frappe.db.set_value("Custom Field", field, "options", text)
	clear: Callable[[], None] = lambda: frappe.clear_cache(doctype=doctype)  # noqa: E731
	clear()
	frappe.db.after_rollback.add(clear)


def sync_board(
	name: str,
	doctype: str,
	field_name: str,
	columns: list[tuple[str, str | None]],
	filters: list | None,
	card_fields: list[str],
) -> str:
	"""Create or update a Kanban Board: its columns are `columns` ((name, colour) in order, the
	indicator nearest each colour), keeping each column's card order; its filter is `filters`.
	Saved only when something changed."""
	if frappe.db.exists("Kanban Board", name):
		board = frappe.get_doc("Kanban Board", name)
	else:
		board = frappe.new_doc("Kanban Board")
		board.update(
			{
				"kanban_board_name": name,
				"reference_doctype": doctype,
				"field_name": field_name,
				"private": 0,
				"show_labels": 1,
				"fields": json.dumps(card_fields),
			}
		)
	old_orders = {c.column_name: c.order for c in board.columns}
	wanted = board_rules.board_columns(columns)
	current = [(c.column_name, c.status, c.indicator) for c in board.columns]
	columns_changed = current != [(c["column_name"], c["status"], c["indicator"]) for c in wanted]
	if columns_changed:
		board.set("columns", [])
		for column in wanted:
			board.append("columns", {**column, "order": old_orders.get(column["column_name"]) or "[]"})
	# no filter is an empty value: Frappe's Kanban Board reads the first filter of any non-empty text
	filters_text = json.dumps(filters) if filters else ""
	filters_changed = (board.filters or "") != filters_text
	board.filters = filters_text
	if board.is_new():
		board.insert(ignore_permissions=True)
	elif columns_changed or filters_changed:
		board.save(ignore_permissions=True)
	return board.name


def delete_board(name: str) -> None:
	if name and frappe.db.exists("Kanban Board", name):
		frappe.delete_doc("Kanban Board", name, ignore_permissions=True, force=True)
