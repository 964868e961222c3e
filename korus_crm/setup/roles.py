"""The roles Korus CRM adds to ERPNext's own, what each may do, what it sees, and its data scope.

Seed 000 "Recommended Usage by Role": office staff (customers, deals, offers, accounting), dispatch
(the job pool and scheduler), managers (dashboards, accounting, account configuration, reports),
administrators (users and the Account menu). ERPNext's Sales User and Sales Manager are reused for
sales people and their managers.

Permissions on ERPNext's doctypes are added as Custom DocPerm rows (Frappe's Role Permissions
Manager does the same); on Korus's own doctypes they are in the doctypes' JSON.
"""

from __future__ import annotations

import frappe
from frappe.permissions import add_permission, update_permission_property

from korus_crm.rules.scope import ALL, BRANCH, OWN

OFFICE_STAFF = "Korus Office Staff"
DISPATCHER = "Korus Dispatcher"
ADMINISTRATOR = "Korus Administrator"
CRM_MANAGER = "Korus CRM Manager"
TECHNICIAN = "Korus Technician"  # field service (issue 13)

KORUS_ROLES: tuple[dict, ...] = (
	{
		"role_name": CRM_MANAGER,
		"desk_access": 1,
		"description": "Configures Korus CRM: lead statuses, pipelines and stages, CRM settings.",
	},
	{
		"role_name": OFFICE_STAFF,
		"desk_access": 1,
		"description": "Office staff: customers, contacts, leads, deals, price offers, contract orders and their follow-up.",
	},
	{
		"role_name": DISPATCHER,
		"desk_access": 1,
		"description": "Dispatch: reads customers and their contacts to plan and hand out work.",
	},
	{
		"role_name": ADMINISTRATOR,
		"desk_access": 1,
		"description": "Administers the CRM: users, branches, roles and data scope, API keys and the Account settings.",
	},
	{
		"role_name": TECHNICIAN,
		"desk_access": 1,
		"description": "Field technician: sees their own service jobs and the job pool of their branch, takes jobs, records the work done.",
	},
)

# Roles that open the Korus CRM app (the apps screen and the workspace).
CRM_ROLES: tuple[str, ...] = (
	"Sales User",
	"Sales Manager",
	CRM_MANAGER,
	OFFICE_STAFF,
	DISPATCHER,
	ADMINISTRATOR,
	TECHNICIAN,
	"System Manager",
)

# What the Korus roles may do with ERPNext's doctypes: r(ead), w(rite), c(reate), d(elete), e(xport).
ERPNEXT_PERMISSIONS: dict[str, dict[str, str]] = {
	OFFICE_STAFF: {
		"Lead": "rwce",
		"Opportunity": "rwce",
		"Customer": "rwce",
		"Contact": "rwce",
		"Address": "rwc",
		# a completed job from a schedule makes its Maintenance Visit (ERPNext's mapper reads it)
		"Maintenance Schedule": "r",
		# the vehicles their mileage logs are for (issue 14)
		"Vehicle": "r",
	},
	DISPATCHER: {
		"Lead": "r",
		"Opportunity": "r",
		"Customer": "r",
		"Contact": "r",
		"Address": "r",
		"Item": "r",
		"Maintenance Schedule": "r",
		"Vehicle": "r",
	},
	# the parts and services a technician records on a job; the schedule a job's visit comes from
	TECHNICIAN: {"Item": "r", "Maintenance Schedule": "r", "Vehicle": "r"},
	ADMINISTRATOR: {
		"Lead": "rwcde",
		"Opportunity": "rwcde",
		"Customer": "rwcde",
		"Contact": "rwcde",
		"Address": "rwcd",
		"Branch": "rwcd",
		"Department": "rwcd",
		"Employee": "rwcd",
		"Designation": "rwcd",
		"Company": "rw",
		"Campaign": "rwcd",
		"Lead Source": "rwcd",
		"Vehicle": "rwcd",
		"User": "rwc",
		"Role": "r",
	},
}
LETTERS = {"r": "read", "w": "write", "c": "create", "d": "delete", "e": "export"}

