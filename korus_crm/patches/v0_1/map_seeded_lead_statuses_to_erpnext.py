"""Statuses seeded before Lead Status had an ERPNext Status: give the seeded ones their mapping."""

import frappe

from korus_crm.rules.lead_status import DEFAULT_STATUSES


def execute() -> None:
	for row in DEFAULT_STATUSES:
		if frappe.db.exists("Lead Status", row.name) and not frappe.db.get_value(
			"Lead Status", row.name, "erpnext_status"
		):
			frappe.db.set_value("Lead Status", row.name, "erpnext_status", row.erpnext_status)
