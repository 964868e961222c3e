"""Custom fields Korus CRM adds to ERPNext doctypes, created in code at install and on migrate.

`create_custom_fields(..., update=True)` is idempotent: a second run changes nothing.
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

MODULE = "Korus CRM"


def get_custom_fields() -> dict[str, list[dict]]:
	return {
		"Lead": [
			{
				"fieldname": "lead_status",
				"label": "Lead Status",
				"fieldtype": "Select",
				"insert_after": "status",
				"in_standard_filter": 1,
				"in_list_view": 1,
				"search_index": 1,
				"translatable": 1,
				"description": "Korus CRM's configurable status (Korus CRM > Lead Status).",
			},
		],
	}


def make_custom_fields() -> None:
	fields = get_custom_fields()
	for doctype_fields in fields.values():
		for df in doctype_fields:
			df.setdefault("module", MODULE)
	create_custom_fields(fields, ignore_validate=True, update=True)


def delete_custom_fields() -> None:
	for doctype, doctype_fields in get_custom_fields().items():
		for df in doctype_fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)
