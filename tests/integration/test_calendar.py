"""The Korus calendar (seed 001 Kalendarz): the events of each source in a range, read through the
user's permissions (another user's private task is not shown), filtered by person and type; yearly
dates by month-day; dragging to reschedule saves the record; bad input answers 4xx."""

from __future__ import annotations

from datetime import date, datetime

import frappe
import pytest

from korus_crm import calendar
from korus_crm.exceptions import CalendarRangeError
from tests.integration.factories import make_contact, make_customer, make_deal
from tests.integration.support import new_user

START, END = "2031-06-01", "2031-07-01"


def make_task(user: str, due_at: datetime, start_at: datetime | None = None, **values):
	frappe.set_user(user)
	task = frappe.get_doc(
		{
			"doctype": "Korus Task",
			"subject": values.pop("subject", "Calendar test task"),
			"assigned_to": user,
			"start_at": start_at,
			"due_at": due_at,
			**values,
		}
	).insert()
	frappe.set_user("Administrator")
	return task


def events_of(user: str, **kwargs) -> list[dict]:
	frappe.set_user(user)
	try:
		return calendar.events(kwargs.pop("start", START), kwargs.pop("end", END), **kwargs)
	finally:
		frappe.set_user("Administrator")


def keys(events: list[dict]) -> set[tuple[str, str]]:
	return {(e["type"], e["name"]) for e in events}


@pytest.fixture
def alice():
	return new_user("Sales User", first_name="Alice")


@pytest.fixture
def bob():
	return new_user("Sales User", first_name="Bob")


class TestSources:
	def test_tasks_in_the_range_by_due_time_with_their_start(self, alice):
		task = make_task(alice, datetime(2031, 6, 10, 11), start_at=datetime(2031, 6, 10, 9))
		later = make_task(alice, datetime(2031, 7, 2, 9))
		found = {e["name"]: e for e in events_of(alice, types=["task"])}
		assert task.name in found and later.name not in found
		event = found[task.name]
		assert (event["start"], event["end"], event["doctype"], event["editable"]) == (
			"2031-06-10 09:00:00",
			"2031-06-10 11:00:00",
			"Korus Task",
			True,
		)
		assert event["person"] == alice

	def test_another_users_task_is_not_shown(self, alice, bob):
		mine = make_task(alice, datetime(2031, 6, 10, 11))
		theirs = make_task(bob, datetime(2031, 6, 11, 11))
		assert (("task", mine.name) in keys(events_of(alice))) and (
			("task", theirs.name) not in keys(events_of(alice))
		)
		assert ("task", theirs.name) in keys(events_of(bob))

	def test_open_deals_by_expected_close_date(self, alice):
		deal = make_deal(expected_closing=date(2031, 6, 20), opportunity_owner=alice)
		other = make_deal(expected_closing=date(2031, 8, 20))
		found = {e["name"]: e for e in events_of(alice, types=["deal"])}
		assert deal.name in found and other.name not in found
		assert (found[deal.name]["start"], found[deal.name]["all_day"]) == ("2031-06-20", True)

	def test_birthdays_and_anniversaries_every_year(self, alice):
		customer = make_customer(korus_anniversary=date(2001, 6, 5))
		contact = make_contact(customer.name)
		contact.korus_birthday = date(1980, 6, 15)
		contact.korus_anniversary = date(2010, 12, 31)
		contact.save()
		assert (contact.korus_birthday_md, contact.korus_anniversary_md) == ("06-15", "12-31")
		assert frappe.db.get_value("Customer", customer.name, "korus_anniversary_md") == "06-05"
		found = {(e["type"], e["doctype"], e["name"]): e for e in events_of("Administrator")}
		birthday = found[("birthday", "Contact", contact.name)]
		assert birthday["start"] == "2031-06-15" and birthday["title"].endswith("(51)")
		assert ("anniversary", "Customer", customer.name) in found
		assert ("anniversary", "Contact", contact.name) not in found  # December
		december = events_of("Administrator", start="2031-12-01", end="2032-01-01", types=["anniversary"])
		assert ("anniversary", contact.name) in keys(december)

	def test_scheduled_contacts_and_next_contacts(self, alice):
		if not frappe.db.exists("DocType", "Scheduled Contact"):
			pytest.skip("follow-ups are not installed")
		customer = make_customer(account_manager=alice)
		contact = frappe.get_doc(
			{
				"doctype": "Scheduled Contact",
				"customer": customer.name,
				"scheduled_at": datetime(2031, 6, 12, 10),
				"assigned_to": alice,
				"purpose": "Renewal",
			}
		).insert()
		follow_up = frappe.get_doc(
			{
				"doctype": "Customer Follow-up",
				"customer": customer.name,
				"method": "Call",
				"content": "Talked",
				"followed_up_at": frappe.utils.now_datetime(),
				"followed_up_by": alice,
				"next_contact_at": datetime(2031, 6, 13, 15),
				"next_contact_topic": "Price",
			}
		).insert()
		found = keys(events_of("Administrator", types=["scheduled_contact", "follow_up"]))
		assert ("scheduled_contact", contact.name) in found
		assert ("follow_up", follow_up.name) in found


