"""korus_crm is installed on the site, with its module, workspace, roles and defaults."""

import frappe

from korus_crm.rules.lead_status import DEFAULT_STATUSES
from korus_crm.setup import install
from korus_crm.setup.custom_fields import get_custom_fields
from korus_crm.setup.roles import KORUS_ROLES


def test_korus_crm_is_installed_after_erpnext():
	apps = frappe.get_installed_apps()
	assert "erpnext" in apps
	assert "korus_crm" in apps
	assert apps.index("korus_crm") > apps.index("erpnext")


def test_the_korus_crm_module_belongs_to_the_app():
	assert frappe.db.get_value("Module Def", "Korus CRM", "app_name") == "korus_crm"


def test_the_public_workspace_links_leads_deals_pipelines_reports_and_settings():
	ws = frappe.get_doc("Workspace", "Korus CRM")
	assert ws.public == 1
	assert ws.module == "Korus CRM"
	assert {"Lead", "Opportunity", "Deal Pipeline", "Deal Forecast", "Deal Stage Duration"} <= {
		s.link_to for s in ws.shortcuts
	}
	assert {"lead-board", "deal-board"} <= {s.link_to for s in ws.shortcuts if s.type == "Page"}
	assert {"Lead Status", "Deal Pipeline", "Korus CRM Settings"} <= {
		link.link_to for link in ws.links if link.type == "Link"
	}
	assert {"Open Leads", "Weighted Pipeline"} <= {c.number_card_name for c in ws.number_cards}


def test_korus_roles_exist_with_desk_access():
	for spec in KORUS_ROLES:
		assert frappe.db.get_value("Role", spec["role_name"], "desk_access") == 1


def test_custom_fields_exist_on_erpnext_doctypes():
	for doctype, fields in get_custom_fields().items():
		meta = frappe.get_meta(doctype)
		for df in fields:
			assert meta.has_field(df["fieldname"]), f"{doctype}.{df['fieldname']} missing"


def test_the_default_lead_statuses_were_created():
	rows = {
		r.name: r
		for r in frappe.get_all("Lead Status", fields=["name", "is_default", "is_final", "display_order"])
	}
	for status in DEFAULT_STATUSES:
		assert status.name in rows
		assert rows[status.name].is_final == int(status.is_final)
	assert [n for n, r in rows.items() if r.is_default] == ["New"]


def _counts() -> dict[str, int]:
	return {
		"roles": frappe.db.count("Role", {"name": ("in", [r["role_name"] for r in KORUS_ROLES])}),
		"custom_fields": frappe.db.count("Custom Field", {"module": "Korus CRM"}),
		"lead_statuses": frappe.db.count("Lead Status"),
		"workspaces": frappe.db.count("Workspace", {"module": "Korus CRM"}),
	}


def test_running_after_install_again_creates_nothing_twice():
	before = _counts()
	assert all(before.values()), before
	install.after_install()
	install.after_install()
	assert _counts() == before
