"""Announcements (公告): read by their audience (everyone, branches, departments with the departments
below them), their author and the managers, in lists, counts and by name; published now or by the
scheduler on their date; announced once to their audience in a background job; read receipts for
their author; the workspace block; bad input refused with nothing written."""

from __future__ import annotations

import json
from unittest.mock import patch

import frappe
import pytest
from frappe.utils import add_to_date, now_datetime

from korus_crm.exceptions import AnnouncementAudienceError, AnnouncementDateError
from korus_crm.office import announcements
from tests.integration.org_setup import make_branch, make_department, make_employee
from tests.integration.support import make_user, new_user

DOCTYPE = "Korus Announcement"
URL = f"/api/resource/{DOCTYPE}"


def make_org(users: dict[str, str]) -> frappe._dict:
	"""north, south: branches; d: a department, dn: a department under it.
	alice: North, dn.  bob: South, d.  carol: no Employee."""
	north, south = make_branch(), make_branch()
	d = make_department()
	dn = make_department(d)
	make_employee(users["alice"], dn, north)
	make_employee(users["bob"], d, south)
	from korus_crm import people

	people.forget()
	return frappe._dict(north=north, south=south, d=d, dn=dn)


@pytest.fixture
def org():
	users = frappe._dict(
		author=new_user("Sales Manager", "Sales User"),
		alice=new_user("Sales User"),
		bob=new_user("Korus Office Staff"),
		carol=new_user("Korus Dispatcher"),
		manager=new_user("Korus Administrator"),
		outsider=new_user(),
	)
	place = make_org(users)
	return frappe._dict(users=users, **place)


def announce(author: str, **values):
	"""An announcement written by `author` (published unless told otherwise)."""
	frappe.set_user(author)
	try:
		doc = frappe.get_doc(
			{
				"doctype": DOCTYPE,
				"title": values.pop("title", f"Notice {frappe.generate_hash(length=5)}"),
				"content": values.pop("content", "<p>The office is closed on Friday.</p>"),
				"status": values.pop("status", "Published"),
				**values,
			}
		)
		with patch.object(announcements.jobs, "enqueue"):
			doc.insert()
		return doc
	finally:
		frappe.set_user("Administrator")


def visible_to(user: str, **filters) -> set[str]:
	frappe.set_user(user)
	try:
		return set(frappe.get_list(DOCTYPE, filters=filters, pluck="name", limit_page_length=0))
	finally:
		frappe.set_user("Administrator")


def may_read(user: str, name: str) -> bool:
	return frappe.has_permission(DOCTYPE, "read", doc=frappe.get_doc(DOCTYPE, name), user=user)


class TestAudience:
	def test_an_announcement_to_everyone_is_read_by_every_crm_user(self, org):
		u = org.users
		doc = announce(u.author)
		for user in (u.author, u.alice, u.bob, u.carol, u.manager):
			assert doc.name in visible_to(user), user
			assert may_read(user, doc.name), user
		assert not may_read(u.outsider, doc.name)  # no role that reads announcements

	def test_a_branch_announcement_is_read_in_that_branch_only(self, org):
		u = org.users
		doc = announce(u.author, audience="Branches", branches=[{"branch": org.north}])
		assert doc.name in visible_to(u.alice)
		assert doc.name not in visible_to(u.bob)
		assert doc.name not in visible_to(u.carol)  # no Employee: no branch
		assert may_read(u.alice, doc.name) and not may_read(u.bob, doc.name)
		# its author and the managers read it wherever they are
		assert doc.name in visible_to(u.author) and doc.name in visible_to(u.manager)

	def test_a_department_audience_includes_the_departments_below_it(self, org):
		u = org.users
		upper = announce(u.author, audience="Departments", departments=[{"department": org.d}])
		lower = announce(u.author, audience="Departments", departments=[{"department": org.dn}])
		assert {upper.name, lower.name} <= visible_to(u.alice)  # alice is in dn, under d
		assert upper.name in visible_to(u.bob) and lower.name not in visible_to(u.bob)
		assert may_read(u.bob, upper.name) and not may_read(u.bob, lower.name)

	def test_a_draft_is_read_by_its_author_and_the_managers_only(self, org):
		u = org.users
		draft = announce(u.author, status="Draft")
		assert draft.status == "Draft"
		assert draft.name in visible_to(u.author) and draft.name in visible_to(u.manager)
		assert draft.name not in visible_to(u.alice)
		assert not may_read(u.alice, draft.name)

	def test_only_the_author_and_the_managers_change_it(self, org):
		u = org.users
		doc = announce(u.author)
		doc = frappe.get_doc(DOCTYPE, doc.name)
		assert frappe.has_permission(DOCTYPE, "write", doc=doc, user=u.author)
		assert frappe.has_permission(DOCTYPE, "write", doc=doc, user=u.manager)
		assert not frappe.has_permission(DOCTYPE, "write", doc=doc, user=u.alice)
		other_author = new_user("Sales Manager")
		assert frappe.has_permission(DOCTYPE, "read", doc=doc, user=other_author)
		assert not frappe.has_permission(DOCTYPE, "write", doc=doc, user=other_author)
		assert not frappe.has_permission(DOCTYPE, "delete", doc=doc, user=other_author)

	def test_a_sales_user_cannot_write_announcements(self, org):
		frappe.set_user(org.users.alice)
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc({"doctype": DOCTYPE, "title": "Mine", "content": "x"}).insert()