class TestFilters:
	def test_by_person_and_type(self, alice, bob):
		mine = make_task(alice, datetime(2031, 6, 10, 11))
		theirs = make_task(bob, datetime(2031, 6, 11, 11))
		deal = make_deal(expected_closing=date(2031, 6, 20), opportunity_owner=bob)
		found = keys(events_of("Administrator", people=[alice]))
		assert ("task", mine.name) in found
		assert ("task", theirs.name) not in found and ("deal", deal.name) not in found
		only_deals = events_of("Administrator", types=["deal"], people=[bob])
		assert {e["type"] for e in only_deals} == {"deal"} and ("deal", deal.name) in keys(only_deals)

	def test_a_source_the_user_may_not_read_is_left_out(self, alice, monkeypatch):
		task = make_task(alice, datetime(2031, 6, 10, 11))
		real = frappe.has_permission
		monkeypatch.setattr(
			frappe,
			"has_permission",
			lambda doctype=None, *a, **k: False if doctype == "Korus Task" else real(doctype, *a, **k),
		)
		assert ("task", task.name) not in keys(events_of(alice))


class TestReschedule:
	def test_a_task_keeps_its_length(self, alice):
		task = make_task(alice, datetime(2031, 6, 10, 11), start_at=datetime(2031, 6, 10, 9))
		frappe.set_user(alice)
		event = calendar.reschedule("Korus Task", task.name, "2031-06-12 14:00:00")
		task.reload()
		assert (str(task.start_at), str(task.due_at)) == ("2031-06-12 14:00:00", "2031-06-12 16:00:00")
		assert event["start"] == "2031-06-12 14:00:00"

	def test_a_deals_expected_close_date(self, alice):
		deal = make_deal(expected_closing=date(2031, 6, 20), opportunity_owner=alice)
		frappe.set_user(alice)
		calendar.reschedule("Opportunity", deal.name, "2031-06-25")
		assert str(frappe.db.get_value("Opportunity", deal.name, "expected_closing")) == "2031-06-25"

	def test_someone_elses_task_cannot_be_moved(self, alice, bob):
		task = make_task(bob, datetime(2031, 6, 10, 11))
		frappe.set_user(alice)
		with pytest.raises(frappe.PermissionError):
			calendar.reschedule("Korus Task", task.name, "2031-06-12 14:00:00")

	def test_a_time_that_is_not_one_is_refused(self, alice):
		task = make_task(alice, datetime(2031, 6, 10, 11))
		frappe.set_user(alice)
		with pytest.raises(CalendarRangeError):
			calendar.reschedule("Korus Task", task.name, "not a time")


class TestBadInput:
	def test_bad_ranges_are_refused(self):
		with pytest.raises(CalendarRangeError):
			calendar.events("2031-06-10", "2031-06-01")
		with pytest.raises(CalendarRangeError):
			calendar.events("2031-01-01", "2031-12-31")
		with pytest.raises(CalendarRangeError):
			calendar.events("yesterday", "2031-06-01")
		with pytest.raises(CalendarRangeError):
			calendar.events(START, END, types=["meeting"])

	def test_over_rest(self, api):
		client = api("Sales User")
		ok = client.get("/api/method/korus_crm.calendar.events", {"start": START, "end": END})
		assert ok.status_code == 200, ok.text
		for params in (
			{"start": "x", "end": END},
			{"start": START, "end": END, "types": '["meeting"]'},
			{"start": START, "end": END, "people": '{"a": 1}'},
		):
			assert client.get("/api/method/korus_crm.calendar.events", params).status_code == 417
		moved = client.post(
			"/api/method/korus_crm.calendar.reschedule",
			{"doctype": "Customer", "name": "x", "start": START},
		)
		assert moved.status_code == 417
		missing = client.post(
			"/api/method/korus_crm.calendar.reschedule",
			{"doctype": "Korus Task", "name": "no such task", "start": START},
		)
		assert missing.status_code == 404
