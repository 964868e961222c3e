"""Desk journeys of the customer page: a Sales Manager opens a customer with contacts, deals, a
follow-up and a task and sees the detail panel at the top of the form, each section with its count
and rows, the activity feed and the ownership log; a Sales User, member of a pool, finds a pool
customer in the Customer list's "Customer Pool" view, claims it with the Claim action and then sees
it as theirs with the claim in its ownership log; another claims on the customer's form."""

from __future__ import annotations

import frappe
from frappe.utils import add_to_date, now_datetime

from tests.integration.factories import make_contact, make_customer, make_deal, unique
from tests.integration.ui.desk import (
	custom_button,
	goto_desk,
	open_form,
	snapshot,
	wait_idle,
	wait_until,
)

PANEL = ".korus-customer-overview[data-loaded='1']"


def card(page, key: str):
	return page.locator(f"{PANEL} .korus-co-card[data-section='{key}']")


def commit(committed, *docs) -> None:
	frappe.db.commit()
	for doc in docs:
		committed.add(doc.doctype, doc.name)


def test_a_sales_manager_sees_the_customer_page_with_its_sections(desk_user, desk_login, committed):
	manager, password = desk_user("Sales Manager", "Sales User")
	customer = make_customer(customer_name=unique("Acme Trading"), account_manager=manager)
	commit(committed, customer)  # registered first: deleted last, after what points at it
	contact = make_contact(customer.name, email=f"{unique('buyer').replace(' ', '')}@example.com")
	deals = [make_deal(customer=customer.name, title=unique("Deal")) for _ in range(2)]
	task = frappe.get_doc(
		{
			"doctype": "Korus Task",
			"subject": unique("Send the catalogue"),
			"due_at": add_to_date(now_datetime(), days=2),
			"reference_type": "Customer",
			"reference_name": customer.name,
		}
	).insert()
	made = [contact, *deals, task]
	if frappe.db.exists("DocType", "Customer Follow-up"):
		made.append(
			frappe.get_doc(
				{
					"doctype": "Customer Follow-up",
					"customer": customer.name,
					"method": "Call",
					"content": "Asked for a quote for 200 units",
					"followed_up_at": now_datetime(),
					"followed_up_by": manager,
				}
			).insert()
		)
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Comment",
			"reference_doctype": "Customer",
			"reference_name": customer.name,
			"content": "Met them at the fair",
		}
	).insert(ignore_permissions=True)
	commit(committed, *made)

	page = desk_login(manager, password)
	open_form(page, "Customer", customer.name)
	page.locator(PANEL).wait_for()
	counts = {
		key: card(page, key).get_attribute("data-count")
		for key in ("contacts", "deals", "price_offers", "contract_orders", "tasks", "attachments")
	}
	assert counts == {
		"contacts": "1",
		"deals": "2",
		"price_offers": "0",
		"contract_orders": "0",
		"tasks": "1",
		"attachments": "0",
	}
	assert card(page, "contacts").locator("a", has_text=contact.first_name).count() == 1
	for deal in deals:
		assert card(page, "deals").locator("a", has_text=deal.title).count() == 1
	assert card(page, "tasks").locator("a", has_text=task.subject).count() == 1
	if frappe.db.exists("DocType", "Customer Follow-up"):
		assert card(page, "follow_ups").get_attribute("data-count") == "1"
		assert "200 units" in card(page, "follow_ups").inner_text()
	# receivables: shown to those ERPNext lets read Sales Invoices (not a Sales Manager alone)
	receivables = card(page, "receivables").inner_text()
	if frappe.has_permission("Sales Invoice", "read", user=manager):
		assert "Nothing outstanding." in receivables
	else:
		assert "Not permitted" in receivables
	assert page.locator(f"{PANEL} .korus-co-feed", has_text="Met them at the fair").count() == 1
	assert page.locator(f"{PANEL} .korus-co-owner-log").count() == 1
	# the owner's quick actions
	assert custom_button(page, "Follow").count() == 1
	page.locator('.page-actions .inner-group-button[data-label="Quick%20Actions"]').first.wait_for()
	snapshot(page, "customer-page")

	# "View all" of the deals opens the deal list filtered to the customer
	card(page, "deals").locator(".korus-co-all").click()
	page.wait_for_function(
		"(c) => !!(window.cur_list && cur_list.doctype === 'Opportunity' && cur_list.filter_area"
		" && cur_list.filter_area.get().some(f => f[1] === 'party_name' && f[3] === c))",
		arg=customer.name,
	)
	wait_idle(page)


