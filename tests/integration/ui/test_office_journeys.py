"""Desk journeys of announcements and work reports: an author publishes a draft with the Publish
button and a reader sees it bold in the list until they open it (a read receipt is written); a
supervisor sees a subordinate's report bold with "Unread", finds it with Show > Unread, opens it and
it is read."""

from __future__ import annotations

import frappe
from frappe.utils import getdate

from korus_crm.office import announcements
from tests.integration.org_setup import make_employee
from tests.integration.ui.desk import (
	custom_button,
	goto_desk,
	group_button,
	open_form,
	snapshot,
	wait_idle,
	wait_until,
)


def committed_doc(committed, values: dict, user: str, submit: bool = False):
	frappe.set_user(user)
	try:
		doc = frappe.get_doc(values).insert()
		if submit:
			doc.submit()
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()
	committed.add(doc.doctype, doc.name)
	return doc


def list_row(page, name: str):
	return page.locator(f'.list-row-container:has(.list-row-checkbox[data-name="{name}"]) .list-subject')


def test_an_author_publishes_an_announcement_and_a_reader_opens_it(desk_user, desk_login, committed):
	author, author_password = desk_user("Sales Manager")
	reader, reader_password = desk_user("Sales User")
	draft = committed_doc(
		committed,
		{"doctype": announcements.DOCTYPE, "title": "Office closed on Friday", "content": "<p>Enjoy.</p>"},
		author,
	)
	# announced already: publishing from the browser enqueues no job (the bench's workers would run it)
	frappe.db.set_value(announcements.DOCTYPE, draft.name, "notified_on", frappe.utils.now_datetime())
	frappe.db.commit()

	page = desk_login(author, author_password)
	open_form(page, announcements.DOCTYPE, draft.name)
	custom_button(page, "Publish").click()
	wait_idle(page)
	wait_until(
		lambda: (
			frappe.db.rollback()
			or frappe.db.get_value(announcements.DOCTYPE, draft.name, "status") == "Published"
		),
		what="the announcement to be published",
	)

	page = desk_login(reader, reader_password)
	goto_desk(page, "/app/korus-announcement")
	subject = list_row(page, draft.name)
	subject.wait_for()
	page.wait_for_function(
		"(name) => !!document.querySelector(`.list-row-checkbox[data-name='${name}']`)"
		" && document.querySelector(`.list-row-container .list-row-checkbox[data-name='${name}']`)"
		".closest('.list-row-container').querySelector('.list-subject').classList.contains('bold')",
		arg=draft.name,
	)
	snapshot(page, "announcement-list-unread")
	open_form(page, announcements.DOCTYPE, draft.name)
	receipt = wait_until(
		lambda: (
			frappe.db.rollback()
			or frappe.db.get_value(announcements.READ, {"announcement": draft.name, "user": reader}, "name")
		),
		what="the read receipt",
	)
	committed.add(announcements.READ, receipt)

	page = desk_login(author, author_password)
	open_form(page, announcements.DOCTYPE, draft.name)
	page.locator(".form-dashboard .indicator", has_text="Read by 1 of").first.wait_for()


def test_a_supervisor_finds_an_unread_report_and_opening_it_reads_it(desk_user, desk_login, committed):
	boss, boss_password = desk_user("Sales Manager")
	clerk, _ = desk_user("Sales User")
	boss_employee = make_employee(boss, None, None)
	clerk_employee = make_employee(clerk, None, None, reports_to=boss_employee)
	frappe.db.commit()
	committed.add("Employee", boss_employee)
	committed.add("Employee", clerk_employee)
	from korus_crm import people

	people.forget()
	report = committed_doc(
		committed,
		{
			"doctype": "Work Report",
			"kind": "Weekly",
			"report_date": getdate("2026-06-17"),
			"done": "<p>Closed two deals.</p>",
		},
		clerk,
		submit=True,
	)
	assert [r.user for r in report.recipients] == [boss]

	page = desk_login(boss, boss_password)
	goto_desk(page, "/app/work-report")
	subject = list_row(page, report.name)
	subject.locator(".korus-unread").wait_for()
	group_button(page, "Show", "Unread").click()
	wait_idle(page)
	page.wait_for_function("() => cur_list && cur_list.filter_area.get().length >= 2")
	list_row(page, report.name).wait_for()
	snapshot(page, "work-report-list-unread")

	open_form(page, "Work Report", report.name)
	wait_until(
		lambda: (
			frappe.db.rollback()
			or frappe.db.get_value("Work Report Recipient", {"parent": report.name, "user": boss}, "is_read")
		),
		what="the report to be read",
	)
	page.locator(".form-dashboard .indicator", has_text="Read by 1 of 1").first.wait_for()


def test_the_workspace_block_lists_current_announcements_and_a_click_reads_one(
	desk_user, desk_login, committed
):
	author, _ = desk_user("Sales Manager")
	reader, reader_password = desk_user("Korus Office Staff")
	announcements.sync_workspace_block()
	frappe.db.commit()
	values = {"doctype": announcements.DOCTYPE, "content": "<p>Details inside.</p>", "status": "Published"}
	pinned = committed_doc(committed, {**values, "title": "Pinned notice", "pinned": 1}, author)
	fresh = committed_doc(committed, {**values, "title": "Fresh notice"}, author)
	for doc in (pinned, fresh):  # announced already: no job for the bench's workers
		frappe.db.set_value(announcements.DOCTYPE, doc.name, "notified_on", frappe.utils.now_datetime())
	frappe.db.commit()

	page = desk_login(reader, reader_password)
	# the block as the workspace renders it (frappe.widget's CustomBlockWidget): its record in a
	# shadow root, with its script
	page.evaluate(
		"""(name) => frappe.model.with_doc("Custom HTML Block", name).then((block) => {
			const host = document.createElement("div");
			host.id = "korus-block-host";
			document.body.prepend(host);
			frappe.create_shadow_element(host, block.html, block.style, block.script);
		})""",
		announcements.BLOCK,
	)
	items = page.locator("#korus-block-host .korus-announcement")
	items.first.wait_for()
	titles = [t.strip() for t in items.locator(".title").all_inner_texts()]
	assert titles[0].endswith("Pinned notice") and titles[1].endswith("Fresh notice"), titles
	assert page.locator("#korus-block-host .korus-announcement.unread").count() == 2
	snapshot(page, "workspace-announcements-block")

	items.nth(1).locator(".title").click()
	page.locator("#korus-block-host .korus-announcement.open .content", has_text="Details inside.").wait_for()
	receipt = wait_until(
		lambda: (
			frappe.db.rollback()
			or frappe.db.get_value(announcements.READ, {"announcement": fresh.name, "user": reader}, "name")
		),
		what="the read receipt",
	)
	committed.add(announcements.READ, receipt)
	assert page.locator("#korus-block-host .korus-announcement.unread").count() == 1