class TestBadInput:
	def test_an_announcement_expiring_before_it_is_published_is_refused(self, org):
		before = frappe.db.count(DOCTYPE)
		now = now_datetime()
		with pytest.raises(AnnouncementDateError):
			announce(org.users.author, publish_on=now, expires_on=add_to_date(now, hours=-1))
		with pytest.raises(AnnouncementDateError):
			announce(org.users.author, publish_on=now, expires_on=now)
		assert frappe.db.count(DOCTYPE) == before

	def test_an_audience_of_branches_or_departments_must_name_some(self, org):
		with pytest.raises(AnnouncementAudienceError):
			announce(org.users.author, audience="Branches")
		with pytest.raises(AnnouncementAudienceError):
			announce(org.users.author, audience="Departments", branches=[{"branch": org.north}])

	def test_unknown_branches_and_wrong_types_are_refused(self, org):
		with pytest.raises(frappe.LinkValidationError):
			announce(org.users.author, audience="Branches", branches=[{"branch": "No Such Branch"}])
		with pytest.raises(frappe.ValidationError):
			announce(org.users.author, pinned="maybe")
		with pytest.raises(frappe.ValidationError):
			announce(org.users.author, publish_on="not-a-date")

	def test_rows_of_another_audience_are_dropped(self, org):
		doc = announce(
			org.users.author,
			audience="Departments",
			departments=[{"department": org.d}, {"department": org.d}],
			branches=[{"branch": org.north}],
		)
		assert [r.department for r in doc.departments] == [org.d]
		assert doc.branches == []


