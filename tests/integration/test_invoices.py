"""Invoices on ERPNext's books (docs/invoices.md): a Sales Invoice printed through Korus's format; a
correction invoice (ERPNext's return against it) that needs a reason and prints each line before and
after; the pro forma invoice of a Sales Order and of a Contract Order, numbered once."""

from __future__ import annotations

import re

import frappe
import pytest
from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return
from frappe.utils import add_days, flt, nowdate

from korus_crm.exceptions import CorrectionReasonRequiredError, ProFormaNumberError
from korus_crm.invoices.proforma import assign_proforma_number
from korus_crm.rules import invoices as rules
from tests.integration.factories import default_company, make_customer, unique
from tests.integration.selling_setup import account, make_stock_item, make_tax_account
from tests.integration.support import ApiClient, make_user

REASON = "Two units arrived damaged"


@pytest.fixture
def world():
	"""A customer (no group discount: ERPNext's prices stand), a stocked item priced 200."""
	company = default_company()
	return frappe._dict(
		company=company,
		currency=frappe.get_cached_value("Company", company, "default_currency"),
		customer=make_customer().name,
		item=make_stock_item(company, rate=200),
		warehouse=account(company, "Stores"),
	)


def make_invoice(world, qty=3, rate=200, update_stock=0, submit=True):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": world.customer,
			"company": world.company,
			"currency": world.currency,
			"posting_date": nowdate(),
			"due_date": add_days(nowdate(), 14),
			"update_stock": update_stock,
			"ignore_pricing_rule": 1,
			"items": [
				{"item_code": world.item, "qty": qty, "rate": rate, "warehouse": world.warehouse},
			],
			"taxes": [
				{
					"charge_type": "On Net Total",
					"account_head": make_tax_account(world.company),
					"description": "VAT",
					"rate": 20,
				}
			],
		}
	)
	doc.items[0].price_list_rate = rate
	doc.insert()
	if submit:
		doc.submit()
	return doc


def make_correction(invoice, qty=-1, reason=REASON, submit=True):
	doc = make_sales_return(invoice.name)
	doc.items[0].qty = qty
	doc.korus_correction_reason = reason
	doc.insert()
	if submit:
		doc.submit()
	return doc


def text(html: str) -> str:
	return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def cell(html: str, css: str) -> list[str]:
	return [text(c).strip() for c in re.findall(rf'class="[^"]*\b{css}\b[^"]*">(.*?)</td>', html, re.S)]


def money(value, doc) -> str:
	return frappe.format(value, {"fieldtype": "Currency", "options": "currency"}, doc)


class TestSalesInvoice:
	def test_the_korus_format_prints_erpnexts_figures(self, world):
		invoice = make_invoice(world)
		html = frappe.get_print("Sales Invoice", invoice.name, rules.SALES_INVOICE_FORMAT)
		assert invoice.name in html and world.item in html
		assert flt(invoice.grand_total) == flt(invoice.net_total * 1.2, 2) == 720  # ERPNext's sums
		for figure in (invoice.net_total, invoice.grand_total, invoice.taxes[0].tax_amount):
			assert money(figure, invoice) in html
		assert "Invoice" in text(html) and "VAT" in html

	def test_invoicing_with_update_stock_takes_the_goods_out_and_the_correction_puts_them_back(self, world):
		before = frappe.db.get_value(
			"Bin", {"item_code": world.item, "warehouse": world.warehouse}, "actual_qty"
		)
		invoice = make_invoice(world, qty=3, update_stock=1)
		after_sale = frappe.db.get_value(
			"Bin", {"item_code": world.item, "warehouse": world.warehouse}, "actual_qty"
		)
		assert flt(after_sale) == flt(before) - 3
		make_correction(invoice, qty=-1)
		assert (
			flt(
				frappe.db.get_value(
					"Bin", {"item_code": world.item, "warehouse": world.warehouse}, "actual_qty"
				)
			)
			== flt(before) - 2
		)


