"""Quote to cash, end to end on ERPNext's books: lead -> deal -> offer (group discount, tax policy,
foreign currency) -> approval -> sent -> revision -> accepted -> contract order -> approval ->
Sales Order + Sales Invoice -> Delivery Note -> Payment Entry; and the refusals."""

import frappe
import pytest
from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from frappe.utils import add_days, flt, nowdate

from korus_crm.api import offers
from korus_crm.api.leads import convert_lead
from korus_crm.api.timeline import get_deal_timeline
from korus_crm.exceptions import FulfilmentExistsError, OfferApprovalError, OfferStateError
from korus_crm.selling.contract_orders import fulfilment
from tests.integration.factories import make_lead
from tests.integration.selling_setup import bill_in_currency, selling_world


@pytest.fixture
def world():
	"""Request it after any fixture that commits (users), or their commit would keep it."""
	return selling_world()


def new_offer(world, party=None, qty=3, **line):
	doc = offers.make_price_offer("Opportunity", party) if party else frappe.new_doc("Price Offer")
	if not party:
		doc.update(
			{
				"quotation_to": "Customer",
				"party_name": world.customer,
				"company": world.company,
				"valid_till": add_days(nowdate(), 30),
			}
		)
	doc.update(
		{
			"currency": world.currency,
			"tax_policy": world.tax_policy,
			"contact_email": "buyer@korus-customer.example",
		}
	)
	doc.set("items", [{"item_code": world.item, "qty": qty, **line}])
	doc.insert()
	return doc


def as_user(user):
	frappe.set_user(user)


class TestPricing:
	def test_erpnext_prices_the_offer_with_the_group_discount_the_tax_policy_and_the_currency(self, world):
		offer = new_offer(world)
		line = offer.items[0]
		quotation = frappe.get_doc("Quotation", offer.quotation)
		assert (
			quotation.docstatus == 0 and quotation.currency == "EUR" and flt(quotation.conversion_rate) == 1.1
		)
		# list price 200 USD = 181.82 EUR; the group's pricing rule takes 10%
		assert line.discount_percentage == 10 and line.pricing_rules
		assert flt(line.rate, 2) == flt(quotation.items[0].rate, 2)
		assert flt(offer.total_taxes_and_charges, 2) == flt(offer.net_total * 0.2, 2)
		assert (offer.grand_total, offer.net_total) == (quotation.grand_total, quotation.net_total)

	def test_a_manual_discount_above_the_threshold_needs_a_manager(self, world):
		assert new_offer(world, requested_discount=5).needs_manager_approval == 0
		big = new_offer(world, requested_discount=25)
		assert (big.needs_manager_approval, big.max_manual_discount, big.items[0].discount_percentage) == (
			1,
			25,
			25,
		)


class TestRefusals:
	def test_a_sales_user_cannot_approve_an_offer_above_the_threshold(self, sales_user, world):
		offer = new_offer(world, requested_discount=30)
		as_user(sales_user)
		with pytest.raises(frappe.ValidationError):  # the workflow offers no such action to this user
			offers.approve_price_offer(offer.name)
		assert frappe.db.get_value("Price Offer", offer.name, "docstatus") == 0

	def test_the_controller_guard_holds_with_the_workflow_switched_off(self, sales_user, world):
		frappe.db.set_value("Workflow", "Price Offer Approval", "is_active", 0)
		frappe.cache.delete_value("workflow")
		frappe.clear_cache(doctype="Price Offer")
		try:
			offer = new_offer(world, requested_discount=30)
			as_user(sales_user)
			with pytest.raises(OfferApprovalError):
				offer.reload()
				offer.submit()
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback()
			frappe.clear_cache(doctype="Price Offer")

	def test_an_expired_offer_cannot_be_accepted(self, sales_manager, outgoing_email_account, world):
		as_user(sales_manager)
		offer = new_offer(world)
		offers.approve_price_offer(offer.name)
		offers.send_price_offer(offer.name)
		frappe.db.set_value("Price Offer", offer.name, "valid_till", add_days(nowdate(), -1))
		with pytest.raises(OfferStateError):
			offers.accept_price_offer(offer.name)
		frappe.set_user("Administrator")  # as the scheduler runs it
		assert offers.expire_offers() == [offer.name]
		assert frappe.db.get_value("Price Offer", offer.name, "status") == "Expired"


