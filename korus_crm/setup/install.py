"""Install, migrate and uninstall hooks. Every step is idempotent: migrate re-runs it safely."""

import frappe

from korus_crm.rules.lead_status import DEFAULT_STATUSES
from korus_crm.setup.custom_fields import delete_custom_fields, make_custom_fields
from korus_crm.setup.roles import create_roles, delete_roles


def after_install() -> None:
	ensure_korus_setup()


def after_migrate() -> None:
	ensure_korus_setup()


def ensure_korus_setup() -> None:
	create_roles()
	make_custom_fields()
	create_default_lead_statuses()


def create_default_lead_statuses() -> list[str]:
	"""Seed the default statuses on a site that has none (a user's own set is never touched)."""
	if frappe.db.count("Lead Status"):
		return []
	created = []
	for row in DEFAULT_STATUSES:
		frappe.get_doc(
			{
				"doctype": "Lead Status",
				"status_name": row.name,
				"color": row.color,
				"is_default": int(row.is_default),
				"is_final": int(row.is_final),
				"display_order": row.display_order,
			}
		).insert(ignore_permissions=True)
		created.append(row.name)
	return created


def before_uninstall() -> None:
	"""Remove what Korus added to ERPNext's doctypes, so that ERPNext keeps working without it.
	Korus's own doctypes, workspace and reports are removed by Frappe with the module."""
	delete_custom_fields()
	delete_roles()
