"""Bulk actions on catalogue items (seed 003: "Bulk Actions: Update prices, categories, or archive
status"), from the Catalogue report's ticked rows: change the buying or selling price by a percentage
or to a value, archive or unarchive, export.

A price is an ERPNext Item Price of the price list of Buying or Selling Settings (the one the
catalogue shows, korus_crm.rules.catalogue.pick_price): it is changed, or made when setting a value
of an item without one, as a document, so ERPNext's validations and the user's permissions apply.
Archiving sets Item.disabled through a save of the Item. The input is checked before anything is
done (a bad percentage or price, an unknown item: 417, nothing changed); then each item is processed
on its own (korus_crm.deals.bulk.process_each: a refused item is reported with its reason, the others
go on). Up to rules.bulk.INLINE_LIMIT items run in the request; more go to a background job on the
"long" queue that publishes its progress and tells the user when it is done.
"""

from __future__ import annotations

from typing import Literal

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from korus_crm import jobs
from korus_crm.boundary import whitelist
from korus_crm.catalogue import listing
from korus_crm.deals.bulk import check_selection, process_each, run_in_job, run_or_enqueue
from korus_crm.exceptions import CatalogueError
from korus_crm.rules import bulk as bulk_rules
from korus_crm.rules import catalogue as rules

DOCTYPE = "Item"
EXPORT_COLUMNS = (
	("item_code", "Item Code"),
	("item_name", "Item Name"),
	("item_group", "Item Group"),
	("kind", "Type"),
	("stock_uom", "Unit"),
	("buying_price", "Purchase Price"),
	("buying_currency", "Purchase Currency"),
	("selling_price", "Sale Price"),
	("selling_currency", "Sale Currency"),
	("margin", "Margin"),
	("margin_percent", "Margin (%)"),
	("stock_qty", "Stock"),
	("status", "Status"),
)


@whitelist(methods=["POST"])
def run(
	action: Literal[rules.ACTIONS],  # type: ignore[valid-type]
	items: list[str],
	price: Literal[rules.PRICES] | None = None,  # type: ignore[valid-type]
	mode: Literal[rules.MODES] | None = None,  # type: ignore[valid-type]
	value: float | None = None,
) -> dict:
	"""Run `action` on the catalogue items `items`. Returns how many were done and which were refused
	and why; or, for a large selection, that a background job runs it (`queued`); for an export the
	columns and rows."""
	frappe.has_permission(DOCTYPE, "read", throw=True)
	if action == rules.EXPORT:
		return export(check_items(items))
	check_permission(action, mode)
	items = check_items(items)
	args = check_change(price, mode, value) if action == rules.CHANGE_PRICE else {}
	return run_or_enqueue("korus_crm.catalogue.bulk.run_job", action, items, args, process, key="items")


def check_items(items: list[str]) -> list[str]:
	items = check_selection(
		items,
		{
			"empty": _("Select at least one item."),
			"too many": _("Select at most {0} items at a time.").format(bulk_rules.MAX_NAMES),
			"blank": _("A selected item has no code."),
		},
		CatalogueError,
	)
	known = set(frappe.get_all(DOCTYPE, filters={"name": ("in", items)}, pluck="name"))
	unknown = [i for i in items if i not in known]
	if unknown:
		frappe.throw(_("{0} is not an item.").format(frappe.bold(unknown[0])), CatalogueError)
	return items


def check_change(price: str | None, mode: str | None, value: float | None) -> dict:
	problem = rules.change_problem(price, mode, value)
	if problem == "price":
		frappe.throw(_("Choose the purchase or the sale price."), CatalogueError)
	if problem == "mode":
		frappe.throw(_("Choose a change by a percentage or to a value."), CatalogueError)
	if problem == "value":
		frappe.throw(_("Enter the percentage or the new price."), CatalogueError)
	if problem == "percent":
		frappe.throw(_("A price cannot go down by more than 100%."), CatalogueError)
	if problem == "negative":
		frappe.throw(_("A price cannot be negative."), CatalogueError)
	return {"price": price, "mode": mode, "value": value}


