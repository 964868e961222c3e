"""Desk journey of field service (issue 13), as three people of one branch: an office user enters a
job on the Service Job form (customer, job type); a dispatcher finds it in the dispatch board's pool,
drags it onto the technician's row at 10:00 today (HTML5 drag and drop), and the job is Scheduled for
that technician at that time (read back from the database); a second job dropped over the first is
refused with the double-booking message and stays in the pool; the technician sees the job in their
"My Jobs Today" list."""

from __future__ import annotations

import json

import frappe
from frappe.utils import add_days, get_datetime, nowdate
from playwright.sync_api import Locator, Page

from tests.integration.factories import default_company, make_customer, unique
from tests.integration.org_setup import make_branch, make_employee
from tests.integration.test_field_service import make_job_type
from tests.integration.ui.desk import (
	fetch,
	goto_desk,
	messages,
	snapshot,
	wait_for_form,
	wait_idle,
)

DISPATCH_API = "korus_crm.field_service.dispatch"
DURATION = 90  # the job type's default duration (minutes)


def fill_link(page: Page, fieldname: str, value: str) -> None:
	field = page.locator(f'.frappe-control[data-fieldname="{fieldname}"] input').first
	field.fill(value)
	page.locator(".awesomplete ul:not([hidden]) [role=option]", has_text=value).first.click()
	page.wait_for_function(
		"([f, v]) => cur_frm && cur_frm.doc[f] === v", arg=[fieldname, value], timeout=10_000
	)
	wait_idle(page)


def card(page: Page, job: str) -> Locator:
	return page.locator(f'.korus-dispatch-pool-list .korus-dispatch-card[data-job="{job}"]')


def block(page: Page, job: str) -> Locator:
	return page.locator(f'.korus-dispatch-block[data-job="{job}"]')


def lane(page: Page, technician: str) -> Locator:
	return page.locator(f'.korus-dispatch-lane[data-technician="{technician}"]')


def open_board(page: Page) -> None:
	page.evaluate("() => localStorage.setItem('korus_dispatch_view', 'day')")
	goto_desk(page, "/app/dispatch-board")
	page.locator(".korus-dispatch-grid .korus-dispatch-head").wait_for()
	page.locator(".korus-dispatch-pool-list > *").first.wait_for()
	wait_idle(page)


def drop_at(page: Page, job: str, technician: str, hour_label: str) -> None:
	"""Drag the pool card of `job` onto `technician`'s row at the start of the hour column labelled
	`hour_label` ("10:00"), a few pixels in (the board snaps to 15 minutes)."""
	heads = page.locator(".korus-dispatch-head .korus-dispatch-cell")
	labels = [heads.nth(i).inner_text().strip() for i in range(heads.count())]
	column = heads.nth(labels.index(hour_label)).bounding_box()
	target = lane(page, technician)
	target.scroll_into_view_if_needed()
	box = target.bounding_box()
	card(page, job).drag_to(target, target_position={"x": column["x"] - box["x"] + 3, "y": box["height"] / 2})
	wait_idle(page)


