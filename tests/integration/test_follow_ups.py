"""Follow-ups (跟进记录), scheduled contacts (zaplanowane kontakty), their reminders and followed
customers (关注): a follow-up sets its customer's last follow-up and next contact; both are read as
their customer is (data scope), plus their own people, in lists, by name and over REST; the views
"my open" and "overdue" read through indexes; reminders go out once, at the lead time before (time
moved, never slept); followers are told of changes and new follow-ups; bad input is a 4xx."""

from __future__ import annotations

from datetime import timedelta

import frappe
import pytest
from frappe.utils import add_to_date, get_datetime, now_datetime

from korus_crm.customers import contact_reminders, following, scheduled_contacts
from korus_crm.exceptions import (
	ContactAssigneeError,
	ContactStateError,
	FollowUpDatesError,
	FollowUpLinkError,
	InvalidInputError,
)
from korus_crm.rules.scope import OWN
from tests.integration.factories import make_contact, make_customer, make_deal, unique
from tests.integration.support import new_user, set_scope

FOLLOW_UP = "Customer Follow-up"
SCHEDULED = "Scheduled Contact"


@pytest.fixture
def people():
	"""Uncommitted users: two sales users with scope Own, a sales manager; a customer each."""
	made = frappe._dict(
		me=new_user("Sales User"),
		other=new_user("Sales User"),
		manager=new_user("Sales User", "Sales Manager"),
	)
	set_scope("Sales User", OWN)
	made.mine = make_customer(account_manager=made.me).name
	made.theirs = make_customer(account_manager=made.other).name
	return made


def follow_up(customer: str, as_user: str | None = None, **values):
	values.setdefault("content", unique("Talked about the offer"))
	values.setdefault("followed_up_at", add_to_date(now_datetime(), hours=-1))
	if as_user:
		frappe.set_user(as_user)
	try:
		return frappe.get_doc({"doctype": FOLLOW_UP, "customer": customer, **values}).insert()
	finally:
		frappe.set_user("Administrator")


def schedule(customer: str, as_user: str | None = None, **values):
	values.setdefault("scheduled_at", add_to_date(now_datetime(), hours=2))
	values.setdefault("purpose", "Present the new price list")
	if as_user:
		frappe.set_user(as_user)
	try:
		return frappe.get_doc({"doctype": SCHEDULED, "customer": customer, **values}).insert()
	finally:
		frappe.set_user("Administrator")


def timing(customer: str):
	row = frappe.db.get_value(
		"Customer", customer, ["korus_last_followup_at", "korus_next_contact_at"], as_dict=True
	)
	return tuple(
		get_datetime(v) if v else None for v in (row.korus_last_followup_at, row.korus_next_contact_at)
	)


def readable(user: str, doctype: str, filters=None) -> set[str]:
	frappe.set_user(user)
	try:
		return set(frappe.get_list(doctype, filters=filters or {}, pluck="name", limit_page_length=0))
	finally:
		frappe.set_user("Administrator")


def alerts(doctype: str, name: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Notification Log",
		filters={"document_type": doctype, "document_name": name, "type": "Alert"},
		fields=["for_user", "subject"],
		order_by="creation asc",
	)


# --- what a follow-up changes on its customer ---


