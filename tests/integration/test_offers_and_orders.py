"""Tax policies, offers to leads, contract orders from won deals, invoicing on delivery, REST."""

from unittest.mock import patch

import frappe
import pytest
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, flt, nowdate

from korus_crm.api import offers
from korus_crm.exceptions import EmailNotConfiguredError
from korus_crm.korus_crm.doctype.tax_policy.tax_policy import convert
from korus_crm.selling import won_deals
from tests.integration.factories import (
	default_company,
	make_customer,
	make_deal,
	make_lead,
	make_pipeline,
	make_selling_item,
	stage_of,
)
from tests.integration.selling_setup import make_offer, make_tax_policy, selling_world


@pytest.fixture
def world():
	return selling_world(currency="USD")


class TestTaxPolicy:
	def test_a_policy_maintains_its_sales_taxes_template(self, world):
		policy = frappe.get_doc("Tax Policy", world.tax_policy)
		template = frappe.get_doc("Sales Taxes and Charges Template", policy.sales_taxes_template)
		assert [
			(t.charge_type, t.account_head, t.rate, t.included_in_print_rate) for t in template.taxes
		] == [("On Net Total", policy.rates[0].account_head, 20, 0)]
		policy.price_includes_tax = 1
		policy.rates[0].rate = 7
		policy.save()
		template.reload()
		assert [(t.rate, t.included_in_print_rate) for t in template.taxes] == [(7, 1)]

	def test_the_gross_net_calculator(self, world):
		assert convert(world.tax_policy, 100, "net_to_gross") == {"net": 100, "tax": 20, "gross": 120}
		assert convert(world.tax_policy, 120, "gross_to_net") == {"net": 100, "tax": 20, "gross": 120}

	def test_an_inclusive_policy_prices_gross(self, world):
		inclusive = make_tax_policy(world.company, rate=20, inclusive=True)
		offer = make_offer(
			world,
			tax_policy=inclusive.name,
			items=[{"item_code": world.item, "qty": 1, "requested_rate": 120}],
		)
		assert (flt(offer.grand_total, 2), flt(offer.net_total, 2)) == (120, 100)


class TestOffers:
	def test_an_offer_to_a_lead(self, world):
		lead = make_lead(email_id="offer.lead.korus@example.com", company_name="Lead Co")
		offer = offers.make_price_offer("Lead", lead.name)
		offer.set("items", [{"item_code": world.item, "qty": 1}])
		offer.insert()
		assert (offer.quotation_to, offer.party_name, offer.contact_email) == (
			"Lead",
			lead.name,
			"offer.lead.korus@example.com",
		)
		assert frappe.db.get_value("Quotation", offer.quotation, ["quotation_to", "party_name"]) == (
			"Lead",
			lead.name,
		)

	def test_accepting_a_lead_offer_needs_the_lead_converted(self, world):
		lead = make_lead()
		offer = offers.make_price_offer("Lead", lead.name)
		offer.update({"contact_email": "x@example.com", "items": [{"item_code": world.item, "qty": 1}]})
		offer.insert()
		offers.approve_price_offer(offer.name)
		frappe.db.set_value("Price Offer", offer.name, "status", "Sent")
		with pytest.raises(frappe.ValidationError):
			offers.accept_price_offer(offer.name)

	def test_a_draft_cannot_be_marked_approved_by_writing_its_status(self, world):
		offer = make_offer(world)
		offer.status = "Approved"
		with pytest.raises(frappe.ValidationError):
			offer.save()

	def test_editing_a_draft_reprices_its_quotation(self, world):
		offer = make_offer(world)
		first = offer.grand_total
		offer.items[0].qty = 2
		offer.save()
		assert offer.grand_total == 2 * first
		assert frappe.db.get_value("Quotation", offer.quotation, "grand_total") == offer.grand_total
		assert frappe.db.count("Quotation", {"party_name": world.customer}) == 1