def check_permission(action: str, mode: str | None) -> None:
	"""Prices are changed by who may write Item Prices (and make them, to set a value); items are
	archived by who may write Items. Each record is saved with the user's permissions as well."""
	if action != rules.CHANGE_PRICE:
		frappe.has_permission(DOCTYPE, "write", throw=True)
		return
	frappe.has_permission("Item Price", "write", throw=True)
	if mode != rules.PERCENT:  # an item without a price gets one
		frappe.has_permission("Item Price", "create", throw=True)


def action_label(action: str) -> str:
	return {
		rules.CHANGE_PRICE: "Change Price",
		rules.ARCHIVE: "Archive",
		rules.UNARCHIVE: "Unarchive",
		rules.EXPORT: "Export",
	}[action]


# --- processing ---


def process(action: str, items: list[str], args: dict, progress: bool = False, checkpoint=None) -> dict:
	title = _("{0}: catalogue items").format(_(action_label(action)))
	return {"action": action, **process_each(items, ACTIONS[action], args, title, progress, checkpoint)}


@jobs.job
def run_job(action: str, items: list[str], args: dict) -> dict:
	"""The background job of a large selection (runs as the user who asked; korus_crm.deals.bulk.run_in_job)."""
	return run_in_job(
		DOCTYPE,
		items,
		lambda checkpoint: process(action, items, args, progress=True, checkpoint=checkpoint),
		lambda r: _("{0} on {1} catalogue items: {2} done, {3} refused.").format(
			_(action_label(action)), r["total"], r["done"], len(r["failed"])
		),
	)


def change_price(item_code: str, args: dict) -> None:
	"""Change the item's price of the price list (its Item Price), or make one when setting a value."""
	price_list = listing.price_list(args["price"])
	stock_uom = frappe.db.get_value(DOCTYPE, item_code, "stock_uom")
	rows = frappe.get_all(
		"Item Price",
		filters={
			"item_code": item_code,
			"price_list": price_list,
			"customer": ("is", "not set"),
			"supplier": ("is", "not set"),
			"batch_no": ("is", "not set"),
		},
		fields=["name", "uom", "valid_from", "valid_upto", "packing_unit", "price_list_rate"],
	)
	current = rules.pick_price(rows, stock_uom, getdate(nowdate()))
	if current:
		doc = frappe.get_doc("Item Price", current["name"])
		new = rules.new_price(doc.price_list_rate, args["mode"], args["value"], precision(doc))
		doc.price_list_rate = new
		doc.save()
		return
	if args["mode"] == rules.PERCENT:
		frappe.throw(_("{0} has no price in {1} to change.").format(item_code, price_list), CatalogueError)
	doc = frappe.new_doc("Item Price")
	doc.update({"item_code": item_code, "price_list": price_list, "uom": stock_uom})
	doc.price_list_rate = rules.new_price(None, rules.VALUE, args["value"], precision(doc))
	doc.insert()


def precision(doc) -> int:
	return doc.precision("price_list_rate") or 2


def set_disabled(item_code: str, disabled: int) -> None:
	doc = frappe.get_doc(DOCTYPE, item_code)
	doc.check_permission("write")
	if doc.disabled != disabled:
		doc.disabled = disabled
		doc.save()


ACTIONS = {
	rules.CHANGE_PRICE: change_price,
	rules.ARCHIVE: lambda item_code, args: set_disabled(item_code, 1),
	rules.UNARCHIVE: lambda item_code, args: set_disabled(item_code, 0),
}


# --- export ---


@frappe.read_only()
def export(items: list[str]) -> dict:
	"""The selected items as the catalogue shows them, as columns and rows (the desk downloads CSV)."""
	frappe.has_permission(DOCTYPE, "export", throw=True)
	rows, _more = listing.catalogue(frappe._dict(status=rules.ALL), names=items)
	return {
		"action": rules.EXPORT,
		"total": len(items),
		"columns": [_(label) for _f, label in EXPORT_COLUMNS],
		"rows": [[row.get(f) for f, _label in EXPORT_COLUMNS] for row in rows],
		"queued": False,
	}