class TestCorrectionInvoice:
	def test_a_correction_is_erpnexts_return_against_the_original(self, world):
		invoice = make_invoice(world)
		correction = make_correction(invoice, qty=-1)
		stored = frappe.get_doc("Sales Invoice", correction.name)
		assert (stored.is_return, stored.return_against, stored.docstatus) == (1, invoice.name, 1)
		assert stored.korus_correction_reason == REASON
		assert stored.select_print_heading == rules.CORRECTION_HEADING
		# ERPNext's figures: one unit of 200 + 20 % VAT back
		assert (flt(stored.net_total), flt(stored.grand_total)) == (-200, -240)
		assert stored.grand_total < 0 and stored.items[0].qty == -1
		# ERPNext's books: the return credits the customer's receivable with its grand total
		credit = frappe.get_all(
			"GL Entry",
			filters={"voucher_no": stored.name, "account": stored.debit_to, "is_cancelled": 0},
			pluck="credit",
		)
		assert flt(sum(credit), 2) == 240

	def test_a_correction_without_a_reason_is_refused(self, world):
		invoice = make_invoice(world)
		for blank in (None, "", "   "):
			with pytest.raises(CorrectionReasonRequiredError):
				make_correction(invoice, reason=blank)
		assert frappe.db.count("Sales Invoice", {"return_against": invoice.name}) == 0
		assert CorrectionReasonRequiredError.http_status_code == 417

	def test_an_ordinary_invoice_needs_no_reason(self, world):
		invoice = make_invoice(world)
		assert not invoice.korus_correction_reason and invoice.docstatus == 1

	def test_the_print_shows_the_heading_the_reason_and_each_line_before_and_after(self, world):
		invoice = make_invoice(world, qty=3, rate=200)
		correction = make_correction(invoice, qty=-1)
		html = frappe.get_print("Sales Invoice", correction.name, rules.CORRECTION_FORMAT)
		assert "Correction Invoice" in text(html) and REASON in html
		assert invoice.name in html and correction.name in html
		assert cell(html, "ki-before-qty") == [frappe.format(3, {"fieldtype": "Float"})]
		assert cell(html, "ki-before-amount") == [text(money(600, correction)).strip()]
		assert cell(html, "ki-change-qty") == [frappe.format(-1, {"fieldtype": "Float"})]
		assert cell(html, "ki-after-qty") == [frappe.format(2, {"fieldtype": "Float"})]
		assert cell(html, "ki-after-rate") == [text(money(200, correction)).strip()]
		assert cell(html, "ki-after-amount") == [text(money(400, correction)).strip()]
		assert cell(html, "ki-change-grand") == [text(money(-240, correction)).strip()]

	def test_a_second_correction_starts_where_the_first_left_the_line(self, world):
		invoice = make_invoice(world, qty=3, rate=200)
		first = make_correction(invoice, qty=-1)
		second = make_correction(invoice, qty=-2, reason="The rest returned")
		html = frappe.get_print("Sales Invoice", second.name, rules.CORRECTION_FORMAT)
		assert cell(html, "ki-before-qty") == [frappe.format(2, {"fieldtype": "Float"})]
		assert cell(html, "ki-after-qty") == [frappe.format(0, {"fieldtype": "Float"})]
		assert cell(html, "ki-after-amount") == [text(money(0, second)).strip()]
		assert first.name in html  # named as an earlier correction
		# the first one's print is unchanged by the second
		html = frappe.get_print("Sales Invoice", first.name, rules.CORRECTION_FORMAT)
		assert cell(html, "ki-before-qty") == [frappe.format(3, {"fieldtype": "Float"})]

	def test_the_print_headings_exist(self):
		for name, _description in rules.PRINT_HEADINGS:
			assert frappe.db.exists("Print Heading", name)


class TestRest:
	def test_a_correction_without_a_reason_is_a_417_with_a_message(self, frappe_site, committed):
		company = default_company()
		customer = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": unique("Korus Invoice Customer"),
				"customer_type": "Company",
			}
		).insert()
		item = frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": unique("KORUS-SVC").replace(" ", "-"),
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert()
		committed.add("Customer", customer.name)
		committed.add("Item", item.name)
		user, password = make_user(["Accounts User"])
		committed.add("User", user)
		frappe.db.commit()
		client = ApiClient(frappe_site)
		client.login(user, password)
		body = {
			"customer": customer.name,
			"company": company,
			"is_return": 1,
			"posting_date": nowdate(),
			"items": [{"item_code": item.name, "qty": -1, "rate": 50}],
		}
		response = client.post("/api/resource/Sales Invoice", body)
		assert response.status_code == 417, response
		assert response.exc_type == "CorrectionReasonRequiredError", response
		assert any("reason" in m for m in response.messages), response
		frappe.db.rollback()
		assert frappe.db.count("Sales Invoice", {"customer": customer.name}) == 0

		response = client.post("/api/resource/Sales Invoice", {**body, "korus_correction_reason": REASON})
		assert response.status_code == 200, response
		committed.add("Sales Invoice", response.data["name"])
		assert response.data["korus_correction_reason"] == REASON
		assert response.data["grand_total"] < 0


def make_sales_order(world, qty=2, rate=150):
	return frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": world.customer,
			"company": world.company,
			"currency": world.currency,
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 7),
			"items": [
				{"item_code": world.item, "qty": qty, "rate": rate, "delivery_date": add_days(nowdate(), 7)}
			],
		}
	).insert()