class TestSending:
	"""The Workflow's Send and the API's send_price_offer both email the offer, once."""

	def test_the_workflows_send_emails_the_offer_to_its_contact(self, world, outgoing_email_account):
		offer = make_offer(world, contact_email="buyer@korus-send.example")
		offers.approve_price_offer(offer.name)
		apply_workflow(frappe.get_doc("Price Offer", offer.name), "Send")
		offer.reload()
		assert (offer.status, offer.sent_to) == ("Sent", "buyer@korus-send.example") and offer.sent_on
		mails = frappe.get_all(
			"Email Queue", filters={"reference_doctype": "Price Offer", "reference_name": offer.name}
		)
		assert len(mails) == 1

	def test_the_api_sends_once_and_records_it(self, world, outgoing_email_account):
		offer = make_offer(world)
		offers.approve_price_offer(offer.name)
		result = offers.send_price_offer(offer.name, recipients="a@korus-send.example; b@korus-send.example")
		assert (
			result["status"] == "Sent" and result["sent_to"] == "a@korus-send.example, b@korus-send.example"
		)
		assert frappe.db.count("Email Queue", {"reference_name": offer.name}) == 1

	def test_without_an_outgoing_email_account_the_send_explains_what_to_set_up(self, world):
		for account in frappe.get_all("Email Account", filters={"enable_outgoing": 1}, pluck="name"):
			frappe.db.set_value("Email Account", account, "enable_outgoing", 0)  # rolled back after
		offer = make_offer(world, contact_email="buyer@korus-send.example")
		offers.approve_price_offer(offer.name)
		frappe.local.outgoing_email_account = {}
		with pytest.raises(EmailNotConfiguredError) as raised:
			offers.send_price_offer(offer.name)
		assert "Email Account" in str(raised.value)
		assert frappe.db.get_value("Price Offer", offer.name, "status") == "Approved"