class TestTheWholeChain:
	def test_lead_to_payment_on_erpnexts_books(
		self, sales_user, sales_manager, outgoing_email_account, world
	):
		# lead -> customer + deal
		lead = make_lead(
			email_id=f"chain.{frappe.generate_hash(length=5)}@example.com", company_name="Chain Korus"
		)
		converted = convert_lead(
			lead.name,
			company_option="new",
			new_company_name=frappe.generate_hash(length=8),
			create_deal=True,
			deal_value=500,
		)
		frappe.db.set_value("Customer", converted["customer"], "customer_group", world.customer_group)
		bill_in_currency(converted["customer"], world.company, world.currency)
		deal = converted["deal"]
		campaign = (
			frappe.get_doc(
				{"doctype": "Campaign", "campaign_name": "Chain " + frappe.generate_hash(length=6)}
			)
			.insert()
			.name
		)
		frappe.db.set_value("Opportunity", deal, "campaign", campaign)

		# the offer, by a sales user, from the deal
		as_user(sales_user)
		offer = new_offer(world, party=deal, qty=3)
		assert offer.opportunity == deal and offer.party_name == converted["customer"]
		assert offer.items[0].discount_percentage == 10  # the group discount, by ERPNext's pricing rule
		offers.approve_price_offer(offer.name)  # below the threshold: the author approves
		offer.reload()
		assert (offer.status, offer.docstatus, offer.approved_by) == ("Approved", 1, sales_user)
		assert frappe.db.get_value("Quotation", offer.quotation, "docstatus") == 1

		sent = offers.send_price_offer(offer.name, recipients="buyer@korus-customer.example")
		assert sent["status"] == "Sent" and sent["sent_to"] == "buyer@korus-customer.example"
		mail = frappe.get_last_doc(
			"Email Queue", filters={"reference_doctype": "Price Offer", "reference_name": offer.name}
		)
		assert "buyer@korus-customer.example" in [r.recipient for r in mail.recipients]
		assert "application/pdf" in mail.message or ".pdf" in mail.message

		# the customer asks for more: a revision
		revision = frappe.get_doc("Price Offer", offers.make_revision(offer.name))
		assert frappe.db.get_value("Price Offer", offer.name, ["docstatus", "status"]) == (2, "Cancelled")
		assert (revision.amended_from, revision.revision) == (offer.name, 1)
		revision.items[0].qty = 4
		revision.save()
		changes = revision.changes_since_previous_revision()
		assert any(c.what == "quantity" and c.old == 3 and c.new == 4 for c in changes)
		offers.approve_price_offer(revision.name)
		offers.send_price_offer(revision.name)
		accepted = offers.accept_price_offer(revision.name)
		revision.reload()
		assert (revision.status, revision.decided_by, str(revision.decided_on)) == (
			"Accepted",
			sales_user,
			nowdate(),
		)

		# the deal is won; its contract order is a draft made from the offer
		won = frappe.db.get_value(
			"Deal Stage", {"pipeline": frappe.db.get_value("Opportunity", deal, "deal_pipeline"), "is_won": 1}
		)
		assert frappe.db.get_value("Opportunity", deal, "deal_stage") == won
		order = frappe.get_doc("Contract Order", accepted["contract_order"])
		assert (order.docstatus, order.price_offer, order.opportunity) == (0, revision.name, deal)
		assert frappe.db.count("Contract Order", {"opportunity": deal}) == 1
		order.payment_terms_template = world.payment_terms
		order.save()
		assert order.grand_total == revision.grand_total

		# a sales user cannot approve it; a sales manager does
		from frappe.model.workflow import apply_workflow

		apply_workflow(order, "Submit for Approval")
		with pytest.raises(frappe.ValidationError):
			apply_workflow(frappe.get_doc("Contract Order", order.name), "Approve")
		as_user(sales_manager)
		apply_workflow(frappe.get_doc("Contract Order", order.name), "Approve")
		order.reload()
		assert (order.status, order.docstatus, order.confirmed_by) == ("Approved", 1, sales_manager)

		# ERPNext's Sales Order and receivable, same totals to the cent
		so = frappe.get_doc("Sales Order", order.sales_order)
		si = frappe.get_doc("Sales Invoice", order.sales_invoice)
		assert so.docstatus == 1 and si.docstatus == 1
		assert revision.grand_total == so.grand_total == si.grand_total
		assert (si.currency, si.payment_terms_template) == ("EUR", world.payment_terms)
		# the deal's campaign reaches ERPNext's documents: its won revenue counts for the campaign
		assert so.campaign == si.campaign == campaign
		gl = frappe.get_all(
			"GL Entry",
			filters={"voucher_no": si.name, "is_cancelled": 0},
			fields=["account", "debit", "credit"],
		)
		debtors = sum(flt(g.debit) for g in gl if g.account == si.debit_to)
		assert flt(debtors, 2) == flt(si.base_grand_total, 2)
		assert any(
			g.account == "Korus VAT - " + frappe.get_cached_value("Company", world.company, "abbr")
			and g.credit
			for g in gl
		)

		# an approved order cannot be edited
		order.items[0].qty = 10
		with pytest.raises(frappe.UpdateAfterSubmitError):
			order.save()
		order.reload()

		# delivery moves the stock ledger
		dn = make_delivery_note(so.name)
		dn.insert()
		dn.submit()
		sle = frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_no": dn.name, "is_cancelled": 0},
			fields=["item_code", "actual_qty", "warehouse"],
		)
		assert [(s.item_code, s.actual_qty, s.warehouse) for s in sle] == [(world.item, -4, world.warehouse)]

		# payment: the receivable is settled (by accounts staff: ERPNext's own document and permissions)
		frappe.set_user("Administrator")
		pe = get_payment_entry("Sales Invoice", si.name)
		pe.reference_no, pe.reference_date = "KORUS-1", nowdate()
		pe.insert()
		pe.submit()
		assert frappe.db.get_value("Sales Invoice", si.name, "outstanding_amount") == 0
		figures = fulfilment(order)
		assert (figures["per_delivered"], figures["per_billed"], figures["outstanding"]) == (100, 100, 0)
		assert flt(figures["received"], 2) == flt(si.base_grand_total, 2) or flt(
			figures["received"], 2
		) == flt(si.grand_total, 2)

		# cancelling past a payment is refused, and nothing is cancelled
		as_user(sales_manager)
		with pytest.raises(FulfilmentExistsError):
			apply_workflow(frappe.get_doc("Contract Order", order.name), "Cancel")
		assert frappe.db.get_value("Sales Invoice", si.name, "docstatus") == 1

		# the deal's timeline shows the chain in order
		kinds = [e["doctype"] for e in get_deal_timeline(deal)]
		assert kinds == [
			"Price Offer",
			"Price Offer",
			"Contract Order",
			"Sales Order",
			"Delivery Note",
			"Sales Invoice",
			"Payment Entry",
		]
