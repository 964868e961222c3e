"""Custom fields Korus CRM adds to ERPNext doctypes, created in code at install and on migrate.

`create_custom_fields(..., update=True)` is idempotent: a second run changes nothing.
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from korus_crm.rules.scope import BRANCH_FIELD, DEPARTMENT_FIELD, SCOPED

MODULE = "Korus CRM"


# The modules that add fields of their own feature (each: `fields() -> {doctype: [field, ...]}` and
# `INDEXES`, as korus_crm.setup.install.INDEXES).
FEATURE_FIELDS = (
	"korus_crm.setup.campaigns",
	"korus_crm.setup.customers",
	"korus_crm.setup.follow_ups",
	"korus_crm.setup.recycle_bin",
	"korus_crm.setup.calendar",
	"korus_crm.setup.analytics",
	"korus_crm.setup.analytics_targets",
	"korus_crm.setup.rotting",
	"korus_crm.setup.analytics_reports",
	"korus_crm.setup.field_service",
	"korus_crm.setup.vehicles",
	"korus_crm.setup.finance",
	"korus_crm.setup.invoices",
)


def get_custom_fields() -> dict[str, list[dict]]:
	fields = crm_fields()
	features = [frappe.get_module(module).fields() for module in FEATURE_FIELDS]
	for extra in (scope_fields(), *features):
		for doctype, doctype_fields in extra.items():
			fields.setdefault(doctype, []).extend(doctype_fields)
	return fields


def scope_fields() -> dict[str, list[dict]]:
	"""Each scoped doctype's data scope columns (korus_crm.rules.scope): its owner's department and
	branch, stamped from the owner's Employee; Contact also gets an owner."""
	fields: dict[str, list[dict]] = {
		"Contact": [
			{
				"fieldname": "korus_owner",
				"label": "Owner",
				"fieldtype": "Link",
				"options": "User",
				"default": "__user",
				"insert_after": "company_name",
				"in_standard_filter": 1,
				"description": "Who looks after this contact; its department and branch decide who else sees it.",
			}
		]
	}
	for doctype, scoped in SCOPED.items():
		fields.setdefault(doctype, []).extend(
			[
				{
					"fieldname": BRANCH_FIELD,
					"label": "Branch",
					"fieldtype": "Link",
					"options": "Branch",
					"insert_after": scoped.owner_field,
					"read_only": 1,
					"in_standard_filter": 1,
					"description": "The owner's branch (from their Employee record).",
				},
				{
					"fieldname": DEPARTMENT_FIELD,
					"label": "Department",
					"fieldtype": "Link",
					"options": "Department",
					"insert_after": BRANCH_FIELD,
					"read_only": 1,
					"description": "The owner's department (from their Employee record).",
				},
			]
		)
	return fields


def crm_fields() -> dict[str, list[dict]]:
	return {
		"Lead": [
			{
				"fieldname": "lead_status",
				"label": "Status",
				"fieldtype": "Link",
				"options": "Lead Status",
				"insert_after": "status",
				"in_standard_filter": 1,
				"in_list_view": 1,
				"description": "Where the lead stands. The statuses are set up in Korus CRM > Lead Status.",
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
				"description": "The email as it is compared to find duplicates (trimmed, lower case).",
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
			{
				"fieldname": "contact_count",
				"label": "Contacts",
				"fieldtype": "Int",
				"insert_after": "office_phone",
				"read_only": 1,
				"no_copy": 1,
				"in_list_view": 1,
				"description": "The number of contacts linked to this customer.",
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
		],
		# seed 000 "Branch Management", seed 004 组织管理: what ERPNext's Branch and Department lack
		"Branch": [
			{
				"fieldname": "company",
				"label": "Company",
				"fieldtype": "Link",
				"options": "Company",
				"insert_after": "branch",
				"in_list_view": 1,
				"in_standard_filter": 1,
			},
			{
				"fieldname": "is_active",
				"label": "Active",
				"fieldtype": "Check",
				"default": "1",
				"insert_after": "company",
				"in_list_view": 1,
			},
			{
				"fieldname": "manager",
				"label": "Manager",
				"fieldtype": "Link",
				"options": "User",
				"insert_after": "is_active",
				"in_list_view": 1,
			},
			{
				"fieldname": "phone",
				"label": "Phone",
				"fieldtype": "Data",
				"options": "Phone",
				"insert_after": "manager",
			},
			{
				"fieldname": "address",
				"label": "Address",
				"fieldtype": "Small Text",
				"insert_after": "phone",
			},
		],
		"Department": [
			{
				"fieldname": "korus_head",
				"label": "Head",
				"fieldtype": "Link",
				"options": "User",
				"insert_after": "parent_department",
				"in_list_view": 1,
				"description": "Approves what the department's approval routes send to its head.",
			},
		],
		"Pricing Rule": [
			{
				"fieldname": "korus_group_discount",
				"label": "Customer Group Discount",
				"fieldtype": "Check",
				"insert_after": "customer_group",
				"read_only": 1,
				"no_copy": 1,
				"description": "Maintained from the customer group's Discount (%): change it there.",
			},
		],
	}


# Fields earlier versions added and that are gone now (removed on migrate).
OBSOLETE_FIELDS: dict[str, tuple[str, ...]] = {
	# a lead's conversion is a Lead Conversion record (Links on Lead changed the order in which
	# Frappe's test runner builds ERPNext's own test records)
	"Lead": (
		"section_break_conversion",
		"converted_on",
		"converted_customer",
		"converted_contact",
		"converted_deal",
	),
	# the group's Pricing Rule is marked with Pricing Rule.korus_group_discount instead
	"Customer Group": ("pricing_rule",),
	# the board is Korus's own page, which needs no Select mirror of the stage
	"Opportunity": ("stage_column",),
}


def make_custom_fields() -> None:
	fields = get_custom_fields()
	for doctype_fields in fields.values():
		for df in doctype_fields:
			df.setdefault("module", MODULE)
	create_custom_fields(fields, ignore_validate=True, update=True)


def delete_custom_fields() -> None:
	for doctype, doctype_fields in get_custom_fields().items():
		delete_fields(doctype, [df["fieldname"] for df in doctype_fields])


def delete_obsolete_fields() -> None:
	for doctype, fieldnames in OBSOLETE_FIELDS.items():
		delete_fields(doctype, fieldnames)


def delete_fields(doctype: str, fieldnames) -> None:
	names = frappe.get_all(
		"Custom Field", filters={"dt": doctype, "fieldname": ("in", list(fieldnames))}, pluck="name"
	)
	for name in names:
		frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
	if names:
		frappe.clear_cache(doctype=doctype)
