"""The catalogue (seeds 001 "Produkty i usługi" and 003 catalogue items; docs/catalogue.md): the
Catalogue report's prices (Item Prices of the Buying and Selling Settings' price lists), margin and
stock (Bin summed over warehouses) against hand-made records; bulk price changes by a percentage and
to a value read back from Item Price; archive and unarchive; the background path; bad input refused
with nothing changed; a user who may not write items or prices refused."""

from __future__ import annotations

from unittest.mock import patch

import frappe
import pytest
from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry
from frappe.utils import add_days, nowdate

from korus_crm.catalogue import bulk, listing
from korus_crm.exceptions import CatalogueError, InvalidInputError
from korus_crm.jobs import JOBS
from korus_crm.korus_crm.report.catalogue import catalogue as report
from korus_crm.rules import bulk as bulk_rules
from tests.integration.factories import default_company, unique
from tests.integration.support import new_user


def make_group() -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Item Group",
				"item_group_name": unique("Korus Catalogue"),
				"parent_item_group": frappe.db.get_value(
					"Item Group", {"is_group": 1, "parent_item_group": ("is", "not set")}, "name"
				)
				or "All Item Groups",
			}
		)
		.insert()
		.name
	)


def make_item(group: str, stock: bool = True, disabled: int = 0, name: str | None = None) -> str:
	code = (name or unique("KORUS-CAT")).replace(" ", "-")
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": code,
			"item_name": code,
			"item_group": group,
			"stock_uom": "Nos",
			"is_stock_item": int(stock),
			"disabled": disabled,
		}
	).insert()
	return code


def set_price(code: str, price: str, rate: float, **values) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Item Price",
				"item_code": code,
				"price_list": listing.price_list(price),
				"price_list_rate": rate,
				**values,
			}
		)
		.insert()
		.name
	)


def price_of(code: str, price: str) -> list[float]:
	return frappe.get_all(
		"Item Price",
		filters={"item_code": code, "price_list": listing.price_list(price)},
		pluck="price_list_rate",
	)


def rows(**filters) -> dict[str, dict]:
	_columns, data, *_rest = report.execute(filters)
	return {r["item_code"]: r for r in data}


@pytest.fixture
def group():
	return make_group()


class TestReport:
	def test_prices_margin_and_stock(self, group):
		product = make_item(group)
		service = make_item(group, stock=False)
		archived = make_item(group, disabled=1)
		set_price(product, "buying", 60)
		set_price(product, "selling", 100)
		# an expired sale price is not the item's price
		set_price(
			product, "selling", 999, valid_from=add_days(nowdate(), -30), valid_upto=add_days(nowdate(), -1)
		)
		set_price(service, "selling", 50)
		company = default_company()
		warehouses = frappe.get_all(
			"Warehouse", filters={"company": company, "is_group": 0}, pluck="name", limit=2, order_by="name"
		)
		make_stock_entry(item_code=product, target=warehouses[0], qty=5, basic_rate=60, company=company)
		make_stock_entry(item_code=product, target=warehouses[-1], qty=3, basic_rate=60, company=company)

		found = rows(item_group=group)
		assert set(found) == {product, service}
		p, s = found[product], found[service]
		assert (p["buying_price"], p["selling_price"], p["margin"], p["margin_percent"]) == (60, 100, 40, 40)
		assert p["stock_qty"] == 8 and p["status"] == "Active" and p["kind"] == "Product"
		assert (s["buying_price"], s["selling_price"], s["margin"], s["stock_qty"]) == (None, 50, None, None)
		assert s["kind"] == "Service"
		assert set(rows(item_group=group, status="Archived")) == {archived}
		assert set(rows(item_group=group, status="All")) == {product, service, archived}
		assert set(rows(item_group=group, text=service[-6:])) == {service}

	def test_pages(self, group):
		codes = sorted(make_item(group) for _ in range(3))
		_c, first, message, *_r = report.execute({"item_group": group, "page_size": 2})
		assert [r["item_code"] for r in first] == codes[:2] and message
		_c, second, message, *_r = report.execute({"item_group": group, "page_size": 2, "page": 2})
		assert [r["item_code"] for r in second] == codes[2:] and message is None

	def test_a_sales_user_reads_items_but_not_prices(self, group):
		code = make_item(group)
		set_price(code, "selling", 10)
		frappe.set_user(new_user("Sales User"))
		try:
			row = rows(item_group=group)[code]
		finally:
			frappe.set_user("Administrator")
		assert row["selling_price"] is None and row["status"] == "Active"


