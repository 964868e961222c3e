"""Desk journey: a sales user opens an approved offer and downloads its PDF (Print Format "Korus Price
Offer", rendered by wkhtmltopdf on the served site)."""

import io
from urllib.parse import urlencode

import frappe
from frappe.utils import add_days, nowdate
from pypdf import PdfReader

from korus_crm.api import offers
from tests.integration.factories import default_company, make_customer, make_selling_item
from tests.integration.ui.desk import fetch, form_doc, open_form


def approved_offer(committed) -> frappe._dict:
	"""An approved Price Offer (and its submitted Quotation) for a new customer and item, committed,
	every record registered for deletion (the offer first)."""
	customer = make_customer()
	item = make_selling_item(rate=321)
	offer = frappe.get_doc(
		{
			"doctype": "Price Offer",
			"quotation_to": "Customer",
			"party_name": customer.name,
			"company": default_company(),
			"valid_till": add_days(nowdate(), 10),
			"items": [{"item_code": item, "qty": 2}],
		}
	).insert()
	offers.approve_price_offer(offer.name)
	offer.reload()
	frappe.db.commit()
	committed.add("Customer", customer.name)
	committed.add("Item", item)
	for price in frappe.get_all("Item Price", filters={"item_code": item}, pluck="name"):
		committed.add("Item Price", price)
	if offer.quotation:
		committed.add("Quotation", offer.quotation)
	committed.add("Price Offer", offer.name)
	assert (offer.docstatus, offer.status) == (1, "Approved")
	return frappe._dict(name=offer.name, item=item, customer=customer.name)


def test_a_sales_user_downloads_an_approved_offers_pdf(desk_as, committed):
	offer = approved_offer(committed)
	page = desk_as("Sales User")

	open_form(page, "Price Offer", offer.name)
	assert form_doc(page)["status"] == "Approved"

	query = urlencode({"doctype": "Price Offer", "name": offer.name, "format": "Korus Price Offer"})
	pdf = fetch(page, f"/api/method/frappe.utils.print_format.download_pdf?{query}")
	assert pdf.ok, f"{pdf.status}: {pdf.body[:500]!r}"
	assert pdf.content_type.startswith("application/pdf"), pdf.content_type
	assert pdf.body.startswith(b"%PDF"), pdf.body[:200]
	text = " ".join("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.body)).pages).split())
	assert offer.name in text, text[:1000]
	assert offer.item in text, text[:1000]
