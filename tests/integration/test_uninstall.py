"""Uninstalling korus_crm leaves ERPNext working. Destructive: it runs last, on a throwaway site only.

scripts/test runs it after the rest of the tier (`-m uninstall`, KORUS_ALLOW_UNINSTALL=1); anywhere
else it is skipped with that reason.
"""

import os

import frappe
import pytest

from korus_crm.setup.custom_fields import get_custom_fields
from korus_crm.setup.roles import KORUS_ROLES

pytestmark = [
	pytest.mark.uninstall,
	pytest.mark.skipif(
		os.environ.get("KORUS_ALLOW_UNINSTALL") != "1",
		reason="uninstalls korus_crm: only on a throwaway site (scripts/test sets KORUS_ALLOW_UNINSTALL=1)",
	),
]


def test_uninstall_removes_korus_and_leaves_erpnext_working():
	from frappe.installer import remove_app

	remove_app("korus_crm", yes=True, no_backup=True)
	# what the next request sees: a fresh start of Frappe for the site (hooks of installed apps only)
	site, sites_path = frappe.local.site, frappe.local.sites_path
	frappe.destroy()
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.flags.in_test = True

	assert "korus_crm" not in frappe.get_installed_apps()
	assert not frappe.db.exists("DocType", "Lead Status")
	assert not frappe.db.exists("Module Def", "Korus CRM")
	assert not frappe.db.exists("Workspace", "Korus CRM")
	for spec in KORUS_ROLES:
		assert not frappe.db.exists("Role", spec["role_name"])
	for doctype, fields in get_custom_fields().items():
		for df in fields:
			assert not frappe.db.exists("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]})
			# Korus's own doctypes (scoped ones carry custom scope fields) are gone altogether
			if frappe.db.exists("DocType", doctype):
				assert not frappe.get_meta(doctype).has_field(df["fieldname"])

	# ERPNext's own CRM still works
	lead = frappe.get_doc(
		{
			"doctype": "Lead",
			"first_name": "After",
			"last_name": "Uninstall",
			"email_id": "after.uninstall@example.com",
		}
	).insert()
	lead.status = "Replied"
	lead.save()
	assert frappe.db.get_value("Lead", lead.name, "status") == "Replied"