class TestCustomerTiming:
	def test_the_latest_follow_up_sets_the_last_follow_up_and_next_contact(self, people):
		now = now_datetime().replace(microsecond=0)
		first = follow_up(
			people.mine, followed_up_at=now - timedelta(days=2), next_contact_at=now + timedelta(days=3)
		)
		assert timing(people.mine) == (now - timedelta(days=2), now + timedelta(days=3))
		second = follow_up(
			people.mine, followed_up_at=now - timedelta(days=1), next_contact_at=now + timedelta(days=1)
		)
		assert timing(people.mine) == (now - timedelta(days=1), now + timedelta(days=1))
		# a follow-up logged late, for an earlier contact, does not replace the latest
		follow_up(
			people.mine, followed_up_at=now - timedelta(days=5), next_contact_at=now + timedelta(days=9)
		)
		assert timing(people.mine) == (now - timedelta(days=1), now + timedelta(days=1))
		# the latest without a next contact clears it
		third = follow_up(people.mine, followed_up_at=now - timedelta(hours=2))
		assert timing(people.mine) == (now - timedelta(hours=2), None)
		frappe.delete_doc(FOLLOW_UP, third.name)
		frappe.delete_doc(FOLLOW_UP, second.name)
		assert timing(people.mine) == (now - timedelta(days=2), now + timedelta(days=3))
		assert first.followed_up_by == "Administrator"

	def test_the_customers_pool_return_date_is_worked_out_again(self, people, monkeypatch):
		from korus_crm.customers import pool

		calls = []
		original = pool.timing_changed
		monkeypatch.setattr(pool, "timing_changed", lambda c, **v: calls.append((c, v)) or original(c, **v))
		fu = follow_up(people.mine)
		assert calls == [
			(
				people.mine,
				{"korus_last_followup_at": get_datetime(fu.followed_up_at), "korus_next_contact_at": None},
			)
		]
		fu.content = "More detail"
		fu.save()
		assert len(calls) == 1  # nothing changed on the customer: nothing written

	def test_moving_a_follow_up_to_another_customer_updates_both(self, people):
		fu = follow_up(people.mine)
		other = make_customer(account_manager=people.me).name
		fu.customer = other
		fu.save()
		assert timing(people.mine) == (None, None)
		assert timing(other)[0] == get_datetime(fu.followed_up_at)

	def test_defaults_author_and_time(self, people):
		fu = frappe.get_doc({"doctype": FOLLOW_UP, "customer": people.mine, "content": "Called"})
		frappe.set_user(people.me)
		fu.insert()
		frappe.set_user("Administrator")
		assert fu.followed_up_by == people.me and fu.followed_up_at and fu.method == "Call"


class TestInput:
	def test_a_follow_up_in_the_future_is_refused(self, people):
		with pytest.raises(FollowUpDatesError):
			follow_up(people.mine, followed_up_at=add_to_date(now_datetime(), hours=1))

	def test_the_next_contact_must_come_after_the_follow_up(self, people):
		with pytest.raises(FollowUpDatesError):
			follow_up(people.mine, next_contact_at=add_to_date(now_datetime(), hours=-2))

	def test_a_contact_or_deal_of_another_customer_is_refused(self, people):
		stranger = make_contact(people.theirs).name
		with pytest.raises(FollowUpLinkError):
			follow_up(people.mine, contact=stranger)
		with pytest.raises(FollowUpLinkError):
			schedule(people.mine, contact=stranger)
		deal = make_deal(customer=people.theirs).name
		with pytest.raises(FollowUpLinkError):
			follow_up(people.mine, deal=deal)
		mine = make_contact(people.mine).name
		own_deal = make_deal(customer=people.mine).name
		assert follow_up(people.mine, contact=mine, deal=own_deal).contact == mine

	def test_values_of_the_wrong_kind_are_refused(self, people):
		with pytest.raises(InvalidInputError):
			follow_up(people.mine, followed_up_at={"when": "yesterday"})
		with pytest.raises(frappe.ValidationError):
			follow_up(people.mine, method="Fax")
		with pytest.raises(frappe.LinkValidationError):
			follow_up("No such customer")

	def test_a_disabled_assignee_is_refused(self, people):
		frappe.db.set_value("User", people.other, "enabled", 0)
		with pytest.raises(ContactAssigneeError):
			schedule(people.mine, assigned_to=people.other)


# --- who reads what ---