def pool_with_member(committed, user: str) -> str:
	pool = frappe.get_doc(
		{
			"doctype": "Customer Pool",
			"pool_name": unique("Korus Test Pool"),
			"enabled": 1,
			"members": [{"member_type": "User", "user": user}],
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	committed.add("Customer Pool", pool.name)  # registered before its customers: deleted after them
	return pool.name


def pool_customer(committed, pool: str):
	customer = make_customer(customer_name=unique("Pool Prospect"), korus_pool=pool)
	frappe.db.commit()
	committed.add("Customer", customer.name)
	assert frappe.db.get_value("Customer", customer.name, ["korus_in_pool", "account_manager"]) == (1, None)
	return customer


def claimed_by(customer: str, user: str) -> bool:
	frappe.db.rollback()  # see what the browser's requests committed
	return frappe.db.get_value("Customer", customer, "account_manager") == user


def test_a_sales_user_claims_a_customer_from_the_pool_view(desk_user, desk_login, committed):
	user, password = desk_user("Sales User")
	customer = pool_customer(committed, pool_with_member(committed, user))

	page = desk_login(user, password)
	goto_desk(page, "/app/customer")
	page.locator(".page-actions button", has_text="Customer Pool").first.click()
	page.wait_for_function(
		"() => window.cur_list && cur_list.filter_area.get().some(f => f[1] === 'korus_in_pool')"
	)
	wait_idle(page)
	# narrowed to the customer's name, as a user types it in the list's ID filter
	page.evaluate("(name) => cur_list.filter_area.add([['Customer', 'name', '=', name]])", customer.name)
	page.wait_for_function(
		"(name) => cur_list.data.length === 1 && cur_list.data[0].name === name"
		" && cur_list.data.every((d) => d.korus_in_pool)",
		arg=customer.name,
	)
	wait_idle(page)
	row = page.locator(f'.list-row-checkbox[data-name="{customer.name}"]')
	row_container = page.locator(f'.list-row-container:has(.list-row-checkbox[data-name="{customer.name}"])')
	assert row_container.locator(".indicator-pill", has_text="In Pool").count() >= 1
	snapshot(page, "customer-pool-view")
	row.check()
	page.locator(".actions-btn-group > button").first.click()
	page.locator(".actions-btn-group .dropdown-item", has_text="Claim").first.click()
	page.locator(".modal.show .modal-body", has_text="Claimed 1 of 1 customers.").wait_for()
	wait_until(lambda: claimed_by(customer.name, user), what="the claim")
	snapshot(page, "customer-pool-claimed")

	open_form(page, "Customer", customer.name)
	log = page.locator(f"{PANEL} .korus-co-owner-log .korus-co-log-row[data-action='Claim']")
	log.wait_for()
	assert page.locator(f"{PANEL} .korus-co-in-pool").count() == 0
	assert page.locator(f"{PANEL} .korus-co-profile", has_text="Owner").count() == 1
	assert custom_button(page, "Claim").count() == 0
	snapshot(page, "customer-claimed-form")


def test_a_sales_user_claims_a_pool_customer_on_its_form(desk_user, desk_login, committed):
	user, password = desk_user("Sales User")
	customer = pool_customer(committed, pool_with_member(committed, user))

	page = desk_login(user, password)
	open_form(page, "Customer", customer.name)
	page.locator(f"{PANEL} .korus-co-in-pool").wait_for()
	snapshot(page, "customer-in-pool-form")
	custom_button(page, "Claim").click()
	wait_until(lambda: claimed_by(customer.name, user), what="the claim")
	page.locator(f"{PANEL} .korus-co-log-row[data-action='Claim']").wait_for()
	assert page.locator(f"{PANEL} .korus-co-in-pool").count() == 0
