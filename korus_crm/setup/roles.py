"""The roles Korus CRM adds to ERPNext's own (Sales User, Sales Manager, System Manager)."""

import frappe

KORUS_ROLES: tuple[dict, ...] = (
	{
		"role_name": "Korus CRM Manager",
		"desk_access": 1,
		"description": "Configures Korus CRM: lead statuses, pipelines and stages, CRM settings.",
	},
)

# Roles that open the Korus CRM app (the apps screen and the workspace).
CRM_ROLES: tuple[str, ...] = ("Sales User", "Sales Manager", "Korus CRM Manager", "System Manager")


def create_roles() -> list[str]:
	"""Create the missing Korus roles; returns the names created (nothing on a second run)."""
	created = []
	for spec in KORUS_ROLES:
		if not frappe.db.exists("Role", spec["role_name"]):
			frappe.get_doc({"doctype": "Role", **spec}).insert(ignore_permissions=True)
			created.append(spec["role_name"])
	return created


def delete_roles() -> None:
	for spec in KORUS_ROLES:
		if frappe.db.exists("Role", spec["role_name"]):
			frappe.delete_doc("Role", spec["role_name"], ignore_permissions=True, force=True)
