"""Korus Tasks (seed 004 任务, seed 001 Zadania): assigning to oneself, subordinates or a group;
who reads a task (the people involved, their supervisors, managers) in lists, counts, the calendar
and by name; the four views; reminders before the due time and when overdue, each sent once (also
when two runs overlap), read through indexes; bad input refused with a 4xx and nothing written."""

from __future__ import annotations

import threading
from datetime import timedelta
from unittest.mock import patch

import frappe
import pytest
from frappe.utils import add_to_date, get_datetime, now_datetime

from korus_crm import people
from korus_crm.exceptions import (
	InvalidInputError,
	TaskAssigneeError,
	TaskAssignmentError,
	TaskDatesError,
	TaskReferenceError,
	TaskReminderError,
)
from korus_crm.tasks import access, api, assignees, reminders
from tests.integration.factories import make_lead, unique
from tests.integration.org_setup import make_employee
from tests.integration.support import make_user
from tests.integration.support import new_user as _new_user

DOCTYPE = "Korus Task"
OPEN = ["Open", "Working"]


def new_user(roles=("Sales User",)) -> str:
	return _new_user(*roles, first_name="Task Test")


def build_team(users: dict[str, str]) -> list[str]:
	"""boss > alice > bob; carol beside them (no one above or below); mona is a manager (no
	Employee). Returns the Employee names, top first."""
	boss = make_employee(users["boss"], None, None)
	alice = make_employee(users["alice"], None, None, reports_to=boss)
	bob = make_employee(users["bob"], None, None, reports_to=alice)
	carol = make_employee(users["carol"], None, None)
	people.forget()
	return [boss, alice, bob, carol]


@pytest.fixture
def team():
	users = {key: new_user() for key in ("boss", "alice", "bob", "carol")}
	users["mona"] = new_user(("Sales User", "Sales Manager"))
	build_team(users)
	return frappe._dict(users)