class TestPublishing:
	def test_publishing_with_a_date_ahead_schedules_and_the_job_publishes_it_then(self, org):
		u = org.users
		now = now_datetime()
		doc = announce(u.author, publish_on=add_to_date(now, hours=1))
		assert doc.status == "Scheduled"
		assert doc.name not in visible_to(u.alice)

		with patch.object(announcements.jobs, "enqueue") as enqueue:
			assert doc.name not in announcements.publish_due(now)
			enqueue.assert_not_called()
			assert doc.name in announcements.publish_due(add_to_date(now, hours=2))
		assert frappe.db.get_value(DOCTYPE, doc.name, "status") == "Published"
		enqueue.assert_called_once()
		assert enqueue.call_args.args == (announcements.NOTIFY_JOB,)
		assert enqueue.call_args.kwargs["announcement"] == doc.name
		assert doc.name in visible_to(u.alice)

	def test_the_publishing_job_reads_only_due_rows_by_an_index(self):
		for query, index in (
			(announcements.due_query(now_datetime()), "status_publish_on_index"),
			(announcements.unannounced_query(), "status_notified_on_index"),
		):
			plan = frappe.db.sql(f"explain {query.get_sql()}", as_dict=True)
			assert any(index in (row.possible_keys or "") for row in plan), plan

	def test_the_job_announces_a_published_one_whose_job_was_lost(self, org):
		doc = announce(org.users.author)  # its job, enqueued after the commit, never ran
		with patch.object(announcements.jobs, "enqueue") as enqueue:
			assert announcements.publish_due() == []
		assert doc.name in [c.kwargs["announcement"] for c in enqueue.call_args_list]
		announcements.notify_audience(doc.name)
		with patch.object(announcements.jobs, "enqueue") as enqueue:
			announcements.publish_due()
		assert doc.name not in [c.kwargs["announcement"] for c in enqueue.call_args_list]

	def test_publishing_a_draft_later_gives_it_todays_date(self, org):
		u = org.users
		draft = announce(u.author, status="Draft", publish_on=add_to_date(now_datetime(), days=-3))
		frappe.set_user(u.author)
		with patch.object(announcements.jobs, "enqueue") as enqueue:
			result = announcements.publish(draft.name)
		assert result["status"] == "Published"
		assert frappe.utils.get_datetime(result["publish_on"]) >= add_to_date(now_datetime(), minutes=-1)
		enqueue.assert_called_once()

	def test_the_audience_is_notified_once_in_the_background(self, org):
		u = org.users
		doc = announce(u.author, audience="Branches", branches=[{"branch": org.north}])
		logs = {"document_type": DOCTYPE, "document_name": doc.name}
		assert frappe.db.count("Notification Log", logs) == 0  # nothing in the request

		assert announcements.notify_audience(doc.name) == 1
		assert frappe.get_all("Notification Log", filters=logs, pluck="for_user") == [u.alice]
		assert frappe.db.get_value(DOCTYPE, doc.name, "notified_on")
		# once: a second job, or publishing it again after a draft, tells nobody again
		assert announcements.notify_audience(doc.name) == 0
		frappe.set_user(u.author)
		with patch.object(announcements.jobs, "enqueue") as enqueue:
			announcements.unpublish(doc.name)
			announcements.publish(doc.name)
		enqueue.assert_not_called()
		assert frappe.db.count("Notification Log", logs) == 1

	def test_everyone_means_every_enabled_user_who_reads_announcements(self, org):
		u = org.users
		doc = announce(u.author)
		told = set(announcements.audience_users(doc))
		assert {u.alice, u.bob, u.carol, u.manager} <= told
		assert u.outsider not in told
		assert u.author not in told  # its author is not told, nor counted among its readers
		assert "Administrator" not in told and "Guest" not in told
		frappe.db.set_value("User", u.carol, "enabled", 0)
		assert u.carol not in announcements.audience_users(doc)

	def test_a_caller_cannot_claim_it_was_announced(self, org):
		doc = announce(org.users.author, notified_on="2026-01-01 00:00:00")
		assert not doc.notified_on