class TestContractOrders:
	def test_a_deal_reaching_won_gets_a_draft_contract_order_once_after_the_move(self, world):
		pipeline = make_pipeline()
		deal = make_deal(customer=world.customer, deal_pipeline=pipeline.name)
		deal.append("items", {"item_code": world.item, "qty": 2, "rate": 150})
		deal.save()
		with patch.object(won_deals.jobs, "enqueue") as enqueue:  # after the commit (korus_crm.jobs)
			deal.update({"deal_stage": stage_of(pipeline.name, "Won")}).save()
		# the move is done; the order is made by a job that runs after the commit
		assert not frappe.db.exists("Contract Order", {"opportunity": deal.name})
		enqueue.assert_called_once()
		assert enqueue.call_args.args == (won_deals.JOB,)
		assert enqueue.call_args.kwargs["deal"] == deal.name

		won_deals.make_contract_order(deal.name)
		orders = frappe.get_all(
			"Contract Order",
			filters={"opportunity": deal.name},
			fields=["name", "docstatus", "customer", "grand_total"],
		)
		assert len(orders) == 1 and orders[0].docstatus == 0 and orders[0].customer == world.customer
		assert orders[0].grand_total == 300
		won_deals.make_contract_order(deal.name)  # the job again (a retry): still one
		deal.update({"deal_stage": stage_of(pipeline.name, "Proposal")}).save()
		deal.update({"deal_stage": stage_of(pipeline.name, "Won")}).save()
		won_deals.make_contract_order(deal.name)
		assert frappe.db.count("Contract Order", {"opportunity": deal.name}) == 1

	def test_a_pricing_failure_never_blocks_the_move_and_is_shown_on_the_deal(self, sales_user, world):
		pipeline = make_pipeline()
		deal = make_deal(customer=world.customer, deal_pipeline=pipeline.name, opportunity_owner=sales_user)
		deal.append("items", {"item_code": world.item, "qty": 1, "rate": 10})
		deal.save()
		frappe.db.set_value("Item", world.item, "disabled", 1)  # ERPNext will not sell it
		deal.update({"deal_stage": stage_of(pipeline.name, "Won")}).save()
		assert frappe.db.get_value("Opportunity", deal.name, "status") == "Converted"

		assert won_deals.make_contract_order(deal.name) is None
		assert not frappe.db.exists("Contract Order", {"opportunity": deal.name})
		comment = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Opportunity",
				"reference_name": deal.name,
				"comment_type": "Comment",
			},
			pluck="content",
		)
		assert comment and "could not be made" in comment[0]
		assert frappe.db.get_value("Opportunity", deal.name, "deal_stage") == stage_of(pipeline.name, "Won")

	def test_a_job_for_a_deal_that_left_won_makes_nothing(self, world):
		pipeline = make_pipeline()
		deal = make_deal(customer=world.customer, deal_pipeline=pipeline.name)
		deal.append("items", {"item_code": world.item, "qty": 1, "rate": 10})
		deal.save()
		assert won_deals.make_contract_order(deal.name) is None
		assert not frappe.db.exists("Contract Order", {"opportunity": deal.name})

	@pytest.fixture
	def on_delivery(self):
		frappe.db.set_single_value("Korus CRM Settings", "invoicing", "On Delivery")
		yield
		# set back through the API too: Frappe caches single values beyond a rollback
		frappe.db.set_single_value("Korus CRM Settings", "invoicing", "On Approval")

	def test_invoicing_on_delivery(self, sales_manager, world, on_delivery):
		order = frappe.get_doc(
			{
				"doctype": "Contract Order",
				"customer": world.customer,
				"company": world.company,
				"tax_policy": world.tax_policy,
				"items": [{"item_code": world.item, "qty": 1}],
			}
		).insert()
		frappe.set_user(sales_manager)
		apply_workflow(order, "Submit for Approval")
		apply_workflow(frappe.get_doc("Contract Order", order.name), "Approve")
		order.reload()
		assert order.sales_order and not order.sales_invoice
		frappe.set_user("Administrator")
		dn = make_delivery_note(order.sales_order)
		dn.insert()
		dn.submit()
		order.reload()
		assert order.sales_invoice
		assert frappe.db.get_value("Sales Invoice", order.sales_invoice, "grand_total") == order.grand_total

	def test_cancelling_an_approved_order_cancels_what_it_made(self, world):
		order = frappe.get_doc(
			{
				"doctype": "Contract Order",
				"customer": world.customer,
				"company": world.company,
				"items": [{"item_code": world.item, "qty": 1}],
			}
		).insert()
		apply_workflow(order, "Submit for Approval")
		apply_workflow(frappe.get_doc("Contract Order", order.name), "Approve")
		order.reload()
		apply_workflow(order, "Cancel")
		assert frappe.db.get_value("Sales Invoice", order.sales_invoice, "docstatus") == 2
		assert frappe.db.get_value("Sales Order", order.sales_order, "docstatus") == 2


class TestRest:
	def test_a_sales_user_makes_and_self_approves_an_offer_over_rest_and_a_stranger_cannot(
		self, api, committed
	):
		customer = make_customer()
		item = make_selling_item(rate=50)
		frappe.db.commit()
		committed.add("Customer", customer.name)
		committed.add("Item", item)
		for price in frappe.get_all("Item Price", filters={"item_code": item}, pluck="name"):
			committed.add("Item Price", price)
		client = api("Sales User")
		created = client.post(
			"/api/resource/Price Offer",
			{
				"quotation_to": "Customer",
				"party_name": customer.name,
				"company": default_company(),
				"valid_till": add_days(nowdate(), 10),
				"items": [{"item_code": item, "qty": 2}],
			},
		)
		assert created.status_code == 200, created
		committed.add("Quotation", created.data["quotation"])
		committed.add("Price Offer", created.data["name"])
		assert created.data["grand_total"] == 100
		approved = client.post(
			"/api/method/korus_crm.api.offers.approve_price_offer", {"offer": created.data["name"]}
		)
		assert approved.status_code == 200 and approved.data["status"] == "Approved", approved
		stranger = api().post(
			"/api/method/korus_crm.api.offers.approve_price_offer", {"offer": created.data["name"]}
		)
		assert stranger.status_code == 403, stranger
		frappe.db.rollback()
		assert frappe.db.get_value("Quotation", created.data["quotation"], "docstatus") == 1