def make_group(*members: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "User Group",
				"name": unique("Korus Task Group"),
				"user_group_members": [{"user": m} for m in members],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_task(as_user: str | None = None, **values):
	values.setdefault("subject", unique("Call back"))
	values.setdefault("due_at", add_to_date(now_datetime(), hours=2))
	if as_user:
		frappe.set_user(as_user)
	try:
		return frappe.get_doc({"doctype": DOCTYPE, **values}).insert()
	finally:
		frappe.set_user("Administrator")


def readable(user: str, filters=None, group_by=None) -> set[str]:
	frappe.set_user(user)
	try:
		return set(
			frappe.get_list(
				DOCTYPE,
				filters=filters or [],
				pluck="name",
				group_by=group_by,
				limit_page_length=0,
			)
		)
	finally:
		frappe.set_user("Administrator")


def alerts(task: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Notification Log",
		filters={"document_type": DOCTYPE, "document_name": task, "type": "Alert"},
		fields=["for_user", "subject"],
		order_by="for_user asc",
	)


# --- assigning ---


class TestAssigning:
	def test_a_new_task_is_the_creators_own_and_records_who_assigned_it(self, team):
		task = make_task(team.bob)
		assert task.assigned_to == team.bob and task.assigned_by == team.bob
		assert [row.user for row in task.assignees] == [team.bob]
		assert task.assignees[0].open_assignee == team.bob
		assert task.status == "Open" and task.priority == "Medium" and task.remind_before_minutes == 30

	def test_a_supervisor_assigns_to_subordinates_at_any_depth(self, team):
		for assignee in (team.alice, team.bob):
			task = make_task(team.boss, assigned_to=assignee)
			assert task.assigned_by == team.boss and task.assigned_to == assignee

	def test_nobody_assigns_to_a_peer_or_a_supervisor(self, team):
		before = frappe.db.count(DOCTYPE)
		for assignee in (team.boss, team.carol):
			with pytest.raises(TaskAssignmentError):
				make_task(team.alice, assigned_to=assignee)
		assert frappe.db.count(DOCTYPE) == before

	def test_a_manager_assigns_to_anyone(self, team):
		assert make_task(team.mona, assigned_to=team.carol).assigned_to == team.carol

	def test_reassigning_is_checked_and_changes_the_assigner(self, team):
		task = make_task(team.mona, assigned_to=team.alice)
		frappe.set_user(team.alice)
		task.assigned_to = team.carol
		with pytest.raises(TaskAssignmentError):
			task.save()
		task.reload()
		task.assigned_to = team.bob
		task.save()
		frappe.set_user("Administrator")
		assert task.assigned_by == team.alice
		assert [row.user for row in task.assignees] == [team.bob]

	def test_the_assigner_cannot_be_forged(self, team):
		task = make_task(team.bob, assigned_by=team.boss)
		assert task.assigned_by == team.bob
		frappe.set_user(team.bob)
		task.assigned_by = team.carol
		task.save()
		frappe.set_user("Administrator")
		assert frappe.db.get_value(DOCTYPE, task.name, "assigned_by") == team.bob

	def test_a_group_task_goes_to_its_enabled_members(self, team):
		disabled = new_user()
		frappe.db.set_value("User", disabled, "enabled", 0)
		group = make_group(team.alice, team.bob, disabled)
		task = make_task(team.boss, assigned_to=None, user_group=group)
		assert sorted(row.user for row in task.assignees) == sorted([team.alice, team.bob])
		assert task.assigned_to is None
		# alice may not give bob's group work that includes someone above her... nor a stranger's group
		with pytest.raises(TaskAssignmentError):
			make_task(team.alice, user_group=make_group(team.bob, team.carol))

	def test_a_user_or_a_group_not_both_and_not_an_empty_group(self, team):
		group = make_group(team.bob)
		with pytest.raises(TaskAssigneeError):
			make_task(team.mona, assigned_to=team.bob, user_group=group)
		gone = new_user()
		disabled_only = make_group(gone)
		frappe.db.set_value("User", gone, "enabled", 0)
		with pytest.raises(TaskAssigneeError):
			make_task(team.mona, user_group=disabled_only)
		with pytest.raises(frappe.LinkValidationError):
			make_task(team.mona, user_group="No Such Group")
		task = make_task(team.mona, assigned_to=team.bob)
		task.assigned_to = None
		with pytest.raises(TaskAssigneeError):
			task.save()

	def test_new_assignees_are_notified_not_the_one_who_assigns(self, team):
		task = make_task(team.boss, assigned_to=team.alice)
		logs = frappe.get_all(
			"Notification Log",
			filters={"document_name": task.name, "type": "Assignment"},
			pluck="for_user",
		)
		assert logs == [team.alice]
		assert not frappe.get_all(
			"Notification Log", filters={"document_name": make_task(team.boss).name, "type": "Assignment"}
		)

	def test_a_groups_new_members_take_its_open_tasks(self, team):
		group = make_group(team.alice)
		open_task = make_task(team.mona, user_group=group)
		done = make_task(team.mona, user_group=group, status="Completed")
		doc = frappe.get_doc("User Group", group)
		doc.append("user_group_members", {"user": team.bob})
		jobs = []
		with patch("korus_crm.jobs.enqueue", lambda method, **kwargs: jobs.append((method, kwargs))):
			doc.save(ignore_permissions=True)
		assert jobs == [
			(
				"korus_crm.tasks.assignees.refresh_group_tasks",
				{"job_id": f"korus-group-tasks::{group}", "group": group},
			)
		]
		assert assignees.refresh_group_tasks(group) == 1  # the job, as a worker runs it
		assert sorted(r.user for r in frappe.get_doc(DOCTYPE, open_task.name).assignees) == sorted(
			[team.alice, team.bob]
		)
		assert [r.user for r in frappe.get_doc(DOCTYPE, done.name).assignees] == [team.alice]
		assert assignees.refresh_group_tasks(group) == 1  # again: the same open task, already up to date


# --- bad input ---


class TestBadInput:
	def test_a_due_time_before_the_start_is_refused(self, team):
		before = frappe.db.count(DOCTYPE)
		due = add_to_date(now_datetime(), hours=1)
		with pytest.raises(TaskDatesError):
			make_task(team.bob, start_at=add_to_date(due, minutes=1), due_at=due)
		assert frappe.db.count(DOCTYPE) == before

	@pytest.mark.parametrize("minutes", [-1, 10**6])
	def test_negative_or_huge_reminder_minutes_are_refused(self, team, minutes):
		with pytest.raises(TaskReminderError):
			make_task(team.bob, remind_before_minutes=minutes)

	@pytest.mark.parametrize(
		"values",
		[
			{"due_at": "tomorrow"},
			{"due_at": {"a": 1}},
			{"remind_before_minutes": "soon"},
			{"assigned_to": ["x@example.com"]},
			{"assignees": {"user": "x"}},
		],
	)
	def test_values_of_the_wrong_kind_are_refused(self, team, values):
		with pytest.raises(InvalidInputError):
			make_task(team.bob, **values)

	def test_unknown_links_are_refused(self, team):
		with pytest.raises(frappe.LinkValidationError):
			make_task(team.mona, assigned_to="nobody@example.com")
		with pytest.raises(frappe.LinkValidationError):
			make_task(team.mona, reference_type="Lead", reference_name="NO-SUCH-LEAD")

	def test_a_task_is_about_a_crm_record(self, team):
		with pytest.raises(TaskReferenceError):
			make_task(team.mona, reference_type="User", reference_name="Administrator")
		with pytest.raises(frappe.LinkValidationError):
			make_task(team.mona, reference_type="ToDo", reference_name="no such todo")
		with pytest.raises(TaskReferenceError):
			make_task(team.mona, reference_type="Lead")
		lead = make_lead()
		task = make_task(team.mona, reference_type="Lead", reference_name=lead.name)
		assert (task.reference_type, task.reference_name) == ("Lead", lead.name)

	def test_a_task_cannot_point_at_a_record_the_user_may_not_read(self, team):
		# a dispatcher without an Employee reads only the leads they own (Branch scope falls back to Own)
		dispatcher = new_user(("Korus Dispatcher",))
		others = make_lead(lead_owner=team.mona)
		own = make_lead(lead_owner=dispatcher)
		with pytest.raises(frappe.PermissionError):
			make_task(dispatcher, reference_type="Lead", reference_name=others.name)
		assert (
			make_task(dispatcher, reference_type="Lead", reference_name=own.name).reference_name == own.name
		)


# --- reading ---


class TestReading:
	def test_the_people_involved_their_supervisors_and_managers_read_a_task(self, team):
		by_alice_to_bob = make_task(team.alice, assigned_to=team.bob).name
		bobs_own = make_task(team.bob).name
		carols = make_task(team.carol).name
		assert readable(team.bob) >= {by_alice_to_bob, bobs_own}
		assert carols not in readable(team.bob)
		assert readable(team.alice) >= {by_alice_to_bob, bobs_own}  # bob reports to her
		assert readable(team.boss) >= {by_alice_to_bob, bobs_own}  # two levels up
		assert not {by_alice_to_bob, bobs_own} & readable(team.carol)
		assert readable(team.mona) >= {by_alice_to_bob, bobs_own, carols}

		for user, name, allowed in (
			(team.carol, by_alice_to_bob, False),
			(team.boss, by_alice_to_bob, True),
			(team.bob, carols, False),
		):
			assert bool(frappe.has_permission(DOCTYPE, "read", doc=name, user=user)) is allowed
			assert bool(frappe.has_permission(DOCTYPE, "write", doc=name, user=user)) is allowed

	def test_only_the_assigner_their_supervisors_and_managers_delete_it(self, team):
		name = make_task(team.alice, assigned_to=team.bob).name
		assert not frappe.has_permission(DOCTYPE, "delete", doc=name, user=team.bob)
		assert frappe.has_permission(DOCTYPE, "delete", doc=name, user=team.alice)
		assert frappe.has_permission(DOCTYPE, "delete", doc=name, user=team.boss)
		assert frappe.has_permission(DOCTYPE, "delete", doc=name, user=team.mona)
		frappe.set_user(team.carol)
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc(DOCTYPE, name).check_permission("read")

	def test_group_members_read_the_groups_task(self, team):
		group = make_group(team.carol)
		name = make_task(team.mona, user_group=group).name
		assert name in readable(team.carol)
		assert name not in readable(team.bob)

	def test_the_four_views(self, team):
		group = make_group(team.bob, team.carol)
		mine = make_task(team.bob).name
		groups = make_task(team.mona, user_group=group).name
		given = make_task(team.alice, assigned_to=team.bob).name
		alices = make_task(team.alice).name
		done = make_task(team.bob, status="Completed").name
		late = make_task(team.bob).name
		frappe.db.set_value(DOCTYPE, late, "due_at", add_to_date(now_datetime(), hours=-1))
		by_name = "`tabKorus Task`.`name`"

		# mine: open tasks assigned to me, directly or through a group
		assert readable(team.bob, [["Korus Task Assignee", "open_assignee", "=", team.bob]], by_name) == {
			mine,
			groups,
			given,
			late,
		}
		# assigned by me
		assert readable(team.alice, [["assigned_by", "=", team.alice], ["status", "in", OPEN]]) == {
			given,
			alices,
		}
		# my subordinates': open tasks assigned to anyone below me (bob, for alice)
		subs = people.subordinates(team.alice)
		assert subs == [team.bob]
		assert readable(team.alice, [["Korus Task Assignee", "open_assignee", "in", subs]], by_name) == {
			mine,
			groups,
			given,
			late,
		}
		assert done not in readable(team.alice, [["Korus Task Assignee", "open_assignee", "in", subs]])
		# overdue: open and past the due time, among the tasks I read
		overdue = [["status", "in", OPEN], ["due_at", "<", now_datetime()]]
		assert readable(team.bob, overdue) == {late}
		assert late in readable(team.boss, overdue) and late not in readable(team.carol, overdue)
		# what the list's views need
		frappe.set_user(team.alice)
		views = api.get_task_views()
		assert views["user"] == team.alice and views["subordinates"] == [team.bob]

	def test_counts_follow_the_read_rule(self, team):
		make_task(team.bob)
		make_task(team.carol)
		frappe.set_user(team.bob)
		mine = frappe.get_list(DOCTYPE, fields=["count(*) as n"], order_by=None)[0].n
		frappe.set_user("Administrator")
		assert mine == len(readable(team.bob))
		assert mine < frappe.db.count(DOCTYPE)

	def test_the_calendar_shows_the_tasks_one_reads_between_two_dates(self, team):
		start = add_to_date(now_datetime(), days=1)
		spanning = make_task(
			team.bob, start_at=start, due_at=add_to_date(start, hours=3), priority="Urgent"
		).name
		only_due = make_task(team.bob, due_at=add_to_date(start, hours=5)).name
		later = make_task(team.bob, due_at=add_to_date(start, days=40)).name
		others = make_task(team.carol, due_at=add_to_date(start, hours=1)).name
		frappe.set_user(team.bob)
		events = api.get_calendar_events(str(start.date()), str(add_to_date(start, days=2).date()))
		by_name = {e["name"]: e for e in events}
		assert {spanning, only_due} <= set(by_name)
		assert later not in by_name and others not in by_name
		assert get_datetime(by_name[spanning]["start_at"]) == start
		assert by_name[only_due]["start_at"] == by_name[only_due]["due_at"]
		# the list's views apply in the calendar too
		events = api.get_calendar_events(
			str(start.date()),
			str(add_to_date(start, days=2).date()),
			filters=[["Korus Task", "priority", "=", "Urgent", False]],
		)
		assert [e["name"] for e in events] == [spanning]
		with pytest.raises(InvalidInputError):
			api.get_calendar_events(str(start.date()), "not a date")
		with pytest.raises(InvalidInputError):
			api.get_calendar_events(
				str(start.date()), str(start.date()), filters=[["User", "name", "=", "x"]]
			)

	def test_a_records_task_summary_counts_what_the_user_reads(self, team):
		lead = make_lead()
		make_task(team.mona, assigned_to=team.bob, reference_type="Lead", reference_name=lead.name)
		make_task(
			team.mona,
			assigned_to=team.carol,
			reference_type="Lead",
			reference_name=lead.name,
			status="Completed",
		)
		assert api.get_tasks_summary("Lead", lead.name) == {"open": 1, "total": 2, "can_read": True}
		frappe.set_user(team.bob)
		assert api.get_tasks_summary("Lead", lead.name) == {"open": 1, "total": 1, "can_read": True}
		frappe.set_user("Administrator")
		with pytest.raises(TaskReferenceError):
			api.get_tasks_summary("ToDo", "x")

	def test_assigned_to_offers_oneself_and_subordinates(self, team):
		frappe.set_user(team.alice)
		offered = {row[0] for row in api.assignable_users("User", "", "name", 0, 50)}
		assert offered == {team.alice, team.bob}
		assert api.assignable_users("User", team.carol, "name", 0, 20) == ()
		frappe.set_user(team.mona)
		for user in (team.carol, team.boss):
			assert [row[0] for row in api.assignable_users("User", user, "name", 0, 20)] == [user]

	def test_completing_a_task_closes_its_views_and_reminders(self, team):
		task = make_task(team.bob)
		task.status = "Completed"
		task.save()
		assert task.completed_on
		assert task.assignees[0].open_assignee is None
		assert task.remind_at is None and task.overdue_at is None
		task.status = "Open"
		task.save()
		assert task.completed_on is None and task.assignees[0].open_assignee == team.bob
		assert task.overdue_at is not None


# --- reminders ---


def due_in(minutes: int, **values):
	return make_task(due_at=add_to_date(now_datetime(), minutes=minutes), **values)


class TestReminders:
	def test_due_soon_and_overdue_each_go_once_to_the_assignees_and_the_assigner(
		self, team, outgoing_email_account
	):
		task = due_in(120, as_user=team.alice, assigned_to=team.bob, remind_before_minutes=30)
		due = get_datetime(task.due_at)
		assert get_datetime(task.remind_at) == due - timedelta(minutes=30)

		assert reminders.run(due - timedelta(minutes=31))[reminders.rules.DUE_SOON] == 0
		assert alerts(task.name) == []

		sent = reminders.run(due - timedelta(minutes=29))
		assert sent == {"due soon": 1, "overdue": 0}
		logs = alerts(task.name)
		assert sorted(log.for_user for log in logs) == sorted([team.alice, team.bob])
		assert all("is due at" in log.subject for log in logs)
		assert frappe.db.get_value(DOCTYPE, task.name, ["reminder_sent", "remind_at"]) == (1, None)
		queued = frappe.get_all(
			"Email Queue", filters={"reference_doctype": DOCTYPE, "reference_name": task.name}, pluck="name"
		)
		assert queued
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", queued)}, pluck="recipient"
		)
		assert sorted(recipients) == sorted([team.alice, team.bob])
		assert frappe.db.get_value("Email Queue", queued[0], "status") == "Not Sent"  # queued, not sent

		assert reminders.run(due - timedelta(minutes=1)) == {"due soon": 0, "overdue": 0}
		assert reminders.run(due + timedelta(minutes=1)) == {"due soon": 0, "overdue": 1}
		assert reminders.run(due + timedelta(minutes=6)) == {"due soon": 0, "overdue": 0}
		logs = alerts(task.name)
		assert len(logs) == 4
		assert sum("Overdue" in log.subject for log in logs) == 2
		assert frappe.db.get_value(DOCTYPE, task.name, ["overdue_notified", "overdue_at"]) == (1, None)

	def test_a_group_tasks_members_are_reminded(self, team):
		task = due_in(60, as_user=team.mona, user_group=make_group(team.bob, team.carol))
		reminders.run(get_datetime(task.due_at) + timedelta(seconds=1))
		assert {log.for_user for log in alerts(task.name)} == {team.bob, team.carol, team.mona}

	def test_a_closed_task_is_not_reminded(self, team):
		task = due_in(60, as_user=team.bob)
		task.status = "Cancelled"
		task.save()
		assert reminders.run(get_datetime(task.due_at) + timedelta(hours=1)) == {"due soon": 0, "overdue": 0}
		assert alerts(task.name) == []

	def test_a_new_due_time_brings_new_reminders(self, team):
		task = due_in(60, as_user=team.bob)
		reminders.run(get_datetime(task.due_at) + timedelta(minutes=1))
		assert len(alerts(task.name)) == 1  # the overdue notice (bob is assignee and assigner)
		task.reload()
		task.due_at = add_to_date(now_datetime(), hours=3)
		task.save()
		assert (task.reminder_sent, task.overdue_notified) == (0, 0)
		assert task.remind_at and task.overdue_at
		new_due = get_datetime(task.due_at)
		assert reminders.run(new_due - timedelta(minutes=10)) == {"due soon": 1, "overdue": 0}
		assert reminders.run(new_due + timedelta(minutes=1)) == {"due soon": 0, "overdue": 1}
		assert len(alerts(task.name)) == 3

	def test_a_reminder_claimed_after_the_due_time_gives_way_to_the_overdue_notice(self, team):
		task = due_in(60, as_user=team.bob)
		sent = reminders.run(get_datetime(task.due_at) + timedelta(minutes=1))
		assert sent == {"due soon": 0, "overdue": 1}
		assert [log.subject.startswith("Overdue") for log in alerts(task.name)] == [True]
		assert frappe.db.get_value(DOCTYPE, task.name, ["reminder_sent", "remind_at"]) == (1, None)

	def test_saving_does_not_bring_back_a_sent_reminder(self, team):
		task = due_in(20, as_user=team.bob)  # the reminder time (30 minutes before) has passed
		reminders.run(now_datetime())
		assert len(alerts(task.name)) == 1
		stale = frappe.get_doc(DOCTYPE, task.name)
		stale.reminder_sent = 0  # a caller cannot reset it
		stale.description = "more"
		stale.save()
		assert reminders.run(now_datetime())["due soon"] == 0
		assert len(alerts(task.name)) == 1

	def test_the_scheduler_runs_the_job_every_five_minutes_on_the_clock(self, team, monkeypatch):
		assert (
			"korus_crm.tasks.reminders.send_due_reminders"
			in frappe.get_hooks("scheduler_events")["cron"]["*/5 * * * *"]
		)
		task = due_in(60, as_user=team.bob)
		monkeypatch.setattr(
			frappe.utils, "now_datetime", lambda: get_datetime(task.due_at) + timedelta(minutes=5)
		)
		# the job commits task by task, as a worker runs it; here the test's transaction keeps it
		monkeypatch.setattr(frappe.db, "commit", lambda: None)
		reminders.send_due_reminders()
		assert len(alerts(task.name)) == 1

	def test_the_job_reads_only_due_rows_through_an_index(self):
		for column, index in (("remind_at", "remind_at"), ("overdue_at", "overdue_at")):
			query = reminders.due_rows_query(column, now_datetime()).get_sql()
			plan = frappe.db.sql(f"explain {query}", as_dict=True)
			assert index in (plan[0].possible_keys or ""), plan