class TestPermissions:
	def test_a_follow_up_is_read_as_its_customer_and_by_its_author(self, people):
		mine = follow_up(people.mine, as_user=people.me)
		theirs = follow_up(people.theirs, as_user=people.other)
		# the other's follow-up on my customer (written when they could read it)
		on_mine = follow_up(people.mine, followed_up_by=people.other)
		assert readable(people.me, FOLLOW_UP, {"customer": ("in", [people.mine, people.theirs])}) == {
			mine.name,
			on_mine.name,
		}
		assert readable(people.other, FOLLOW_UP, {"customer": ("in", [people.mine, people.theirs])}) == {
			theirs.name,
			on_mine.name,
		}
		assert (
			len(readable(people.manager, FOLLOW_UP, {"customer": ("in", [people.mine, people.theirs])})) == 3
		)
		assert not frappe.has_permission(FOLLOW_UP, "read", doc=theirs.name, user=people.me)
		assert frappe.has_permission(FOLLOW_UP, "read", doc=on_mine.name, user=people.me)
		# read, not changed: only its author and managers change it
		assert not frappe.has_permission(FOLLOW_UP, "write", doc=on_mine.name, user=people.me)
		assert frappe.has_permission(FOLLOW_UP, "write", doc=on_mine.name, user=people.other)
		assert frappe.has_permission(FOLLOW_UP, "delete", doc=on_mine.name, user=people.manager)

	def test_nobody_adds_a_follow_up_to_a_customer_they_cannot_read(self, people):
		with pytest.raises(frappe.PermissionError):
			follow_up(people.theirs, as_user=people.me)
		with pytest.raises(frappe.PermissionError):
			schedule(people.theirs, as_user=people.me)

	def test_the_assignee_reads_a_scheduled_contact_of_a_customer_they_cannot_read(self, people):
		contact = schedule(people.theirs, as_user=people.other, assigned_to=people.me)
		assert contact.name in readable(people.me, SCHEDULED)
		assert frappe.has_permission(SCHEDULED, "write", doc=contact.name, user=people.me)
		assert not frappe.has_permission("Customer", "read", doc=people.theirs, user=people.me)
		stranger = new_user("Sales User")
		assert contact.name not in readable(stranger, SCHEDULED)
		assert not frappe.has_permission(SCHEDULED, "read", doc=contact.name, user=stranger)

	def test_the_permission_condition_is_a_semi_join_on_the_customer_index(self, people):
		frappe.set_user(people.me)
		query = frappe.get_list(
			FOLLOW_UP, fields=["name"], order_by="followed_up_at desc", limit_page_length=20, run=0
		)
		frappe.set_user("Administrator")
		assert "`tabCustomer Follow-up`.`customer` in (select `tabCustomer`.`name`" in query
		plan = frappe.db.sql(f"explain {query}", as_dict=True)
		customer_rows = [
			row for row in plan if row.table and "Customer" == row.table.strip("`").removeprefix("tab")
		]
		assert all(row.type != "ALL" for row in customer_rows), plan


# --- scheduled contacts ---


class TestScheduledContacts:
	def test_the_assignee_is_told_and_marks_it_done(self, people):
		contact = schedule(people.mine, as_user=people.me, assigned_to=people.other)
		assert [a.for_user for a in alerts(SCHEDULED, contact.name)] == [people.other]
		frappe.set_user(people.other)
		done = scheduled_contacts.mark_done(contact.name)
		frappe.set_user("Administrator")
		assert done["status"] == "Done" and done["done_at"]
		contact.reload()
		assert contact.remind_at is None
		# again: nothing changes
		assert scheduled_contacts.mark_done(contact.name)["done_at"] == done["done_at"]

	def test_a_cancelled_contact_is_not_marked_done(self, people):
		contact = schedule(people.mine, status="Cancelled")
		with pytest.raises(ContactStateError):
			scheduled_contacts.mark_done(contact.name)

	def test_someone_who_only_reads_it_cannot_mark_it_done(self, people):
		contact = schedule(people.mine, as_user=people.me)
		frappe.set_user(people.other)
		try:
			with pytest.raises(frappe.PermissionError):
				scheduled_contacts.mark_done(contact.name)
		finally:
			frappe.set_user("Administrator")

	def test_my_open_and_overdue(self, people):
		past = schedule(people.mine, as_user=people.me, scheduled_at=add_to_date(now_datetime(), hours=-3))
		future = schedule(people.mine, as_user=people.me)
		done = schedule(people.mine, as_user=people.me, scheduled_at=add_to_date(now_datetime(), hours=-5))
		done.status = "Done"
		done.save()
		theirs = schedule(
			people.theirs, as_user=people.other, scheduled_at=add_to_date(now_datetime(), hours=-3)
		)
		frappe.set_user(people.me)
		try:
			assert [r["name"] for r in scheduled_contacts.my_open()] == [past.name, future.name]
			assert [r["name"] for r in scheduled_contacts.overdue()] == [past.name]
			assert [r["name"] for r in scheduled_contacts.overdue(mine=True)] == [past.name]
		finally:
			frappe.set_user("Administrator")
		frappe.set_user(people.manager)
		try:
			assert {past.name, theirs.name} <= {
				r["name"] for r in scheduled_contacts.overdue(page_length=500)
			}
		finally:
			frappe.set_user("Administrator")

	def test_the_overdue_view_reads_an_index(self, people):
		query = frappe.get_all(
			SCHEDULED,
			filters=[
				["assigned_to", "=", people.me],
				["status", "=", "Open"],
				["scheduled_at", "<", now_datetime()],
			],
			fields=["name"],
			order_by="scheduled_at asc",
			run=0,
		)
		plan = frappe.db.sql(f"explain {query}", as_dict=True)
		assert "korus_contact_assignee_status" in (plan[0].possible_keys or ""), plan
		query = frappe.get_all(
			SCHEDULED,
			filters=[["status", "=", "Open"], ["scheduled_at", "<", now_datetime()]],
			fields=["name"],
			order_by="scheduled_at asc",
			run=0,
		)
		plan = frappe.db.sql(f"explain {query}", as_dict=True)
		assert "korus_contact_status_time" in (plan[0].possible_keys or ""), plan


