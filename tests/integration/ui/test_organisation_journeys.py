"""Desk journeys: an administrator on the Organisation page adds a person; a branch-scoped Sales User
sees only their branch's deals on the Deal Board, and is refused a deal of another branch."""

from __future__ import annotations

import frappe

from tests.integration.factories import make_deal, make_pipeline, stage_of, unique
from tests.integration.org_setup import make_branch, make_department, make_employee
from tests.integration.ui.desk import dialog, dialog_field, goto_desk, snapshot, submit_dialog, wait_idle


def commit_org(committed, users: dict[str, str]) -> frappe._dict:
	north, south = make_branch(), make_branch()
	department = make_department()
	employees = {
		key: make_employee(user, department, north if key != "south" else south)
		for key, user in users.items()
	}
	frappe.db.commit()
	for employee in employees.values():
		committed.add("Employee", employee)
	committed.add("Department", department)
	committed.add("Branch", north)
	committed.add("Branch", south)
	return frappe._dict(north=north, south=south, department=department, employees=employees)


def test_an_administrator_adds_a_person_on_the_organisation_page(desk_user, desk_login, committed):
	admin, password = desk_user("Korus Administrator")
	org = commit_org(committed, {"admin": admin})
	page = desk_login(admin, password)
	goto_desk(page, "/app/organisation")
	branch = page.locator(f'.korus-branch[data-branch="{org.north}"]')
	branch.wait_for()
	assert branch.locator(".korus-login", has_text=admin).count() == 1
	assert branch.locator(".korus-role", has_text="Korus Administrator").count() >= 1

	branch.locator("[data-action='add']").first.click()
	modal = dialog(page, "Add a person")
	name = unique("Ola")
	dialog_field(modal, "first_name").fill(name)
	dialog_field(modal, "gender").fill("Other")  # a link value the desk checks when the field is left
	# a date is typed in the user's date format
	dialog_field(modal, "date_of_birth").fill(
		page.evaluate("() => frappe.datetime.str_to_user('1990-05-01')")
	)
	dialog_field(modal, "first_name").click()  # leave the date field: its picker closes
	wait_idle(page)
	submit_dialog(page, modal)
	wait_idle(page)
	branch.locator(".korus-person", has_text=name).wait_for()
	page.wait_for_function("() => !document.querySelector('.modal-backdrop')")  # the dialog has gone
	snapshot(page, "organisation-page")
	frappe.db.rollback()
	employee = frappe.db.get_value(
		"Employee",
		{"first_name": name},
		["name", "branch", "user_id", "create_user_permission"],
		as_dict=True,
	)
	committed.add("Employee", employee.name)
	assert (employee.branch, employee.user_id, employee.create_user_permission) == (org.north, None, 0)


def test_a_branch_scoped_sales_user_sees_only_their_branchs_deals(desk_user, desk_login, committed):
	me, password = desk_user("Sales User")
	colleague, _ = desk_user("Sales User")
	stranger, _ = desk_user("Sales User")
	commit_org(committed, {"me": me, "colleague": colleague, "south": stranger})
	frappe.get_doc({"doctype": "Korus Role Scope", "role": "Sales User", "default_scope": "Branch"}).insert()
	pipeline = make_pipeline()
	ours = make_deal(deal_pipeline=pipeline.name, opportunity_owner=colleague, amount=300)
	theirs = make_deal(deal_pipeline=pipeline.name, opportunity_owner=stranger, amount=700)
	frappe.db.commit()
	committed.add("Deal Pipeline", pipeline.name)
	for deal in (ours, theirs):
		committed.add("Customer", deal.party_name)
		committed.add("Opportunity", deal.name)
	committed.add("Korus Role Scope", "Sales User")

	page = desk_login(me, password)
	goto_desk(page, f"/app/deal-board/{pipeline.name}")
	opened = stage_of(pipeline.name, "Open")
	column = page.locator(f'.korus-board-column[data-column="{opened}"]')
	column.locator(".korus-card").first.wait_for()
	assert column.locator(".korus-column-count").inner_text() == "1"
	assert "300" in column.locator(".korus-column-value").inner_text()
	assert column.locator(f'[data-name="{ours.name}"]').count() == 1
	assert page.locator(f'[data-name="{theirs.name}"]').count() == 0
	snapshot(page, "deal-board-branch-scoped")

	page.goto(f"/app/opportunity/{theirs.name}")  # the desk answers with its "Not permitted" message
	page.wait_for_function(
		"() => document.body.innerText.includes('Not permitted') || document.body.innerText.includes('not permitted')"
		" || document.body.innerText.includes('Insufficient Permission')"
	)
	snapshot(page, "deal-of-another-branch")
