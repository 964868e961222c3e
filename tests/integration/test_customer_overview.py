"""The customer's detail page (korus_crm.customers.overview): each section's count and first rows for
a customer with a contact, a deal, a price offer, an approved contract order (so ERPNext's Sales
Invoice with its outstanding amount), a task and a file; the activity feed and the ownership log;
read through the user's permissions and data scope (a Sales User whose scope is Own is refused
another's customer and counts only their own deals inside theirs); bad input answered with a 4xx."""

from __future__ import annotations

from unittest.mock import patch

import frappe
import pytest
from frappe.utils import add_days, add_to_date, now_datetime

from korus_crm.customers.overview import overview
from tests.integration.factories import default_company, make_contact, make_customer, make_deal, unique
from tests.integration.selling_setup import make_offer, selling_world
from tests.integration.support import make_user

METHOD = "/api/method/korus_crm.customers.overview.overview"


def sections(result: dict) -> dict[str, dict]:
	return {s["key"]: s for s in result["sections"]}


@pytest.fixture
def customer_with_everything():
	company_currency = frappe.get_cached_value("Company", default_company(), "default_currency")
	world = selling_world(currency=company_currency)
	customer = world.customer
	contact = make_contact(customer, email=f"{unique('c').replace(' ', '')}@example.com")
	deal = make_deal(customer=customer)
	offer = make_offer(world, opportunity=deal.name)
	order = frappe.get_doc(
		{
			"doctype": "Contract Order",
			"customer": customer,
			"company": world.company,
			"opportunity": deal.name,
			"items": [{"item_code": world.item, "qty": 1, "rate": 100}],
		}
	).insert()
	order.submit()  # approved by the Administrator: ERPNext's Sales Order and Sales Invoice
	order.reload()
	task = frappe.get_doc(
		{
			"doctype": "Korus Task",
			"subject": unique("Call the buyer"),
			"due_at": add_to_date(now_datetime(), hours=3),
			"reference_type": "Customer",
			"reference_name": customer,
		}
	).insert()
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{unique('brief').replace(' ', '-')}.txt",
			"content": b"what the customer wants",
			"attached_to_doctype": "Customer",
			"attached_to_name": customer,
			"is_private": 1,
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Comment",
			"reference_doctype": "Opportunity",
			"reference_name": deal.name,
			"content": "<p>Wants a <b>discount</b></p>",
		}
	).insert(ignore_permissions=True)
	return frappe._dict(
		world=world,
		customer=customer,
		contact=contact.name,
		deal=deal.name,
		offer=offer.name,
		order=order.name,
		invoice=order.sales_invoice,
		task=task.name,
		file=file.name,
	)


def test_the_overview_counts_and_shows_each_kind_of_record(customer_with_everything):
	c = customer_with_everything
	result = overview(c.customer)
	got = sections(result)
	expected = {
		"contacts": c.contact,
		"deals": c.deal,
		"price_offers": c.offer,
		"contract_orders": c.order,
		"receivables": c.invoice,
		"tasks": c.task,
		"attachments": c.file,
	}
	for key, name in expected.items():
		assert got[key]["count"] == 1, (key, got[key])
		assert [r["name"] for r in got[key]["rows"]] == [name], key
		assert not got[key]["restricted"]
	assert got["contacts"]["route_options"] == {
		"Dynamic Link.link_doctype": "Customer",
		"Dynamic Link.link_name": c.customer,
	}
	assert got["deals"]["route_options"] == {"opportunity_from": "Customer", "party_name": c.customer}

	invoice = frappe.db.get_value(
		"Sales Invoice", c.invoice, ["outstanding_amount", "party_account_currency", "due_date"], as_dict=True
	)
	assert invoice.outstanding_amount > 0
	receivables = got["receivables"]
	assert receivables["totals"] == [
		{
			"currency": invoice.party_account_currency,
			"outstanding": invoice.outstanding_amount,
			"overdue": 0.0,
		}
	]
	assert receivables["rows"][0]["outstanding_amount"] == invoice.outstanding_amount

	# the feed: the comment on the customer's deal (its text without HTML), the customer's changes
	comments = [e for e in result["feed"] if e["kind"] == "comment" and e["doctype"] == "Opportunity"]
	assert [(e["name"], e["text"]) for e in comments] == [(c.deal, "Wants a discount")]
	assert len(result["feed"]) <= 20
	assert result["profile"]["status"] in ("Potential", "Developing", "Won", "Lapsed")
	assert result["owner_log"] is not None  # the pool keeps the log
	assert set(result["actions"]) == {"follow_up", "follow", "claim", "release", "transfer", "assign"}


