"""Desk journey of an approval, as two people: the submitter fills in and submits an expense request;
the approver (her supervisor) finds it under "Awaiting Me" in the request list, opens it and
approves it with a comment; the submitter sees it approved, its Journal Entry made."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, today
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.integration.approvals_setup import form_type, make_office
from tests.integration.test_approval_requests import register_office, register_request
from tests.integration.ui.desk import dialog, goto_desk, snapshot, wait_idle


def fill_link(page, fieldname: str, value: str, scope=None) -> None:
	field = (scope or page).locator(f'[data-fieldname="{fieldname}"] input').first
	field.fill(value)
	page.locator(".awesomplete ul:not([hidden]) [role=option]", has_text=value).first.click()
	wait_idle(page)


def type_grid_date(page, row, table: str, fieldname: str, value: str) -> None:
	"""Type a date into a grid row, and wait until the form holds it before going on.

	In a grid, Frappe's date control takes its value on the input's change event (when the cell
	loses focus), and a click into another cell while the datepicker is open can re-render the
	row first and drop what was typed. So the date is typed, Tab leaves the cell (as a person
	filling a row does), and the journey waits for the form's model to hold the date; a person
	who sees the cell empty types it again, and so does this helper."""
	cell = row.locator(f'[data-fieldname="{fieldname}"] input')
	held = f"() => (cur_frm.doc.{table} || []).some(r => r.idx === 1 && r.{fieldname})"
	for _attempt in range(3):
		cell.click()
		cell.press("Control+a")
		page.keyboard.insert_text(value)
		cell.press("Tab")
		try:
			page.wait_for_function(held, timeout=5000)
			return
		except PlaywrightTimeout:  # the value was dropped: type it again
			continue
	page.wait_for_function(held, timeout=5000)


def test_a_submitter_and_an_approver_decide_an_expense(desk_user, desk_login, committed):
	people = {}
	logins = {}
	for key in ("ann", "bob", "cleo", "dan", "gus", "eve", "fay", "stranger"):
		logins[key] = desk_user("Employee")
		people[key] = logins[key][0]
	office = make_office(people)
	expense = form_type(
		"Expense",
		[{"approver_kind": "Direct Supervisor"}],
		company=office.company,
		payable_account=office.accounts.payable,
	)
	frappe.db.commit()
	register_office(committed, office, expense)

	# ann fills in and submits her expense
	ann = desk_login(*logins["ann"])
	goto_desk(ann, "/app/approval-request/new")
	fill_link(ann, "form_type", expense)
	ann.locator('[data-fieldname="form_kind"]').filter(has_text="Expense").first.wait_for()
	ann.locator('[data-fieldname="title"] input').fill("Taxi to the trade fair")
	grid = ann.locator('.frappe-control[data-fieldname="expenses"]')
	grid.locator(".grid-add-row").click()
	row = grid.locator('.grid-row[data-idx="1"]')
	row.locator('.static-area, [data-fieldname="expense_date"]').first.click()
	date = ann.evaluate(f"() => frappe.datetime.str_to_user('{add_days(today(), -1)}')")
	# typed as a person types: Frappe's date control drops a value set in one go (fill) when its
	# datepicker is open
	type_grid_date(ann, row, "expenses", "expense_date", date)
	row.locator('[data-fieldname="category"]').first.click()
	fill_link(ann, "category", office.travel, scope=row)
	row.locator('[data-fieldname="amount"]').first.click()
	row.locator('[data-fieldname="amount"] input').fill("86.40")
	ann.locator('[data-fieldname="title"] input').click()  # leave the grid
	ann.keyboard.press("Control+s")
	ann.wait_for_function("() => cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty()")
	name = ann.evaluate("() => cur_frm.doc.name")
	register_request(committed, name)
	ann.locator(".page-actions .primary-action", has_text="Submit").click()
	dialog(ann).locator(".btn-primary", has_text="Yes").click()
	ann.wait_for_function("() => cur_frm && cur_frm.doc.docstatus === 1")
	snapshot(ann, "approval-submitted")
	frappe.db.rollback()
	assert frappe.db.get_value("Approval Request", name, ["status", "amount"]) == ("Pending", 86.4)

	# bob finds it under "Awaiting Me" and approves it
	bob = desk_login(*logins["bob"])
	goto_desk(bob, "/app/approval-request")
	bob.locator(".inner-group-button button", has_text="View").click()
	bob.locator(".dropdown-menu.show .dropdown-item", has_text="Awaiting Me").click()
	bob.locator(f'.list-row a[data-name="{name}"]').wait_for()
	snapshot(bob, "approval-awaiting-me")
	bob.locator(f'.list-row a[data-name="{name}"]').click()
	bob.locator(".page-actions button", has_text="Approve").first.click()
	modal = dialog(bob, "Approve")
	modal.locator('[data-fieldname="comment"] textarea').fill("Receipt checked")
	modal.locator(".btn-primary", has_text="Approve").click()
	bob.wait_for_function("() => cur_frm && cur_frm.doc.status === 'Approved'")
	snapshot(bob, "approval-approved")
	frappe.db.rollback()
	request = frappe.get_doc("Approval Request", name)
	assert request.status == "Approved" and request.journal_entry
	assert [(r.approver, r.status, r.comment) for r in request.steps] == [
		(people["bob"], "Approved", "Receipt checked")
	]

	# ann sees the outcome: the form says Approved, and the bell has the notice
	ann.reload()
	ann.wait_for_function("() => cur_frm && cur_frm.doc.status === 'Approved'")
	assert "Approved" in ann.locator(".indicator-pill").first.inner_text()
	assert frappe.db.exists("Notification Log", {"for_user": people["ann"], "document_name": name})
	snapshot(ann, "approval-outcome")