class TestReading:
	def test_opening_records_one_read_receipt_and_the_author_sees_who_read(self, org):
		u = org.users
		doc = announce(u.author, audience="Departments", departments=[{"department": org.d}])
		frappe.set_user(u.alice)
		first = announcements.mark_read(doc.name)
		again = announcements.mark_read(doc.name)
		assert first["read_on"] and again["read_on"] == first["read_on"]
		assert frappe.db.count(announcements.READ, {"announcement": doc.name}) == 1

		frappe.set_user(u.author)
		assert announcements.mark_read(doc.name)["read_on"] is None  # its author is not a reader
		receipts = announcements.read_receipts(doc.name)
		assert receipts["read"] == 1 and receipts["audience"] == 2  # alice and bob
		assert [r.user for r in receipts["readers"]] == [u.alice]
		frappe.set_user(u.manager)
		assert announcements.read_receipts(doc.name)["read"] == 1

		frappe.set_user(u.bob)
		with pytest.raises(frappe.PermissionError):
			announcements.read_receipts(doc.name)
		assert frappe.get_list(announcements.READ, filters={"announcement": doc.name}) == []

	def test_a_receipt_is_read_by_its_reader_the_author_and_the_managers(self, org):
		u = org.users
		doc = announce(u.author)
		frappe.set_user(u.alice)
		announcements.mark_read(doc.name)
		frappe.set_user("Administrator")
		receipt = frappe.get_doc(announcements.READ, {"announcement": doc.name, "user": u.alice})
		for user in (u.alice, u.author, u.manager):
			assert frappe.has_permission(announcements.READ, "read", doc=receipt, user=user), user
		assert not frappe.has_permission(announcements.READ, "read", doc=receipt, user=u.bob)
		assert not frappe.has_permission(announcements.READ, "write", doc=receipt, user=u.alice)

	def test_the_form_learns_whether_it_was_read_and_who_sees_the_readers(self, org):
		u = org.users
		doc = announce(u.author)
		frappe.set_user(u.alice)
		announcements.mark_read(doc.name)
		for user, may_see in ((u.alice, False), (u.author, True), (u.manager, True)):
			frappe.set_user(user)
			loaded = frappe.get_doc(DOCTYPE, doc.name)
			loaded.run_method("onload")
			assert loaded.get_onload().may_see_readers is may_see, user
			assert bool(loaded.get_onload().read_on) is (user == u.alice), user

	def test_a_reader_outside_the_audience_cannot_mark_it_read(self, org):
		doc = announce(org.users.author, audience="Branches", branches=[{"branch": org.south}])
		frappe.set_user(org.users.alice)
		with pytest.raises(frappe.PermissionError):
			announcements.mark_read(doc.name)
		frappe.set_user("Administrator")
		assert frappe.db.count(announcements.READ, {"announcement": doc.name}) == 0

	def test_deleting_an_announcement_takes_its_receipts(self, org):
		doc = announce(org.users.author)
		frappe.set_user(org.users.alice)
		announcements.mark_read(doc.name)
		frappe.set_user(org.users.author)
		frappe.delete_doc(DOCTYPE, doc.name)
		assert frappe.db.count(announcements.READ, {"announcement": doc.name}) == 0


class TestWorkspace:
	def test_the_block_shows_current_announcements_pinned_first_with_read_flags(self, org):
		u = org.users
		now = now_datetime()
		old = announce(u.author, title="Old", publish_on=add_to_date(now, days=-2))
		pinned = announce(u.author, title="Pinned", pinned=1, publish_on=add_to_date(now, days=-5))
		new = announce(u.author, title="New", publish_on=add_to_date(now, minutes=-5))
		expired = announce(
			u.author,
			title="Expired",
			publish_on=add_to_date(now, days=-3),
			expires_on=add_to_date(now, days=-1),
		)
		scheduled = announce(u.author, title="Later", publish_on=add_to_date(now, days=1))
		elsewhere = announce(u.author, audience="Branches", branches=[{"branch": org.south}])
		frappe.set_user(u.alice)
		announcements.mark_read(old.name)
		shown = announcements.current_announcements(limit=50)
		names = [a.name for a in shown["announcements"]]
		assert names.index(pinned.name) < names.index(new.name) < names.index(old.name)
		assert not {expired.name, scheduled.name, elsewhere.name} & set(names)
		flags = {a.name: a.read for a in shown["announcements"]}
		assert flags[old.name] is True and flags[new.name] is False
		assert set(announcements.unread_among([old.name, new.name, elsewhere.name])) == {new.name}

	def test_the_block_is_installed_for_the_workspace_and_kept_as_the_app_has_it(self):
		announcements.sync_workspace_block()
		block = frappe.get_doc("Custom HTML Block", announcements.BLOCK)
		assert "current_announcements" in block.script
		assert block.html == announcements.BLOCK_HTML
		frappe.db.set_value("Custom HTML Block", announcements.BLOCK, "script", "// changed")
		announcements.sync_workspace_block()
		assert "current_announcements" in frappe.db.get_value(
			"Custom HTML Block", announcements.BLOCK, "script"
		)
		announcements.remove_workspace_block()  # uninstalling (rolled back with the test)
		assert not frappe.db.exists("Custom HTML Block", announcements.BLOCK)


# --- over REST: the request path a user takes ---