class TestBulk:
	def test_percentage_and_value_changes_go_through_item_price(self, group):
		a, b = make_item(group), make_item(group, stock=False)
		set_price(a, "selling", 100)
		set_price(a, "buying", 19.99)
		set_price(b, "selling", 50)
		report_ = bulk.run("change_price", [a, b], price="selling", mode="percent", value=10)
		assert (report_["done"], report_["failed"], report_["queued"]) == (2, [], False)
		assert price_of(a, "selling") == [110] and price_of(b, "selling") == [55]
		assert bulk.run("change_price", [a], price="buying", mode="percent", value=-15)["done"] == 1
		assert price_of(a, "buying") == [16.99]
		# a value updates a price or makes one; a percentage of no price is refused for that item
		refused = bulk.run("change_price", [a, b], price="buying", mode="percent", value=5)
		assert refused["done"] == 1 and [f["name"] for f in refused["failed"]] == [b]
		assert bulk.run("change_price", [a, b], price="buying", mode="value", value=30)["done"] == 2
		assert price_of(a, "buying") == [30] and price_of(b, "buying") == [30]
		assert rows(item_group=group)[b]["margin"] == 25

	def test_archive_and_unarchive(self, group):
		codes = [make_item(group), make_item(group)]
		assert bulk.run("archive", codes)["done"] == 2
		assert set(frappe.get_all("Item", filters={"name": ("in", codes)}, pluck="disabled")) == {1}
		assert set(rows(item_group=group)) == set()
		assert bulk.run("unarchive", codes[:1])["done"] == 1
		assert set(rows(item_group=group)) == {codes[0]}

	def test_export_of_the_selection(self, group):
		code = make_item(group)
		set_price(code, "selling", 12)
		out = bulk.run("export", [code])
		row = dict(zip(out["columns"], out["rows"][0], strict=True))
		assert row["Item Code"] == code and row["Sale Price"] == 12


class TestBackground:
	def test_above_the_threshold_a_job_runs_it_with_progress(self, group):
		codes = [make_item(group) for _ in range(3)]
		for code in codes:
			set_price(code, "selling", 10)
		jobs = []
		with (
			patch.object(bulk_rules, "INLINE_LIMIT", 2),
			patch("korus_crm.jobs.enqueue", lambda method, **kwargs: jobs.append((method, kwargs))),
		):
			assert bulk.run("archive", codes[:2])["queued"] is False
			queued = bulk.run("change_price", codes, price="selling", mode="percent", value=50)
		assert queued == {"action": "change_price", "total": 3, "queued": True}
		assert [(m, JOBS[m][0], k["items"], k["args"]) for m, k in jobs] == [
			(
				"korus_crm.catalogue.bulk.run_job",
				"long",
				codes,
				{"price": "selling", "mode": "percent", "value": 50},
			)
		]
		assert all(price_of(c, "selling") == [10] for c in codes)  # nothing done in the request
		progress = []
		with patch("frappe.publish_progress", lambda percent, **kw: progress.append(percent)):
			done = bulk.run_job(**{k: v for k, v in jobs[0][1].items() if k in ("action", "items", "args")})
		assert done["done"] == 3 and progress[-1] == 100
		assert all(price_of(c, "selling") == [15] for c in codes)
		assert frappe.get_all(
			"Notification Log",
			filters={"for_user": "Administrator", "document_name": codes[0]},
			pluck="subject",
		)


class TestRefused:
	def test_bad_input_changes_nothing(self, group):
		code = make_item(group)
		set_price(code, "selling", 40)
		for kwargs in (
			{"items": [code, "NO-SUCH-ITEM"], "price": "selling", "mode": "percent", "value": 10},
			{"items": [code], "price": "selling", "mode": "percent", "value": -100.5},
			{"items": [code], "price": "selling", "mode": "value", "value": -1},
			{"items": [code], "price": "selling", "mode": "percent"},
			{"items": [], "price": "selling", "mode": "value", "value": 1},
		):
			with pytest.raises(CatalogueError):
				bulk.run("change_price", **kwargs)
		with pytest.raises(InvalidInputError):
			bulk.run("change_price", [code], price="list", mode="value", value=1)
		with pytest.raises(CatalogueError):
			bulk.run("archive", [code, "NO-SUCH-ITEM"])
		assert price_of(code, "selling") == [40] and frappe.db.get_value("Item", code, "disabled") == 0

	def test_over_rest(self, api):
		client = api("Item Manager", "Sales Master Manager")
		url = "/api/method/korus_crm.catalogue.bulk.run"
		for body in (
			{"action": "archive", "items": ["NO-SUCH-ITEM"]},
			{
				"action": "change_price",
				"items": ["NO-SUCH-ITEM"],
				"price": "selling",
				"mode": "value",
				"value": 1,
			},
			{"action": "merge", "items": ["x"]},
			{"action": "archive", "items": "not a list"},
		):
			response = client.post(url, body)
			assert response.status_code == 417, (body, response.text)
		seller = api("Sales User")
		for body in (
			{"action": "archive", "items": ["NO-SUCH-ITEM"]},
			{"action": "change_price", "items": ["x"], "price": "selling", "mode": "percent", "value": 5},
		):
			assert seller.post(url, body).status_code == 403
		response = seller.get("/api/method/frappe.desk.query_report.run", {"report_name": "Catalogue"})
		assert response.status_code == 200, response.text

	def test_a_sales_user_cannot_change_or_archive(self, group):
		code = make_item(group)
		set_price(code, "selling", 40)
		frappe.set_user(new_user("Sales User"))
		try:
			with pytest.raises(frappe.PermissionError):
				bulk.run("archive", [code])
			with pytest.raises(frappe.PermissionError):
				bulk.run("change_price", [code], price="selling", mode="value", value=1)
		finally:
			frappe.set_user("Administrator")
		assert price_of(code, "selling") == [40] and frappe.db.get_value("Item", code, "disabled") == 0
