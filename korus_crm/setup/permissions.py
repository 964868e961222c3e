"""Permission hooks of Korus CRM."""

import frappe

from korus_crm.setup.roles import CRM_ROLES


def has_app_permission() -> bool:
	"""Show Korus CRM on the apps screen to users with a CRM role."""
	if frappe.session.user == "Administrator":
		return True
	return bool(set(CRM_ROLES) & set(frappe.get_roles()))