# Data scope shipped for the Korus roles (an administrator changes them in Korus Role Scope); ERPNext's
# roles are left without one and so read all, as in ERPNext.
# A technician owns no records: they read the jobs they take part in (SCOPED's participants).
DEFAULT_SCOPES: dict[str, str] = {
	OFFICE_STAFF: BRANCH,
	DISPATCHER: BRANCH,
	ADMINISTRATOR: ALL,
	TECHNICIAN: OWN,
}
# Every desk user may make approval requests (Frappe's automatic Desk User role) and reads their own,
# plus those they take part in (as approver or supervisor): SCOPED's participants.
DESK_USER = "Desk User"
DEFAULT_DOCTYPE_SCOPES: dict[str, dict[str, str]] = {DESK_USER: {"Approval Request": OWN}}

# What each Korus role sees in the desk: the modules its Module Profile leaves on (the others are
# blocked); the Korus CRM workspace lists the roles that see it.
MODULE_PROFILES: dict[str, tuple[str, ...]] = {
	OFFICE_STAFF: ("Korus CRM", "CRM", "Selling", "Accounts", "Contacts", "Desk"),
	DISPATCHER: ("Korus CRM", "CRM", "Contacts", "Desk"),
	TECHNICIAN: ("Korus CRM", "Desk"),
	ADMINISTRATOR: (
		"Korus CRM",
		"CRM",
		"Selling",
		"Accounts",
		"Setup",
		"Core",
		"Contacts",
		"Desk",
		"Integrations",
	),
}


def create_roles() -> list[str]:
	"""Create the missing Korus roles; returns the names created (nothing on a second run)."""
	created = []
	for spec in KORUS_ROLES:
		if not frappe.db.exists("Role", spec["role_name"]):
			frappe.get_doc({"doctype": "Role", **spec}).insert(ignore_permissions=True)
			created.append(spec["role_name"])
	return created


def grant_erpnext_permissions() -> None:
	"""The Korus roles' rights on ERPNext's doctypes (idempotent: only missing rights are added)."""
	for role, doctypes in ERPNEXT_PERMISSIONS.items():
		for doctype, letters in doctypes.items():
			if not frappe.db.exists("DocType", doctype):
				continue
			add_permission(doctype, role, 0)
			for letter in letters:
				update_permission_property(doctype, role, 0, LETTERS[letter], 1, validate=False)


def create_default_scopes() -> None:
	"""The shipped scopes, made once (an administrator's later changes are kept)."""
	for role in {*DEFAULT_SCOPES, *DEFAULT_DOCTYPE_SCOPES}:
		if not frappe.db.exists("Korus Role Scope", role):
			frappe.get_doc(
				{
					"doctype": "Korus Role Scope",
					"role": role,
					"default_scope": DEFAULT_SCOPES.get(role, ALL),
					"rules": [
						{"document_type": doctype, "scope": scope}
						for doctype, scope in DEFAULT_DOCTYPE_SCOPES.get(role, {}).items()
					],
				}
			).insert(ignore_permissions=True)


def create_module_profiles() -> None:
	"""A Module Profile per Korus role, named after it, blocking the modules the role does not use."""
	modules = frappe.get_all("Module Def", pluck="name")
	for role, allowed in MODULE_PROFILES.items():
		blocked = sorted(m for m in modules if m not in allowed)
		if frappe.db.exists("Module Profile", role):
			profile = frappe.get_doc("Module Profile", role)
			if sorted(b.module for b in profile.block_modules) == blocked:
				continue
			profile.set("block_modules", [])
		else:
			profile = frappe.new_doc("Module Profile")
			profile.module_profile_name = role
		for module in blocked:
			profile.append("block_modules", {"module": module})
		profile.save(ignore_permissions=True)


def delete_roles() -> None:
	for role in ERPNEXT_PERMISSIONS:
		frappe.db.delete("Custom DocPerm", {"role": role})
	for role in MODULE_PROFILES:
		if frappe.db.exists("Module Profile", role):
			frappe.delete_doc("Module Profile", role, ignore_permissions=True, force=True)
	for spec in KORUS_ROLES:
		if frappe.db.exists("Role", spec["role_name"]):
			frappe.delete_doc("Role", spec["role_name"], ignore_permissions=True, force=True)