# --- reminders ---


@pytest.fixture
def lead_15():
	frappe.db.set_single_value("Korus CRM Settings", "contact_reminder_minutes", 15)


class TestReminders:
	def test_a_next_contact_is_reminded_once_to_its_author(self, people, lead_15, outgoing_email_account):
		when = now_datetime().replace(microsecond=0) + timedelta(hours=2)
		fu = follow_up(
			people.mine, as_user=people.me, next_contact_at=when, next_contact_topic="The discount"
		)
		assert get_datetime(fu.remind_at) == when - timedelta(minutes=15)
		assert contact_reminders.run(when - timedelta(minutes=16))[FOLLOW_UP] == 0
		assert contact_reminders.run(when - timedelta(minutes=14))[FOLLOW_UP] == 1
		assert contact_reminders.run(when - timedelta(minutes=10))[FOLLOW_UP] == 0
		assert contact_reminders.run(when + timedelta(hours=1))[FOLLOW_UP] == 0
		logs = alerts(FOLLOW_UP, fu.name)
		assert [log.for_user for log in logs] == [people.me]
		assert "Reminder: contact customer" in logs[0].subject
		assert frappe.db.get_value(FOLLOW_UP, fu.name, ["reminder_sent", "remind_at"]) == (1, None)
		queued = frappe.get_all(
			"Email Queue", filters={"reference_doctype": FOLLOW_UP, "reference_name": fu.name}, pluck="name"
		)
		assert len(queued) == 1

	def test_a_scheduled_contact_is_reminded_once_to_its_assignee(self, people, lead_15):
		when = now_datetime().replace(microsecond=0) + timedelta(hours=1)
		contact = schedule(people.mine, as_user=people.me, assigned_to=people.other, scheduled_at=when)
		assert contact_reminders.run(when - timedelta(minutes=20))[SCHEDULED] == 0
		assert contact_reminders.run(when - timedelta(minutes=15))[SCHEDULED] == 1
		assert contact_reminders.run(when)[SCHEDULED] == 0
		reminders = [a for a in alerts(SCHEDULED, contact.name) if a.subject.startswith("Reminder")]
		assert [a.for_user for a in reminders] == [people.other]

	def test_a_new_time_brings_a_new_reminder_and_done_contacts_have_none(self, people, lead_15):
		contact = schedule(people.mine, as_user=people.me)
		contact_reminders.run(get_datetime(contact.scheduled_at))
		contact.reload()
		assert (contact.reminder_sent, contact.remind_at) == (1, None)
		contact.purpose = "Something else"
		contact.save()
		assert (contact.reminder_sent, contact.remind_at) == (1, None)  # same time: not again
		contact.scheduled_at = add_to_date(now_datetime(), days=1)
		contact.save()
		assert contact.reminder_sent == 0 and contact.remind_at
		contact.status = "Done"
		contact.save()
		assert contact.remind_at is None
		assert contact_reminders.run(add_to_date(now_datetime(), days=2))[SCHEDULED] == 0

	def test_a_plan_replaced_by_a_later_follow_up_is_not_reminded(self, people, lead_15):
		now = now_datetime().replace(microsecond=0)
		old = follow_up(
			people.mine,
			as_user=people.me,
			followed_up_at=now - timedelta(days=1),
			next_contact_at=now + timedelta(hours=1),
		)
		new = follow_up(
			people.mine,
			as_user=people.me,
			followed_up_at=now - timedelta(hours=1),
			next_contact_at=now + timedelta(hours=3),
		)
		assert contact_reminders.run(now + timedelta(hours=5))[FOLLOW_UP] == 1
		assert alerts(FOLLOW_UP, old.name) == []
		assert len(alerts(FOLLOW_UP, new.name)) == 1

	def test_the_lead_time_is_a_setting(self, people):
		frappe.db.set_single_value("Korus CRM Settings", "contact_reminder_minutes", 60)
		when = now_datetime().replace(microsecond=0) + timedelta(hours=2)
		contact = schedule(people.mine, scheduled_at=when)
		assert get_datetime(contact.remind_at) == when - timedelta(minutes=60)

	def test_the_scheduler_runs_the_job_every_five_minutes(self, people, lead_15, monkeypatch):
		assert (
			"korus_crm.customers.contact_reminders.send_due_reminders"
			in frappe.get_hooks("scheduler_events")["cron"]["*/5 * * * *"]
		)
		contact = schedule(people.mine, as_user=people.me)
		monkeypatch.setattr(frappe.utils, "now_datetime", lambda: get_datetime(contact.scheduled_at))
		monkeypatch.setattr(frappe.db, "commit", lambda: None)
		contact_reminders.send_due_reminders()
		assert len(alerts(SCHEDULED, contact.name)) == 1

	def test_the_job_reads_only_due_rows_through_an_index(self):
		for doctype in (FOLLOW_UP, SCHEDULED):
			query = contact_reminders.due_rows_query(doctype, now_datetime()).get_sql()
			plan = frappe.db.sql(f"explain {query}", as_dict=True)
			assert "remind_at" in (plan[0].possible_keys or ""), plan