def test_two_runs_at_once_send_each_reminder_once(committed):
	"""Two reminder runs started together, each in its own connection and committing as the job
	does: each task's reminders go out once."""
	users = {}
	for key in ("boss", "alice", "bob", "carol"):
		users[key], _password = make_user(["Sales User"])
		committed.add("User", users[key])
	users["mona"], _password = make_user(["Sales User", "Sales Manager"])
	committed.add("User", users["mona"])
	for employee in build_team(users):
		committed.add("Employee", employee)
	tasks = [
		due_in(60, as_user=users["alice"], assigned_to=users["bob"]).name,
		due_in(90, as_user=users["boss"], assigned_to=users["alice"]).name,
	]
	for name in tasks:
		committed.add(DOCTYPE, name)
	frappe.db.commit()
	when = add_to_date(now_datetime(), hours=3)
	site, sites_path = frappe.local.site, frappe.local.sites_path
	start = threading.Barrier(2)
	results, errors = [], []

	def run_job():
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.set_user("Administrator")
		try:
			start.wait(timeout=30)
			results.append(reminders.run(when, commit=True))
		except Exception as e:  # reported below
			errors.append(e)
		finally:
			frappe.destroy()

	try:
		threads = [threading.Thread(target=run_job) for _ in range(2)]
		for t in threads:
			t.start()
		for t in threads:
			t.join()
		frappe.db.rollback()  # see what the runs committed
		assert not errors, errors
		assert sum(r["overdue"] for r in results) == 2
		for name in tasks:
			logs = alerts(name)
			assert len(logs) == len({log.for_user for log in logs}) == 2, logs
	finally:
		frappe.db.rollback()
		frappe.db.delete("Notification Log", {"document_type": DOCTYPE, "document_name": ("in", tasks)})
		frappe.db.commit()


