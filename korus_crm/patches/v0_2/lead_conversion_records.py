"""Lead conversions were kept in Link fields on ERPNext's Lead (converted_customer, _contact, _deal),
which changed the order in which Frappe's test runner builds ERPNext's own test records. They are
Lead Conversion records now: one per converted lead, made here from the old columns."""

import frappe


def execute() -> None:
	if not frappe.db.has_column("Lead", "converted_on"):
		return
	rows = frappe.db.get_all(
		"Lead",
		filters={"converted_on": ("is", "set")},
		fields=[
			"name",
			"converted_on",
			"converted_customer",
			"converted_contact",
			"converted_deal",
			"modified_by",
		],
	)
	for row in rows:
		if frappe.db.exists("Lead Conversion", row.name):
			continue
		frappe.get_doc(
			{
				"doctype": "Lead Conversion",
				"lead": row.name,
				"customer": row.converted_customer
				if frappe.db.exists("Customer", row.converted_customer)
				else None,
				"contact": row.converted_contact
				if frappe.db.exists("Contact", row.converted_contact)
				else None,
				"deal": row.converted_deal if frappe.db.exists("Opportunity", row.converted_deal) else None,
				"converted_on": row.converted_on,
				"converted_by": row.modified_by,
			}
		).insert(ignore_permissions=True, ignore_links=True)
