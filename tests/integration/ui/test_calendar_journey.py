"""Desk journey of the Korus calendar: a Sales User opens /app/korus-calendar, sees their task and a
deal's expected close date (not another user's task), filters by type, and clicking the task opens
its form."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, get_datetime, nowdate

from tests.integration.factories import make_deal
from tests.integration.ui.desk import goto_desk, snapshot, wait_for_form, wait_idle


def committed_task(committed, user: str, subject: str, due_at) -> str:
	frappe.set_user(user)
	try:
		task = frappe.get_doc(
			{"doctype": "Korus Task", "subject": subject, "assigned_to": user, "due_at": due_at}
		).insert()
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()
	committed.add("Korus Task", task.name)
	return task.name


def event(page, name: str):
	return page.locator(f'.fc-event[data-name="{name}"]')


def test_a_sales_user_sees_their_events_and_opens_one(desk_user, desk_login, committed):
	user, password = desk_user("Sales User")
	other, _ = desk_user("Sales User")
	day = add_days(nowdate(), 2)
	mine = committed_task(committed, user, "Call the Kowalski family", get_datetime(f"{day} 10:00:00"))
	theirs = committed_task(committed, other, "Someone else's errand", get_datetime(f"{day} 11:00:00"))
	deal = make_deal(expected_closing=day, opportunity_owner=user, title="Calendar deal")
	committed.add("Customer", deal.party_name)
	committed.add("Opportunity", deal.name)
	frappe.db.commit()

	page = desk_login(user, password)
	page.evaluate(
		"() => localStorage.removeItem('korus_calendar_types') || localStorage.setItem('korus_calendar_view', 'month')"
	)
	goto_desk(page, "/app/korus-calendar")
	event(page, mine).wait_for()
	event(page, deal.name).wait_for()
	wait_idle(page)
	assert event(page, theirs).count() == 0
	snapshot(page, "calendar-month")

	# only deals
	page.locator('.korus-calendar-types input[data-type="task"]').uncheck()
	event(page, mine).wait_for(state="detached")
	assert event(page, deal.name).count() == 1
	page.locator('.korus-calendar-types input[data-type="task"]').check()
	event(page, mine).wait_for()

	event(page, mine).click()
	wait_for_form(page, "Korus Task", mine)
	snapshot(page, "calendar-opened-task")