def test_a_job_goes_from_entry_through_the_pool_onto_a_technician(desk_user, desk_login, committed):
	today = nowdate()
	branch = make_branch()
	committed.add("Branch", branch)
	# no holidays for the technician today, whatever the company's list says
	holidays = frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": unique("Korus No Holidays"),
			"from_date": add_days(today, -7),
			"to_date": add_days(today, 7),
		}
	).insert()
	committed.add("Holiday List", holidays.name)
	office, office_password = desk_user("Korus Office Staff")
	dispatcher, dispatcher_password = desk_user("Korus Dispatcher")
	tech_user, tech_password = desk_user("Korus Technician")
	for user in (office, dispatcher):
		committed.add("Employee", make_employee(user, None, branch))
	employee = make_employee(tech_user, None, branch)
	frappe.db.set_value("Employee", employee, "holiday_list", holidays.name)
	committed.add("Employee", employee)
	technician = (
		frappe.get_doc({"doctype": "Service Technician", "employee": employee, "branch": branch})
		.insert()
		.name
	)
	committed.add("Service Technician", technician)
	job_type = make_job_type(DURATION)
	committed.add("Service Job Type", job_type)
	customer = make_customer(account_manager=office)
	committed.add("Customer", customer.name)
	# a second pool job of the branch, to drop over the first
	frappe.set_user(office)
	try:
		second = (
			frappe.get_doc(
				{
					"doctype": "Service Job",
					"customer": customer.name,
					"job_type": job_type,
					"company": default_company(),
					"priority": "Low",
				}
			)
			.insert()
			.name
		)
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()
	committed.add("Service Job", second)

	# the office user enters a job
	page = desk_login(office, office_password)
	goto_desk(page, "/app/service-job/new")
	page.wait_for_function("() => cur_frm && cur_frm.doctype === 'Service Job' && cur_frm.is_new()")
	fill_link(page, "customer", customer.name)
	# job entry read the customer's address and open jobs: no message, no server error
	assert not messages(page) and not page.locator(".modal.show").count(), page.locator(
		".modal.show"
	).all_inner_texts()
	fill_link(page, "job_type", job_type)
	page.keyboard.press("Control+s")
	page.wait_for_function("() => cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty()")
	job = page.evaluate("() => cur_frm.doc.name")
	committed.add("Service Job", job)
	wait_for_form(page, "Service Job", job)
	snapshot(page, "field-service-1-job-entered")
	frappe.db.rollback()
	entered = frappe.db.get_value(
		"Service Job", job, ["status", "branch", "technician", "customer"], as_dict=True
	)
	assert (entered.status, entered.branch, entered.technician, entered.customer) == (
		"New",
		branch,
		None,
		customer.name,
	)

	# the dispatcher sees it in the pool and drags it onto the technician at 10:00
	page = desk_login(dispatcher, dispatcher_password)
	open_board(page)
	card(page, job).wait_for()
	assert card(page, second).count() == 1
	assert lane(page, technician).count() == 1
	snapshot(page, "field-service-2-board-before")
	drop_at(page, job, technician, "10:00")
	block(page, job).wait_for()
	card(page, job).wait_for(state="detached")
	snapshot(page, "field-service-3-board-after")
	frappe.db.rollback()
	booked = frappe.db.get_value(
		"Service Job",
		job,
		["status", "technician", "technician_user", "scheduled_start", "scheduled_end"],
		as_dict=True,
	)
	assert (booked.status, booked.technician, booked.technician_user) == (
		"Scheduled",
		technician,
		tech_user,
	)
	assert get_datetime(booked.scheduled_start) == get_datetime(f"{today} 10:00:00")
	assert get_datetime(booked.scheduled_end) == get_datetime(f"{today} 11:30:00")

	# the second job dropped at 10:00 too: refused, with the double-booking message; it stays in the pool
	drop_at(page, second, technician, "10:00")
	page.wait_for_function("() => frappe.msg_dialog && frappe.msg_dialog.$wrapper.is(':visible')")
	shown = " ".join(messages(page))
	assert "cannot overlap" in shown and job in shown, shown
	snapshot(page, "field-service-4-overlap-refused")
	frappe.db.rollback()
	assert frappe.db.get_value("Service Job", second, ["status", "technician"]) == ("New", None)
	page.locator(".modal.show .btn-modal-close").first.click()
	card(page, second).wait_for()
	assert block(page, second).count() == 0

	# the technician sees the job in "My Jobs Today"
	page = desk_login(tech_user, tech_password)
	goto_desk(page, "/app/service-job")
	page.locator('.page-actions button[data-label="My%20Jobs%20Today"]:visible').first.click()
	wait_idle(page)
	page.locator(f'.list-row-checkbox[data-name="{job}"]').wait_for()
	page.locator(f'.list-row-checkbox[data-name="{second}"]').wait_for(state="detached")  # a pool job
	snapshot(page, "field-service-5-my-jobs-today")
	rows = page.locator(".list-row-checkbox[data-name]")
	assert [rows.nth(i).get_attribute("data-name") for i in range(rows.count())] == [job]
	mine = fetch(page, f"/api/method/{DISPATCH_API}.my_jobs_today")
	assert mine.ok, mine.body[:300]
	assert [r["name"] for r in json.loads(mine.body)["message"]] == [job]
