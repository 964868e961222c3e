"""A contract order, once approved, cannot be changed by anyone (seed 003): no field, neither the
"allow on submit" ones nor a custom field an administrator adds later with "allow on submit",
whether saved in code or over REST, by Administrator too. It can still be cancelled."""

from __future__ import annotations

import frappe
import pytest
from frappe.model.workflow import apply_workflow

from korus_crm.exceptions import ApprovedOrderLockedError
from tests.integration.factories import default_company, make_customer, make_selling_item

LOCKED = (ApprovedOrderLockedError, frappe.UpdateAfterSubmitError)


def approved_order(customer: str, item: str):
	order = frappe.get_doc(
		{
			"doctype": "Contract Order",
			"customer": customer,
			"company": default_company(),
			"items": [{"item_code": item, "qty": 1}],
		}
	).insert()
	apply_workflow(order, "Submit for Approval")
	apply_workflow(frappe.get_doc("Contract Order", order.name), "Approve")
	order.reload()
	assert (order.status, order.docstatus) == ("Approved", 1)
	return order


@pytest.fixture
def allow_on_submit_field():
	"""A custom field with "allow on submit" on Contract Order, as Customize Form makes it (its ALTER
	TABLE commits: made before the test's records, removed afterwards)."""
	from frappe.custom.doctype.custom_field.custom_field import create_custom_field

	create_custom_field(
		"Contract Order",
		{
			"fieldname": "custom_delivery_note",
			"label": "Delivery Remark",
			"fieldtype": "Data",
			"allow_on_submit": 1,
			"insert_after": "terms",
		},
	)
	frappe.db.commit()
	frappe.clear_cache(doctype="Contract Order")  # another process may have cached the meta before
	yield "custom_delivery_note"
	frappe.db.rollback()
	frappe.delete_doc(
		"Custom Field", "Contract Order-custom_delivery_note", force=True, ignore_permissions=True
	)
	frappe.db.commit()
	frappe.db.sql_ddl("alter table `tabContract Order` drop column `custom_delivery_note`")
	frappe.clear_cache(doctype="Contract Order")


def test_no_field_of_an_approved_order_changes(allow_on_submit_field):
	order = approved_order(make_customer().name, make_selling_item())
	changes = {
		"signature": "data:image/png;base64,iVBORw0KGgo=",
		"confirmed_by": "Guest",
		allow_on_submit_field: "changed later",
		"sales_invoice": None,
		"title": "Another title",
	}
	for field, value in changes.items():
		doc = frappe.get_doc("Contract Order", order.name)
		doc.set(field, value)
		with pytest.raises(LOCKED):
			doc.save()
	doc = frappe.get_doc("Contract Order", order.name)
	doc.items[0].qty = 5
	with pytest.raises(LOCKED):
		doc.save()
	doc = frappe.get_doc("Contract Order", order.name)
	with pytest.raises(LOCKED):
		frappe.client.set_value("Contract Order", order.name, allow_on_submit_field, "x")
	# saving it unchanged is harmless; cancelling stays possible
	doc.save()
	apply_workflow(frappe.get_doc("Contract Order", order.name), "Cancel")
	assert frappe.db.get_value("Contract Order", order.name, "docstatus") == 2


def test_a_draft_order_still_changes():
	order = frappe.get_doc(
		{
			"doctype": "Contract Order",
			"customer": make_customer().name,
			"company": default_company(),
			"items": [{"item_code": make_selling_item(), "qty": 1}],
		}
	).insert()
	order.title = "Renamed"
	order.items[0].qty = 3
	order.save()
	assert frappe.db.get_value("Contract Order", order.name, "title") == "Renamed"


@pytest.fixture
def on_delivery():
	"""Invoicing on delivery (the approval makes the Sales Order only), committed for REST."""
	before = frappe.db.get_single_value("Korus CRM Settings", "invoicing")
	frappe.db.set_single_value("Korus CRM Settings", "invoicing", "On Delivery")
	frappe.db.commit()
	yield
	frappe.db.set_single_value("Korus CRM Settings", "invoicing", before or "On Approval")
	frappe.db.commit()


def test_administrator_cannot_change_an_approved_order_over_rest(frappe_site, committed, on_delivery):
	"""Administrator over REST, with a Korus API key of their own (made for the test, deleted after)."""
	from frappe.utils import add_days, today

	from korus_crm.api_keys import create_api_key
	from tests.integration.test_api_keys import KeyClient

	customer = make_customer().name
	item = make_selling_item()
	committed.add("Customer", customer)
	committed.add("Item", item)
	for price in frappe.get_all("Item Price", filters={"item_code": item}, pluck="name"):
		committed.add("Item Price", price)
	order = approved_order(customer, item)
	committed.add("Contract Order", order.name)
	sales_order = order.sales_order
	committed.afterwards(
		lambda: frappe.delete_doc("Sales Order", sales_order, force=True, ignore_permissions=True)
	)
	key = create_api_key("Korus test: approved orders", add_days(today(), 1))
	committed.add("Korus API Key", key["name"])
	frappe.db.commit()

	client = KeyClient(frappe_site, key["api_key"], key["api_secret"])
	assert client.get(f"/api/resource/Contract Order/{order.name}").status_code == 200
	for body in ({"signature": "data:image/png;base64,iVBORw0KGgo="}, {"title": "Changed"}, {"terms": "x"}):
		response = client.put(f"/api/resource/Contract Order/{order.name}", body)
		assert response.status_code == 417, (body, response.status_code, response.text)
	response = client.post(
		"/api/method/frappe.client.set_value",
		{"doctype": "Contract Order", "name": order.name, "fieldname": "signature", "value": "x"},
	)
	assert response.status_code == 417, response.text
	frappe.db.rollback()
	assert frappe.db.get_value("Contract Order", order.name, ["title", "signature"]) == (
		order.title,
		order.signature,
	)