def test_overdue_receivables_once_the_due_date_has_passed(customer_with_everything):
	c = customer_with_everything
	due = frappe.db.get_value("Sales Invoice", c.invoice, "due_date")
	# the day after the due date (time moved for the overview's "today", no sleeping)
	with patch("korus_crm.customers.overview.nowdate", return_value=str(add_days(due, 1))):
		receivables = sections(overview(c.customer))["receivables"]
	assert receivables["totals"][0]["overdue"] == receivables["totals"][0]["outstanding"] > 0
	assert receivables["rows"][0]["overdue"] is True


def test_a_customer_with_nothing_yet_has_empty_sections():
	customer = make_customer().name
	got = sections(overview(customer))
	for key in (
		"contacts",
		"deals",
		"price_offers",
		"contract_orders",
		"receivables",
		"tasks",
		"attachments",
	):
		assert (got[key]["count"], got[key]["rows"]) == (0, []), key
	assert got["receivables"]["totals"] == []


def test_counts_beyond_the_first_rows():
	customer = make_customer().name
	deals = [make_deal(customer=customer).name for _ in range(7)]
	got = sections(overview(customer))["deals"]
	assert got["count"] == 7
	assert len(got["rows"]) == 5 and {r["name"] for r in got["rows"]} <= set(deals)


def test_a_user_who_cannot_read_invoices_sees_receivables_as_not_permitted(
	sales_user, customer_with_everything
):
	# (the committed user is made before the test's records, which stay uncommitted)
	assert not frappe.has_permission("Sales Invoice", "read", user=sales_user)  # ERPNext's own rules
	frappe.set_user(sales_user)
	got = sections(overview(customer_with_everything.customer))
	assert got["receivables"]["restricted"] is True
	assert (got["receivables"]["count"], got["receivables"]["rows"]) == (None, [])
	assert not got["deals"]["restricted"]  # deals it reads as its data scope lets it


@pytest.fixture
def own_scope(committed):
	"""Sales Users read only what they own (committed: the REST calls run in their own transaction);
	the site's own setting for the role is put back afterwards."""
	role = "Sales User"
	previous = None
	if frappe.db.exists("Korus Role Scope", role):
		previous = frappe.get_doc("Korus Role Scope", role).as_dict(no_default_fields=True)
		frappe.delete_doc("Korus Role Scope", role, ignore_permissions=True)
	frappe.get_doc({"doctype": "Korus Role Scope", "role": role, "default_scope": "Own"}).insert(
		ignore_permissions=True
	)
	frappe.db.commit()

	def restore():
		if previous and not frappe.db.exists("Korus Role Scope", role):
			frappe.get_doc({**previous, "doctype": "Korus Role Scope"}).insert(ignore_permissions=True)

	committed.add("Korus Role Scope", role)
	committed.afterwards(restore)


def test_a_sales_user_with_own_scope_sees_only_their_customers_and_records(api, committed, own_scope):
	me = api("Sales User")
	other, _password = make_user(["Sales User"])
	committed.add("User", other)
	mine = make_customer(account_manager=me.user).name
	theirs = make_customer(account_manager=other).name
	my_deal = make_deal(customer=mine, opportunity_owner=me.user).name
	their_deal = make_deal(customer=mine, opportunity_owner=other).name
	frappe.db.commit()
	for doctype, name in (
		("Customer", mine),
		("Customer", theirs),
		("Opportunity", my_deal),
		("Opportunity", their_deal),
	):
		committed.add(doctype, name)

	refused = me.get(METHOD, {"customer": theirs})
	assert refused.status_code == 403, refused
	assert refused.exc_type == "PermissionError"

	response = me.get(METHOD, {"customer": mine})
	assert response.status_code == 200, response
	deals = sections(response.data)["deals"]
	assert deals["count"] == 1 and [r["name"] for r in deals["rows"]] == [my_deal]
	assert their_deal not in {e["name"] for e in response.data["feed"]}
	assert response.data["actions"]["release"] is True  # the owner may release their customer
	assert response.data["actions"]["claim"] is False


@pytest.mark.parametrize(
	"customer, status",
	[
		({"name": "x"}, 417),
		([1, 2], 417),
		("", 417),
		("KORUS-NO-SUCH-CUSTOMER", 404),
	],
)
def test_bad_input_gets_a_4xx(api, customer, status):
	client = api("Sales Manager", "Sales User")
	response = client.post(METHOD, {"customer": customer})
	assert response.status_code == status, response
	assert response.exc_type and response.messages
