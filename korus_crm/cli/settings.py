"""`korus export-settings` / `import-settings` / `reset-settings`: the CRM configuration as one JSON
document. The lead statuses, pipelines and stages travel as the desk's export does
(korus_crm.api.settings, format korus_crm.rules.settings_io); the commands add the Korus CRM
Settings values and the data scopes of the roles (Korus Role Scope), under keys the desk's import
ignores, so that either import reads either export."""

from __future__ import annotations

import frappe
from frappe.model import no_value_fields

from korus_crm.api import settings as desk
from korus_crm.rules import settings_io
from korus_crm.rules.scope import ALL
from korus_crm.setup.roles import DEFAULT_DOCTYPE_SCOPES, DEFAULT_SCOPES

SETTINGS = "Korus CRM Settings"
ROLE_SCOPE = "Korus Role Scope"


def settings_fields() -> list:
	return [df for df in frappe.get_meta(SETTINGS).fields if df.fieldtype not in no_value_fields]


def export_all() -> dict:
	"""The desk's export, plus "settings" (Korus CRM Settings) and "role_scopes"."""
	data = desk.export_settings()
	settings = frappe.get_single(SETTINGS)
	data["settings"] = {df.fieldname: settings.get(df.fieldname) for df in settings_fields()}
	data["role_scopes"] = [
		{
			"role": name,
			"default_scope": doc.default_scope,
			"description": doc.description,
			"rules": [{"document_type": r.document_type, "scope": r.scope} for r in doc.rules],
		}
		for name in frappe.get_all(ROLE_SCOPE, pluck="name", order_by="name asc")
		for doc in (frappe.get_doc(ROLE_SCOPE, name),)
	]
	return data


def check(data: object) -> dict:
	"""The document, checked (settings_io.SettingsFormatError otherwise)."""
	doc = settings_io.check_export(data)
	if not isinstance(doc.get("settings", {}), dict):
		raise settings_io.SettingsFormatError("'settings' is not an object")
	scopes = doc.get("role_scopes", [])
	if not isinstance(scopes, list) or not all(isinstance(s, dict) and s.get("role") for s in scopes):
		raise settings_io.SettingsFormatError("'role_scopes' is not a list of role scopes")
	return doc


def import_all(data: dict) -> dict:
	"""Create or update what the document holds (matched by name; nothing is deleted). A record
	that breaks a rule raises, and nothing of the import is kept."""
	doc = check(data)
	frappe.db.savepoint("korus_cli_import_settings")
	try:
		done = desk.import_settings(doc)
		if "settings" in doc:
			import_values(doc["settings"])
			done["settings"] = sorted(doc["settings"])
		done["role_scopes"] = [upsert_role_scope(s) for s in doc.get("role_scopes", [])]
	except Exception:
		frappe.db.rollback(save_point="korus_cli_import_settings")
		raise
	return done


def import_values(values: dict) -> None:
	settings = frappe.get_single(SETTINGS)
	known = {df.fieldname for df in settings_fields()}
	settings.update({k: v for k, v in values.items() if k in known})
	settings.save()


def upsert_role_scope(values: dict) -> str:
	role = values["role"]
	doc = (
		frappe.get_doc(ROLE_SCOPE, role) if frappe.db.exists(ROLE_SCOPE, role) else frappe.new_doc(ROLE_SCOPE)
	)
	doc.role = role
	doc.default_scope = values.get("default_scope") or ALL
	if "description" in values:
		doc.description = values["description"]
	doc.set(
		"rules",
		[
			{"document_type": r.get("document_type"), "scope": r.get("scope")}
			for r in values.get("rules") or []
		],
	)
	doc.save()
	return doc.name


def reset_all() -> dict:
	"""Back to Korus's defaults: the desk's reset (statuses and the default pipeline), Korus CRM
	Settings' field defaults, and the shipped roles' data scopes. Other statuses, pipelines and role
	scopes are kept."""
	frappe.db.savepoint("korus_cli_reset_settings")
	try:
		done = desk.reset_settings()
		import_values({df.fieldname: df.default for df in settings_fields()})
		done["settings"] = [df.fieldname for df in settings_fields()]
		done["role_scopes"] = [
			upsert_role_scope(
				{
					"role": role,
					"default_scope": DEFAULT_SCOPES.get(role, ALL),
					"rules": [
						{"document_type": d, "scope": s}
						for d, s in DEFAULT_DOCTYPE_SCOPES.get(role, {}).items()
					],
				}
			)
			for role in sorted({*DEFAULT_SCOPES, *DEFAULT_DOCTYPE_SCOPES})
		]
	except Exception:
		frappe.db.rollback(save_point="korus_cli_reset_settings")
		raise
	return done
