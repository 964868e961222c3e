"""The rows of the Catalogue report (docs/catalogue.md): a page of Items with their buying and
selling price, margin, stock and status.

Three reads, each over an index, for one page (at most rules.MAX_PAGE_SIZE items): the page of Items
in name order (filters on `disabled` and `item_group`, both indexed; the user's read conditions on
Item added, since Script Reports do not apply permission queries), their general Item Prices of the
two price lists (index on `item_code`), and their stock: one GROUP BY over Bin (unique index
`(item_code, warehouse)`). Prices are shown to users who may read Item Price; stock to those who may
read Item (a sum over warehouses, not a ledger).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate

from korus_crm.analytics.reports import read_conditions
from korus_crm.rules import catalogue as rules

ITEM = "`tabItem`"


def price_list(price: str) -> str:
	"""The price list of the buying or selling price: Buying / Selling Settings', else the standard one."""
	setting = (
		("Buying Settings", "buying_price_list")
		if price == rules.BUYING
		else ("Selling Settings", "selling_price_list")
	)
	return frappe.db.get_single_value(*setting) or rules.DEFAULT_PRICE_LIST[price]


def catalogue(filters, names: list[str] | None = None) -> tuple[list[dict], bool]:
	"""The page of the catalogue the filters ask for (or the items `names`), and whether more follow."""
	values: dict = {}
	where = read_conditions("Item")
	status = filters.get("status") or rules.ACTIVE
	if status != rules.ALL:
		values["disabled"] = 1 if status == rules.ARCHIVED else 0
		where += f" and {ITEM}.disabled = %(disabled)s"
	if filters.get("item_group"):
		lft, rgt = frappe.db.get_value("Item Group", filters.item_group, ["lft", "rgt"]) or (0, -1)
		values.update(lft=lft, rgt=rgt)
		where += (
			f" and {ITEM}.item_group in (select `tabItem Group`.name from `tabItem Group`"
			" where `tabItem Group`.lft >= %(lft)s and `tabItem Group`.rgt <= %(rgt)s)"
		)
	if filters.get("text"):
		text = filters.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
		values["text"] = f"%{text}%"
		where += f" and ({ITEM}.name like %(text)s or {ITEM}.item_name like %(text)s)"
	if names is not None:
		values["names"] = tuple(names) or ("",)
		where += f" and {ITEM}.name in %(names)s"
	offset, limit = rules.page_bounds(filters.get("page"), filters.get("page_size"))
	if names is not None:
		offset, limit = 0, len(names) or 1
	values.update(offset=offset, limit=limit + 1)
	items = frappe.db.sql(
		f"""select {ITEM}.name as item_code, {ITEM}.item_name, {ITEM}.item_group, {ITEM}.is_stock_item,
			{ITEM}.stock_uom, {ITEM}.disabled
		from {ITEM}
		where 1=1{where}
		order by {ITEM}.name
		limit %(limit)s offset %(offset)s""",
		values,
		as_dict=True,
	)
	more = len(items) > limit
	items = items[:limit]
	codes = [i.item_code for i in items]
	lists = {p: price_list(p) for p in rules.PRICES}
	prices = (
		current_prices(codes, lists, {i.item_code: i.stock_uom for i in items}) if can_read_prices() else {}
	)
	stock = stock_of(codes)
	return [row(i, prices, stock) for i in items], more


def can_read_prices() -> bool:
	return bool(frappe.has_permission("Item Price", "read"))


def current_prices(codes: list[str], lists: dict[str, str], stock_uoms: dict[str, str]) -> dict:
	"""{(item_code, buying|selling): Item Price row} of the items `codes` (rules.pick_price)."""
	if not codes:
		return {}
	rows = frappe.db.sql(
		"""select name, item_code, price_list, uom, valid_from, valid_upto, packing_unit,
			price_list_rate, currency
		from `tabItem Price`
		where item_code in %(codes)s and price_list in %(lists)s
			and ifnull(customer, '') = '' and ifnull(supplier, '') = '' and ifnull(batch_no, '') = ''""",
		{"codes": tuple(codes), "lists": tuple(set(lists.values()))},
		as_dict=True,
	)
	today = getdate(nowdate())
	found = {}
	for code in codes:
		for price, name in lists.items():
			mine = [r for r in rows if r.item_code == code and r.price_list == name]
			picked = rules.pick_price(mine, stock_uoms.get(code), today)
			if picked:
				found[(code, price)] = picked
	return found


def stock_of(codes: list[str]) -> dict[str, float]:
	"""The items' actual quantity summed over every warehouse (one GROUP BY over Bin)."""
	if not codes:
		return {}
	return dict(
		frappe.db.sql(
			"""select item_code, sum(actual_qty) from `tabBin`
			where item_code in %(codes)s group by item_code""",
			{"codes": tuple(codes)},
		)
	)


def row(item, prices: dict, stock: dict) -> dict:
	buying, selling = prices.get((item.item_code, rules.BUYING)), prices.get((item.item_code, rules.SELLING))
	buy = flt(buying.price_list_rate) if buying else None
	sell = flt(selling.price_list_rate) if selling else None
	amount, percent = rules.margin(
		buy, sell, buying.currency if buying else None, selling.currency if selling else None
	)
	return {
		"item_code": item.item_code,
		"item_name": item.item_name,
		"item_group": item.item_group,
		"kind": _("Product") if item.is_stock_item else _("Service"),
		"stock_uom": item.stock_uom,
		"buying_price": buy,
		"buying_currency": buying.currency if buying else None,
		"selling_price": sell,
		"selling_currency": selling.currency if selling else None,
		"margin": amount,
		"margin_percent": percent,
		"stock_qty": flt(stock.get(item.item_code)) if item.is_stock_item else None,
		"status": _(rules.ARCHIVED) if item.disabled else _(rules.ACTIVE),
	}
