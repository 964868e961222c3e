"""The boards are Korus's own pages now (per-column pages of cards, counts that follow every move):
the desk Kanban Boards Korus kept in step, and the index of their Select mirror, go."""

import frappe


def execute() -> None:
	for board in frappe.get_all(
		"Kanban Board",
		filters=[
			["reference_doctype", "in", ["Lead", "Opportunity"]],
			["field_name", "in", ["lead_status", "stage_column"]],
		],
		pluck="name",
	):
		frappe.delete_doc("Kanban Board", board, ignore_permissions=True, force=True)
	if frappe.db.has_index("tabOpportunity", "korus_deal_board"):
		frappe.db.sql_ddl("alter table `tabOpportunity` drop index `korus_deal_board`")