# --- followed customers ---


class TestFollowing:
	def test_follow_list_and_unfollow(self, people):
		frappe.set_user(people.me)
		try:
			assert following.is_following(people.mine) is False
			assert following.follow(people.mine) == {"customer": people.mine, "following": True}
			following.follow(people.mine)  # twice: one record
			assert following.is_following(people.mine) is True
			assert [c["name"] for c in following.followed_customers()] == [people.mine]
			assert following.followed_customer_names() == [people.mine]
			with pytest.raises(frappe.PermissionError):
				following.follow(people.theirs)
			assert following.unfollow(people.mine) == {"customer": people.mine, "following": False}
			assert following.is_following(people.mine) is False
			assert following.followed_customers() == []
		finally:
			frappe.set_user("Administrator")
		assert (
			frappe.db.count("Document Follow", {"ref_doctype": "Customer", "ref_docname": people.mine}) == 0
		)

	def test_a_customer_i_can_no_longer_read_drops_out_of_my_list(self, people):
		frappe.set_user(people.me)
		following.follow(people.mine)
		frappe.set_user("Administrator")
		frappe.db.set_value("Customer", people.mine, "account_manager", people.other)
		frappe.set_user(people.me)
		try:
			assert following.followed_customers() == []
		finally:
			frappe.set_user("Administrator")

	def test_followers_are_told_of_changes_and_new_follow_ups_not_the_actor(self, people):
		for user in (people.me, people.manager):
			frappe.set_user(user)
			following.follow(people.mine)
		frappe.set_user(people.me)
		customer = frappe.get_doc("Customer", people.mine)
		customer.customer_details = "Now a key account"
		customer.save()
		frappe.set_user("Administrator")
		told = [a for a in alerts("Customer", people.mine) if "changed customer" in a.subject]
		assert [a.for_user for a in told] == [people.manager]
		# a save that changes nothing told is not news
		customer.reload()
		customer.save()
		assert len([a for a in alerts("Customer", people.mine) if "changed customer" in a.subject]) == 1
		fu = follow_up(people.mine, as_user=people.manager)
		told = alerts(FOLLOW_UP, fu.name)
		assert [a.for_user for a in told] == [people.me]
		assert "followed up with customer" in told[0].subject

	def test_followers_are_read_through_an_index(self, people):
		query = frappe.get_all(
			"Document Follow",
			filters={"ref_doctype": "Customer", "ref_docname": people.mine},
			fields=["user"],
			run=0,
		)
		plan = frappe.db.sql(f"explain {query}", as_dict=True)
		assert "korus_follow_ref" in (plan[0].possible_keys or ""), plan
		assert plan[0].type == "ref", plan


# --- over REST ---