def test_over_rest_a_user_assigns_within_their_reach_and_reads_only_their_tasks(api, committed):
	boss, alice, carol = api("Sales User"), api("Sales User"), api("Sales User")
	boss_employee = make_employee(boss.user, None, None)
	alice_employee = make_employee(alice.user, None, None, reports_to=boss_employee)
	carol_employee = make_employee(carol.user, None, None)
	for name in (boss_employee, alice_employee, carol_employee):
		committed.add("Employee", name)
	frappe.db.commit()
	due = str(add_to_date(now_datetime(), hours=4)).split(".")[0]
	made = []
	try:
		answer = boss.post(
			"/api/resource/Korus Task",
			{"subject": "Visit the client", "due_at": due, "assigned_to": alice.user},
		)
		assert answer.status_code == 200, answer
		made.append(answer.data["name"])
		assert answer.data["assigned_by"] == boss.user

		subject = unique("Refused")
		refused = [
			(boss.post("/api/resource/Korus Task", {"subject": subject, "due_at": due, "assigned_to": carol.user}), 403),
			(
				alice.post(
					"/api/resource/Korus Task",
					{"subject": subject, "due_at": due, "start_at": str(add_to_date(get_datetime(due), hours=1))},
				),
				417,
			),
			(alice.post("/api/resource/Korus Task", {"subject": subject, "due_at": due, "remind_before_minutes": -5}), 417),
			(alice.post("/api/resource/Korus Task", {"subject": subject, "due_at": {"when": "soon"}}), 417),
			(alice.post("/api/resource/Korus Task", {"subject": subject, "due_at": due, "assigned_to": "nobody@example.com"}), 417),
		]  # fmt: skip
		for response, status in refused:
			assert response.status_code == status, response
			assert response.messages, response
		assert {r.exc_type for r, _s in refused} == {
			"TaskAssignmentError",
			"TaskDatesError",
			"TaskReminderError",
			"InvalidInputError",
			"LinkValidationError",
		}
		frappe.db.rollback()
		assert not frappe.db.exists(DOCTYPE, {"subject": subject})

		assert alice.get(f"/api/resource/Korus Task/{made[0]}").status_code == 200
		assert carol.get(f"/api/resource/Korus Task/{made[0]}").status_code == 403
		listed = carol.get("/api/resource/Korus Task", {"limit_page_length": 100})
		assert made[0] not in {row["name"] for row in listed.data}
		update = alice.put(f"/api/resource/Korus Task/{made[0]}", {"status": "Working"})
		assert update.status_code == 200, update
		assert carol.put(f"/api/resource/Korus Task/{made[0]}", {"status": "Completed"}).status_code == 403
		assert alice.delete(f"/api/resource/Korus Task/{made[0]}").status_code == 403
	finally:
		frappe.db.rollback()
		for name in made:
			frappe.db.delete("Notification Log", {"document_type": DOCTYPE, "document_name": name})
			frappe.delete_doc(DOCTYPE, name, force=True, ignore_permissions=True)
		frappe.db.commit()


def test_the_permission_condition_and_views_use_indexes(team):
	frappe.set_user(team.bob)
	query = frappe.get_list(
		DOCTYPE,
		filters=[["Korus Task Assignee", "open_assignee", "=", team.bob]],
		fields=["name"],
		group_by="`tabKorus Task`.`name`",
		order_by="`tabKorus Task`.`due_at` asc",
		limit_page_length=20,
		run=0,
	)
	frappe.set_user("Administrator")
	plan = frappe.db.sql(f"explain {query}", as_dict=True)
	assert any("open_assignee" in (row.possible_keys or "") for row in plan), plan
	assert "limit 1) is not null" in access.participants(team.bob)
