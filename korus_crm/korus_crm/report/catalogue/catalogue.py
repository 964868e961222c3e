# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Catalogue (seed 001 "Produkty i usługi", seed 003 catalogue items): ERPNext's Items, products and
services, with their purchase and sale price (Item Prices of the Buying and Selling Settings' price
lists), margin, stock and status, a page at a time. Rows: korus_crm.catalogue.listing; bulk actions
on the ticked rows: korus_crm.catalogue.bulk (docs/catalogue.md)."""

from typing import Literal

import frappe
from frappe import _

from korus_crm.boundary import report_filters
from korus_crm.catalogue.listing import catalogue
from korus_crm.rules import catalogue as rules

FILTERS = {
	"item_group": str | None,
	"status": Literal[rules.STATUSES] | None,  # type: ignore[valid-type]
	"text": str | None,
	"page": int | None,
	"page_size": int | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	data, more = catalogue(filters)
	offset, _size = rules.page_bounds(filters.page, filters.page_size)
	message = None
	if more:
		message = _("Items {0} to {1} are shown; more are on the next page.").format(
			offset + 1, offset + len(data)
		)
	return columns(), data, message


def columns() -> list[dict]:
	return [
		{
			"fieldname": "item_code",
			"label": _("Item Code"),
			"fieldtype": "Link",
			"options": "Item",
			"width": 150,
		},
		{"fieldname": "item_name", "label": _("Item Name"), "fieldtype": "Data", "width": 200},
		{
			"fieldname": "item_group",
			"label": _("Item Group"),
			"fieldtype": "Link",
			"options": "Item Group",
			"width": 130,
		},
		{"fieldname": "kind", "label": _("Type"), "fieldtype": "Data", "width": 90},
		{"fieldname": "stock_uom", "label": _("Unit"), "fieldtype": "Link", "options": "UOM", "width": 70},
		{
			"fieldname": "buying_price",
			"label": _("Purchase Price"),
			"fieldtype": "Currency",
			"options": "buying_currency",
			"width": 120,
		},
		{
			"fieldname": "selling_price",
			"label": _("Sale Price"),
			"fieldtype": "Currency",
			"options": "selling_currency",
			"width": 120,
		},
		{
			"fieldname": "margin",
			"label": _("Margin"),
			"fieldtype": "Currency",
			"options": "selling_currency",
			"width": 110,
		},
		{"fieldname": "margin_percent", "label": _("Margin (%)"), "fieldtype": "Percent", "width": 90},
		{"fieldname": "stock_qty", "label": _("Stock"), "fieldtype": "Float", "width": 90},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "buying_currency",
			"label": _("Purchase Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
		{
			"fieldname": "selling_currency",
			"label": _("Sale Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]