@pytest.fixture
def rest_org(committed):
	"""Committed users, branches and employees for REST calls (deleted after the test)."""
	users = {}
	for key, roles in (
		("author", ["Sales Manager", "Sales User"]),
		("alice", ["Sales User"]),
		("bob", ["Sales User"]),
	):
		users[key] = make_user(roles)
		committed.add("User", users[key][0])
	north, south = make_branch(), make_branch()
	committed.add("Branch", north)
	committed.add("Branch", south)
	for key, branch in (("alice", north), ("bob", south)):
		committed.add("Employee", make_employee(users[key][0], None, branch))
	frappe.db.commit()
	return frappe._dict(users=users, north=north, south=south)


def client_of(site: str, credentials: tuple[str, str]):
	from tests.integration.support import ApiClient

	client = ApiClient(site)
	client.login(*credentials)
	return client


def test_over_rest_an_announcement_outside_ones_audience_is_a_403(rest_org, committed):
	site = frappe.local.site
	author = client_of(site, rest_org.users["author"])
	alice = client_of(site, rest_org.users["alice"])
	bob = client_of(site, rest_org.users["bob"])

	body = {
		"title": "North only",
		"content": "<p>Parking closed</p>",
		"audience": "Branches",
		"branches": [{"branch": rest_org.north}],
		"status": "Published",
	}
	# the notification job is enqueued after the request's commit (the bench's workers would run it)
	with patch.object(announcements, "schedule_notification") as schedule:
		created = author.post(URL, body)
	assert created.status_code == 200, created
	schedule.assert_called_once_with(created.data["name"])
	name = created.data["name"]
	committed.add(DOCTYPE, name)
	assert created.data["status"] == "Published"

	assert alice.get(f"{URL}/{name}").status_code == 200
	refused = bob.get(f"{URL}/{name}")
	assert refused.status_code == 403, refused
	assert refused.exc_type == "PermissionError"
	assert name in {r["name"] for r in alice.get(URL, {"limit_page_length": 0}).data}
	assert name not in {r["name"] for r in bob.get(URL, {"limit_page_length": 0}).data}
	count = bob.get(
		"/api/method/frappe.desk.reportview.get_count",
		{"doctype": DOCTYPE, "filters": json.dumps({"name": name})},
	)
	assert count.status_code == 200 and count.data == 0

	read = alice.post("/api/method/korus_crm.office.announcements.mark_read", {"name": name})
	assert read.status_code == 200, read
	assert bob.post("/api/method/korus_crm.office.announcements.mark_read", {"name": name}).status_code == 403
	committed.add(announcements.READ, frappe.db.get_value(announcements.READ, {"announcement": name}, "name"))
	receipts = author.get("/api/method/korus_crm.office.announcements.read_receipts", {"name": name})
	assert receipts.status_code == 200 and receipts.data["read"] == 1
	assert (
		alice.get("/api/method/korus_crm.office.announcements.read_receipts", {"name": name}).status_code
		== 403
	)
	# the readers cannot change it
	assert alice.put(f"{URL}/{name}", {"title": "Mine now"}).status_code == 403


def test_over_rest_bad_input_is_a_4xx_and_nothing_is_written(rest_org):
	author = client_of(frappe.local.site, rest_org.users["author"])
	frappe.db.rollback()
	before = frappe.db.count(DOCTYPE)
	for body, exc_type in (
		(
			{
				"title": "T",
				"content": "c",
				"publish_on": "2026-06-02 10:00:00",
				"expires_on": "2026-06-01 10:00:00",
			},
			"AnnouncementDateError",
		),
		(
			{"title": "T", "content": "c", "audience": "Branches", "branches": [{"branch": "Nowhere"}]},
			"LinkValidationError",
		),
		({"title": "T", "content": "c", "audience": "Branches"}, "AnnouncementAudienceError"),
		({"title": "T", "content": "c", "audience": "Planet"}, "ValidationError"),
		({"title": {"a": 1}, "content": "c"}, "InvalidInputError"),
		({"title": "T", "content": "c", "pinned": "maybe"}, "InvalidInputError"),
	):
		answer = author.post(URL, body)
		assert 400 <= answer.status_code < 500, (body, answer)
		assert answer.exc_type == exc_type, (body, answer)
		assert answer.messages, answer
	frappe.db.rollback()
	assert frappe.db.count(DOCTYPE) == before
