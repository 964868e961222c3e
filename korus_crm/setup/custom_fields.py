"""Custom fields Korus CRM adds to ERPNext doctypes, created in code at install and on migrate.

`create_custom_fields(..., update=True)` is idempotent: a second run changes nothing. Options of
`Lead.lead_status` are not set here: they mirror the Lead Status records (korus_crm.boards.lead_board).
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
				"translatable": 1,
				"description": "Korus CRM's configurable status (Korus CRM > Lead Status). Indexed with "
				"`modified` by a composite index (korus_crm.setup.install.INDEXES).",
			},
			{
				"fieldname": "estimated_value",
				"label": "Estimated Value",
				"fieldtype": "Currency",
				"insert_after": "lead_status",
				"in_list_view": 1,
				"non_negative": 1,
			},
			{
				"fieldname": "email_normalized",
				"label": "Email (normalized)",
				"fieldtype": "Data",
				"insert_after": "email_id",
				"hidden": 1,
				"read_only": 1,
				"no_copy": 1,
				"search_index": 1,
				"description": "Trimmed, lower-case email_id: the unique key of a lead's contact email.",
			},
			{
				"fieldname": "section_break_conversion",
				"label": "Conversion",
				"fieldtype": "Section Break",
				"insert_after": "notes",
				"collapsible": 1,
				"depends_on": "eval:doc.converted_on",
			},
			{
				"fieldname": "converted_on",
				"label": "Converted On",
				"fieldtype": "Datetime",
				"insert_after": "section_break_conversion",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "converted_customer",
				"label": "Customer",
				"fieldtype": "Link",
				"options": "Customer",
				"insert_after": "converted_on",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "converted_contact",
				"label": "Contact",
				"fieldtype": "Link",
				"options": "Contact",
				"insert_after": "converted_customer",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "converted_deal",
				"label": "Deal",
				"fieldtype": "Link",
				"options": "Opportunity",
				"insert_after": "converted_contact",
				"read_only": 1,
				"no_copy": 1,
			},
		],
		"Lead Source": [
			{
				"fieldname": "is_active",
				"label": "Active",
				"fieldtype": "Check",
				"default": "1",
				"insert_after": "source_name",
				"in_list_view": 1,
				"description": "Inactive sources cannot be chosen on new leads.",
			},
		],
		"Customer": [
			{
				"fieldname": "office_email",
				"label": "Office Email",
				"fieldtype": "Data",
				"options": "Email",
				"insert_after": "website",
				"unique": 1,
				"in_list_view": 1,
				"description": "The company's own email; unique across customers.",
			},
			{
				"fieldname": "office_phone",
				"label": "Office Phone",
				"fieldtype": "Data",
				"options": "Phone",
				"insert_after": "office_email",
			},
		],
		"Opportunity": [
			{
				"fieldname": "deal_pipeline",
				"label": "Pipeline",
				"fieldtype": "Link",
				"options": "Deal Pipeline",
				"insert_after": "status",
				"in_standard_filter": 1,
				"in_list_view": 1,
				"description": "Deals without a pipeline land in the default pipeline.",
			},
			{
				"fieldname": "deal_stage",
				"label": "Stage",
				"fieldtype": "Link",
				"options": "Deal Stage",
				"insert_after": "deal_pipeline",
				"in_standard_filter": 1,
				"in_list_view": 1,
				"search_index": 1,
			},
			{
				"fieldname": "stage_column",
				"label": "Board Column",
				"fieldtype": "Select",
				"insert_after": "deal_stage",
				"read_only": 1,
				"no_copy": 1,
				"description": "The stage's name, for the pipeline's kanban board (kept in step with Stage).",
			},
			{
				"fieldname": "closed_on",
				"label": "Closed On",
				"fieldtype": "Date",
				"insert_after": "expected_closing",
				"read_only": 1,
				"no_copy": 1,
				"description": "Set when the deal reaches its pipeline's won or lost stage; cleared when it moves back.",
			},
			{
				"fieldname": "section_break_quote_to_cash",
				"label": "Quote to Cash",
				"fieldtype": "Section Break",
				"insert_after": "probability",
				"collapsible": 0,
			},
			{
				"fieldname": "quote_to_cash_html",
				"label": "Quote to Cash",
				"fieldtype": "HTML",
				"insert_after": "section_break_quote_to_cash",
			},
		],
		"Customer Group": [
			{
				"fieldname": "group_code",
				"label": "Group Code",
				"fieldtype": "Data",
				"insert_after": "customer_group_name",
				"unique": 1,
				"in_list_view": 1,
				"in_standard_filter": 1,
			},
			{
				"fieldname": "is_active",
				"label": "Active",
				"fieldtype": "Check",
				"default": "1",
				"insert_after": "group_code",
				"in_list_view": 1,
			},
			{
				"fieldname": "discount_percentage",
				"label": "Discount (%)",
				"fieldtype": "Percent",
				"insert_after": "is_active",
				"in_list_view": 1,
				"description": "Applied to every item sold to the group's customers by ERPNext's pricing engine.",
			},
			{
				"fieldname": "priority",
				"label": "Priority",
				"fieldtype": "Int",
				"insert_after": "discount_percentage",
				"in_list_view": 1,
				"non_negative": 1,
				"description": "Ranks the group; also the priority (1–20) of its Pricing Rule.",
			},
			{
				"fieldname": "customer_count",
				"label": "Customers",
				"fieldtype": "Int",
				"insert_after": "priority",
				"read_only": 1,
				"no_copy": 1,
				"in_list_view": 1,
			},
			{
				"fieldname": "pricing_rule",
				"label": "Pricing Rule",
				"fieldtype": "Link",
				"options": "Pricing Rule",
				"insert_after": "customer_count",
				"read_only": 1,
				"no_copy": 1,
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
