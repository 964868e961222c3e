"""Factories for the integration tier: each makes one record with sensible defaults (uncommitted
unless the test commits)."""

from __future__ import annotations

import frappe
from frappe.model.document import Document


def unique(prefix: str) -> str:
	return f"{prefix} {frappe.generate_hash(length=6)}"


def make_lead(**values) -> Document:
	first = values.pop("first_name", unique("Lead"))
	return frappe.get_doc({"doctype": "Lead", "first_name": first, **values}).insert()


def make_customer(**values) -> Document:
	return frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": values.pop("customer_name", unique("Company")),
			"customer_type": values.pop("customer_type", "Company"),
			"customer_group": values.pop("customer_group", None) or root_customer_group(),
			"territory": values.pop("territory", None)
			or frappe.db.get_value("Territory", {"is_group": 1}, "name"),
			**values,
		}
	).insert()


def make_customer_group(**values) -> Document:
	return frappe.get_doc(
		{
			"doctype": "Customer Group",
			"customer_group_name": values.pop("customer_group_name", unique("Group")),
			"parent_customer_group": root_customer_group(),
			"is_group": 0,
			**values,
		}
	).insert()


def make_contact(customer: str, email: str | None = None) -> Document:
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": unique("Contact"),
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	)
	if email:
		contact.append("email_ids", {"email_id": email, "is_primary": 1})
	return contact.insert()


def make_lead_source(**values) -> Document:
	return frappe.get_doc({"doctype": "Lead Source", "source_name": unique("Source"), **values}).insert()


def root_customer_group() -> str:
	from frappe.utils.nestedset import get_root_of

	return get_root_of("Customer Group")


def default_company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")


def make_selling_item(rate: float = 100.0) -> str:
	"""A non-stock item with a price in the Standard Selling price list."""
	code = unique("KORUS-ITEM").replace(" ", "-")
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": code,
			"item_name": code,
			"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name") or "Products",
			"stock_uom": "Nos",
			"is_stock_item": 0,
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "Item Price",
			"item_code": code,
			"price_list": selling_price_list(),
			"price_list_rate": rate,
		}
	).insert()
	return code


def selling_price_list() -> str:
	return frappe.db.get_single_value("Selling Settings", "selling_price_list") or "Standard Selling"


def make_pipeline(name: str | None = None, stages: list[dict] | None = None, **values) -> Document:
	stages = stages or [
		{"stage_name": "Open", "is_default": 1, "probability": 20, "color": "#2490EF"},
		{"stage_name": "Proposal", "probability": 60, "color": "#7575FF"},
		{"stage_name": "Won", "is_won": 1, "probability": 100, "color": "#29CD42"},
		{"stage_name": "Lost", "is_lost": 1, "probability": 0, "color": "#E24C4C"},
	]
	return frappe.get_doc(
		{"doctype": "Deal Pipeline", "pipeline_name": name or unique("Pipeline"), "stages": stages, **values}
	).insert()


def stage_of(pipeline: str, stage_name: str) -> str:
	return frappe.db.get_value("Deal Stage", {"pipeline": pipeline, "stage_name": stage_name})


def make_deal(**values) -> Document:
	customer = values.pop("customer", None) or make_customer().name
	return frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer",
			"party_name": customer,
			"company": default_company(),
			"opportunity_amount": values.pop("amount", 1000),
			**values,
		}
	).insert()


def lost_reason(name: str = "Korus Test: Too expensive") -> str:
	if not frappe.db.exists("Opportunity Lost Reason", name):
		frappe.get_doc({"doctype": "Opportunity Lost Reason", "lost_reason": name}).insert()
	return name
