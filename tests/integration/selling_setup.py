"""What the quote-to-cash tests need on a fresh ERPNext site, made in the test's transaction (rolled
back afterwards): a stocked item with a price, a customer group with a discount, a customer, a tax
policy, a foreign currency rate, payment terms."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, nowdate

from tests.integration.factories import (
	default_company,
	make_customer,
	make_customer_group,
	selling_price_list,
	unique,
)


def company_abbr(company: str) -> str:
	return frappe.get_cached_value("Company", company, "abbr")


def account(company: str, name: str) -> str:
	return f"{name} - {company_abbr(company)}"


def make_tax_account(company: str) -> str:
	name = account(company, "Korus VAT")
	if not frappe.db.exists("Account", name):
		parent = frappe.db.get_value(
			"Account", {"company": company, "account_name": "Duties and Taxes", "is_group": 1}
		)
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": "Korus VAT",
				"company": company,
				"parent_account": parent,
				"account_type": "Tax",
				"tax_rate": 20,
			}
		).insert()
	return name


def make_tax_policy(company: str, rate: float = 20, inclusive: bool = False):
	return frappe.get_doc(
		{
			"doctype": "Tax Policy",
			"policy_name": unique("VAT"),
			"company": company,
			"price_includes_tax": int(inclusive),
			"rates": [{"description": "VAT", "account_head": make_tax_account(company), "rate": rate}],
		}
	).insert()


def set_exchange_rate(from_currency: str, to_currency: str, rate: float) -> None:
	for a, b, r in ((from_currency, to_currency, rate), (to_currency, from_currency, 1 / rate)):
		frappe.get_doc(
			{
				"doctype": "Currency Exchange",
				"date": add_days(nowdate(), -1),
				"from_currency": a,
				"to_currency": b,
				"exchange_rate": r,
				"for_selling": 1,
				"for_buying": 1,
			}
		).insert(ignore_if_duplicate=True)
	frappe.db.set_single_value("Accounts Settings", "allow_stale", 1)


def make_stock_item(company: str, rate: float, stock_qty: float = 10) -> str:
	warehouse = account(company, "Stores")
	code = unique("KORUS-STOCK").replace(" ", "-")
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": code,
			"item_name": code,
			"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
			"stock_uom": "Nos",
			"is_stock_item": 1,
			"valuation_rate": rate / 2,
			"item_defaults": [{"company": company, "default_warehouse": warehouse}],
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
	receipt = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company,
			"items": [
				{
					"item_code": code,
					"qty": stock_qty,
					"t_warehouse": warehouse,
					"basic_rate": rate / 2,
					"conversion_factor": 1,
					"uom": "Nos",
				}
			],
		}
	)
	receipt.insert()
	receipt.submit()
	return code


def make_payment_terms() -> str:
	term = unique("Korus Net 30")
	frappe.get_doc(
		{
			"doctype": "Payment Term",
			"payment_term_name": term,
			"invoice_portion": 100,
			"due_date_based_on": "Day(s) after invoice date",
			"credit_days": 30,
		}
	).insert()
	template = unique("Korus Terms")
	frappe.get_doc(
		{
			"doctype": "Payment Terms Template",
			"template_name": template,
			"terms": [
				{
					"payment_term": term,
					"invoice_portion": 100,
					"due_date_based_on": "Day(s) after invoice date",
					"credit_days": 30,
				}
			],
		}
	).insert()
	return template


def receivable_in(company: str, currency: str) -> str:
	"""ERPNext wants a customer invoiced in a foreign currency to have a receivable account in it."""
	name = account(company, f"Debtors {currency}")
	if not frappe.db.exists("Account", name):
		parent = frappe.db.get_value(
			"Account", {"company": company, "account_name": "Accounts Receivable", "is_group": 1}
		)
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": f"Debtors {currency}",
				"company": company,
				"parent_account": parent,
				"account_type": "Receivable",
				"account_currency": currency,
			}
		).insert()
	return name


def bill_in_currency(customer: str, company: str, currency: str) -> None:
	doc = frappe.get_doc("Customer", customer)
	doc.set("accounts", [{"company": company, "account": receivable_in(company, currency)}])
	doc.default_currency = currency
	doc.save()


def selling_world(currency: str = "EUR", rate: float = 1.1) -> frappe._dict:
	company = default_company()
	company_currency = frappe.get_cached_value("Company", company, "default_currency")
	if currency != company_currency:
		set_exchange_rate(currency, company_currency, rate)
	group = make_customer_group(discount_percentage=10)
	customer = make_customer(customer_group=group.name)
	if currency != company_currency:
		bill_in_currency(customer.name, company, currency)
	return frappe._dict(
		company=company,
		company_currency=company_currency,
		currency=currency,
		customer=customer.name,
		customer_group=group.name,
		item=make_stock_item(company, rate=200),
		tax_policy=make_tax_policy(company).name,
		payment_terms=make_payment_terms(),
		warehouse=account(company, "Stores"),
		cash=account(company, "Cash"),
	)


def make_offer(world, **values):
	return frappe.get_doc(
		{
			"doctype": "Price Offer",
			"quotation_to": "Customer",
			"party_name": world.customer,
			"company": world.company,
			"valid_till": add_days(nowdate(), 10),
			"items": [{"item_code": world.item, "qty": 1}],
			**values,
		}
	).insert()
