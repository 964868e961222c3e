"""Property setters Korus CRM puts on ERPNext doctypes (list columns and filters), in code."""

import frappe
from frappe.custom.doctype.property_setter.property_setter import make_property_setter

MODULE = "Korus CRM"

# (doctype, fieldname, property, value, property type)
PROPERTY_SETTERS: tuple[tuple[str, str, str, str, str], ...] = (
	# Leads list: contact name and email, company, value, status, source, assigned user
	("Lead", "lead_name", "in_list_view", "1", "Check"),
	("Lead", "email_id", "in_list_view", "1", "Check"),
	("Lead", "source", "in_list_view", "1", "Check"),
	("Lead", "source", "in_standard_filter", "1", "Check"),
	("Lead", "lead_owner", "in_list_view", "1", "Check"),
	("Lead", "territory", "in_list_view", "0", "Check"),
	("Lead", "job_title", "in_list_view", "0", "Check"),
	("Lead", "status", "in_list_view", "0", "Check"),
	# one status and one stage on a form: Korus's (ERPNext's own fields are kept in step by Korus, so
	# ERPNext's reports grouping by them still show Korus's statuses and stages)
	("Lead", "status", "hidden", "1", "Check"),
	("Lead", "status", "in_standard_filter", "0", "Check"),
	("Opportunity", "sales_stage", "hidden", "1", "Check"),
	("Opportunity", "status", "read_only", "1", "Check"),
	# Companies list
	("Customer", "customer_type", "in_standard_filter", "1", "Check"),
	("Customer", "account_manager", "in_list_view", "1", "Check"),
	("Customer", "disabled", "in_standard_filter", "1", "Check"),
	# linking a user to an Employee must not hide the other employees from that user (ERPNext makes
	# a User Permission on Employee when this is checked)
	("Employee", "create_user_permission", "default", "0", "Text"),
)


# (doctype, property, value, property type): properties of whole doctypes
DOCTYPE_PROPERTY_SETTERS: tuple[tuple[str, str, str, str], ...] = (
	# lost reasons show in the user's language in links and lists (the seeded ones are translated)
	("Opportunity Lost Reason", "translated_doctype", "1", "Check"),
)


def make_property_setters() -> None:
	for doctype, prop, value, prop_type in DOCTYPE_PROPERTY_SETTERS:
		if (
			frappe.db.get_value(
				"Property Setter",
				{"doc_type": doctype, "property": prop, "doctype_or_field": "DocType"},
				"value",
			)
			!= value
		):
			make_property_setter(
				doctype, None, prop, value, prop_type, for_doctype=True, validate_fields_for_doctype=False
			)
			frappe.clear_cache(doctype=doctype)
	for doctype, fieldname, prop, value, prop_type in PROPERTY_SETTERS:
		existing = frappe.db.get_value(
			"Property Setter",
			{"doc_type": doctype, "field_name": fieldname, "property": prop},
			["name", "value"],
			as_dict=True,
		)
		if existing and existing.value == value:
			continue
		if existing:
			frappe.db.set_value("Property Setter", existing.name, "value", value)
		else:
			ps = make_property_setter(
				doctype, fieldname, prop, value, prop_type, validate_fields_for_doctype=False
			)
			frappe.db.set_value("Property Setter", ps.name, "module", MODULE)
		frappe.clear_cache(doctype=doctype)


def delete_property_setters() -> None:
	for doctype, prop, _value, _type in DOCTYPE_PROPERTY_SETTERS:
		for name in frappe.get_all(
			"Property Setter",
			filters={"doc_type": doctype, "property": prop, "doctype_or_field": "DocType"},
			pluck="name",
		):
			frappe.delete_doc("Property Setter", name, ignore_permissions=True, force=True)
	for doctype, fieldname, prop, _value, _type in PROPERTY_SETTERS:
		for name in frappe.get_all(
			"Property Setter",
			filters={"doc_type": doctype, "field_name": fieldname, "property": prop, "module": MODULE},
			pluck="name",
		):
			frappe.delete_doc("Property Setter", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)