def make_contract_order(world, qty=2):
	return frappe.get_doc(
		{
			"doctype": "Contract Order",
			"customer": world.customer,
			"company": world.company,
			"items": [{"item_code": world.item, "qty": qty, "rate": 100}],
		}
	).insert()


def proforma_no(html: str) -> str:
	[number] = cell_span(html)
	return number


def cell_span(html: str) -> list[str]:
	return [
		text(c).strip() for c in re.findall(r'class="[^"]*ki-proforma-number[^"]*">(.*?)</span>', html, re.S)
	]


class TestProForma:
	def test_a_sales_orders_pro_forma_is_numbered_once_and_keeps_its_number(self, world):
		order = make_sales_order(world)
		assert not order.korus_proforma_number
		first = frappe.get_print("Sales Order", order.name, rules.PROFORMA_FORMATS["Sales Order"])
		number = proforma_no(first)
		assert re.fullmatch(r"PF-\d{4}-\d{5}", number), number
		assert frappe.db.get_value("Sales Order", order.name, "korus_proforma_number") == number
		again = frappe.get_print("Sales Order", order.name, rules.PROFORMA_FORMATS["Sales Order"])
		assert proforma_no(again) == number
		assert "Pro Forma Invoice" in text(first) and order.name in first
		assert money(order.grand_total, order) in first
		assert assign_proforma_number("Sales Order", order.name) == number

	def test_two_documents_get_two_numbers_from_one_series(self, world):
		order = make_sales_order(world)
		other = make_sales_order(world)
		contract = make_contract_order(world)
		numbers = [
			proforma_no(frappe.get_print("Sales Order", order.name, rules.PROFORMA_FORMATS["Sales Order"])),
			proforma_no(frappe.get_print("Sales Order", other.name, rules.PROFORMA_FORMATS["Sales Order"])),
			proforma_no(
				frappe.get_print("Contract Order", contract.name, rules.PROFORMA_FORMATS["Contract Order"])
			),
		]
		assert len(set(numbers)) == 3
		assert all(n.startswith("PF-") for n in numbers)

	def test_a_contract_orders_pro_forma(self, world):
		contract = make_contract_order(world, qty=3)
		number = assign_proforma_number("Contract Order", contract.name)  # asked for before printing
		html = frappe.get_print("Contract Order", contract.name, rules.PROFORMA_FORMATS["Contract Order"])
		assert proforma_no(html) == number
		assert "Pro Forma Invoice" in text(html) and contract.name in html
		assert money(contract.grand_total, contract) in html
		assert frappe.db.get_value("Contract Order", contract.name, "korus_proforma_number") == number

	def test_a_duplicated_order_gets_a_new_number(self, world):
		order = make_sales_order(world)
		number = assign_proforma_number("Sales Order", order.name)
		copy = frappe.copy_doc(frappe.get_doc("Sales Order", order.name), ignore_no_copy=False)
		for row in copy.items:
			row.delivery_date = order.delivery_date  # not copied either
		copy.insert()
		assert not copy.korus_proforma_number
		assert assign_proforma_number("Sales Order", copy.name) != number

	def test_other_doctypes_have_no_pro_forma(self, world):
		invoice = make_invoice(world, submit=False)
		with pytest.raises(ProFormaNumberError):
			assign_proforma_number("Sales Invoice", invoice.name)
		with pytest.raises(ProFormaNumberError):
			assign_proforma_number("Sales Order", "SO-NO-SUCH-ORDER")


class TestPrintRequest:
	def test_a_print_in_the_browser_keeps_the_number_it_gives(self, frappe_site, committed):
		"""The print view is a GET request, which Frappe rolls back unless asked to commit."""
		company = default_company()
		customer = make_customer()
		item = frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": unique("KORUS-SVC").replace(" ", "-"),
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert()
		order = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"customer": customer.name,
				"company": company,
				"transaction_date": nowdate(),
				"delivery_date": add_days(nowdate(), 7),
				"items": [
					{"item_code": item.name, "qty": 1, "rate": 80, "delivery_date": add_days(nowdate(), 7)}
				],
			}
		).insert()
		for doctype, name in (("Customer", customer.name), ("Item", item.name), ("Sales Order", order.name)):
			committed.add(doctype, name)
		user, password = make_user(["Sales User"])
		committed.add("User", user)
		frappe.db.commit()
		client = ApiClient(frappe_site)
		client.login(user, password)
		params = {
			"doctype": "Sales Order",
			"name": order.name,
			"format": rules.PROFORMA_FORMATS["Sales Order"],
		}
		first = client.get("/printview", params)
		assert first.status_code == 200, first
		number = proforma_no(first.text)
		assert number.startswith("PF-")
		frappe.db.rollback()
		assert frappe.db.get_value("Sales Order", order.name, "korus_proforma_number") == number
		assert proforma_no(client.get("/printview", params).text) == number