@pytest.fixture
def own_scope(committed):
	"""Sales User with scope Own, committed (REST requests run in their own transaction); the
	site's own Korus Role Scope of Sales User, if any, is put back afterwards."""
	previous = (
		frappe.get_doc("Korus Role Scope", "Sales User").as_dict(convert_dates_to_str=True)
		if frappe.db.exists("Korus Role Scope", "Sales User")
		else None
	)

	def restore():
		if frappe.db.exists("Korus Role Scope", "Sales User"):
			frappe.delete_doc("Korus Role Scope", "Sales User", force=True)
		if previous:
			frappe.get_doc(previous).insert()

	set_scope("Sales User", OWN)
	frappe.db.commit()
	committed.afterwards(restore)


def test_over_rest_follow_ups_follow_the_customers_scope_and_bad_input_is_4xx(api, committed, own_scope):
	me, other = api("Sales User"), api("Sales User")
	mine = make_customer(account_manager=me.user).name
	theirs = make_customer(account_manager=other.user).name
	for name in (mine, theirs):
		committed.add("Customer", name)
	committed.afterwards(lambda: frappe.db.delete("Customer Owner Log", {"customer": ("in", [mine, theirs])}))
	frappe.db.commit()
	made = []
	try:
		answer = other.post(
			f"/api/resource/{FOLLOW_UP}", {"customer": theirs, "content": "Visited them", "method": "Visit"}
		)
		assert answer.status_code == 200, answer
		made.append(answer.data["name"])
		assert answer.data["followed_up_by"] == other.user
		assert me.get(f"/api/resource/{FOLLOW_UP}/{made[0]}").status_code == 403
		listed = me.get(f"/api/resource/{FOLLOW_UP}", {"filters": frappe.as_json({"customer": theirs})})
		assert listed.status_code == 200 and listed.data == []
		assert other.get(f"/api/resource/{FOLLOW_UP}/{made[0]}").status_code == 200
		# counted as read
		count = me.get(
			"/api/method/frappe.client.get_count",
			{"doctype": FOLLOW_UP, "filters": frappe.as_json({"customer": theirs})},
		)
		assert count.data == 0, count

		refused = [
			me.post(f"/api/resource/{FOLLOW_UP}", {"customer": theirs, "content": "x"}),
			me.post(
				f"/api/resource/{FOLLOW_UP}", {"customer": mine, "content": "x", "followed_up_at": {"a": 1}}
			),
			me.post(f"/api/resource/{FOLLOW_UP}", {"customer": mine, "content": "x", "method": "Fax"}),
			me.post(
				f"/api/resource/{FOLLOW_UP}",
				{"customer": mine, "content": "x", "next_contact_at": "2001-01-01 10:00:00"},
			),
			me.post("/api/method/korus_crm.customers.following.follow", {"customer": {"name": mine}}),
			me.post("/api/method/korus_crm.customers.scheduled_contacts.mark_done", {"name": ["a", "b"]}),
			me.post("/api/method/korus_crm.customers.following.follow", {"customer": theirs}),
			me.get("/api/method/korus_crm.customers.scheduled_contacts.overdue", {"page_length": "lots"}),
		]
		statuses = [r.status_code for r in refused]
		assert statuses == [403, 417, 417, 417, 417, 417, 403, 417], refused
		assert all(r.messages or r.exc_type for r in refused), refused
		frappe.db.rollback()
		assert frappe.db.count(FOLLOW_UP, {"customer": mine}) == 0

		followed = me.post("/api/method/korus_crm.customers.following.follow", {"customer": mine})
		assert followed.status_code == 200 and followed.data == {"customer": mine, "following": True}
		assert (
			me.get("/api/method/korus_crm.customers.following.is_following", {"customer": mine}).data is True
		)
		listed = me.get("/api/method/korus_crm.customers.following.followed_customers")
		assert [c["name"] for c in listed.data] == [mine]
	finally:
		frappe.db.rollback()
		frappe.db.delete(
			"Document Follow", {"ref_doctype": "Customer", "ref_docname": ("in", [mine, theirs])}
		)
		for name in made:
			frappe.db.delete("Notification Log", {"document_type": FOLLOW_UP, "document_name": name})
			frappe.delete_doc(FOLLOW_UP, name, force=True, ignore_permissions=True)
		frappe.db.commit()
