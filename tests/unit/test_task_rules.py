"""Rules of Korus Tasks: dates, reminder minutes, assignee and reference, who may assign to whom,
who reads and deletes, and when each reminder falls due (each once; a new due time brings new ones)."""

from datetime import datetime, timedelta

import pytest

from korus_crm.rules import tasks as rules

NOW = datetime(2026, 6, 15, 9, 0)
DUE = datetime(2026, 6, 15, 12, 0)


class TestInput:
	def test_the_due_time_is_not_before_the_start(self):
		assert rules.dates_are_valid(datetime(2026, 6, 15, 8), DUE)
		assert rules.dates_are_valid(DUE, DUE)
		assert not rules.dates_are_valid(DUE + timedelta(minutes=1), DUE)

	def test_either_date_may_be_missing(self):
		assert rules.dates_are_valid(None, DUE)
		assert rules.dates_are_valid(DUE, None)

	@pytest.mark.parametrize("minutes", [0, 1, 30, rules.MAX_REMIND_BEFORE_MINUTES, None])
	def test_reminder_minutes_from_zero_to_a_month(self, minutes):
		assert rules.minutes_are_valid(minutes)

	@pytest.mark.parametrize("minutes", [-1, -30, rules.MAX_REMIND_BEFORE_MINUTES + 1])
	def test_negative_or_too_many_minutes_are_refused(self, minutes):
		assert not rules.minutes_are_valid(minutes)

	def test_a_task_goes_to_a_user_or_a_group(self):
		assert rules.assignee_problem("a@x", None) is None
		assert rules.assignee_problem(None, "Sales North") is None
		assert rules.assignee_problem(None, None) == "none"
		assert rules.assignee_problem("", "") == "none"
		assert rules.assignee_problem("a@x", "Sales North") == "both"

	def test_a_task_is_about_a_crm_record_or_nothing(self):
		assert rules.reference_problem(None, None) is None
		for doctype in ("Lead", "Opportunity", "Customer", "Contract Order", "Price Offer", "Sales Order"):
			assert rules.reference_problem(doctype, "X-1") is None
		assert rules.reference_problem("ToDo", "X-1") == "type"
		assert rules.reference_problem("Lead", None) == "name"
		assert rules.reference_problem(None, "X-1") == "no type"


class TestAssigning:
	def test_a_user_assigns_to_themselves_and_their_subordinates(self):
		assert rules.not_assignable("boss", ["boss", "alice", "bob"], ["alice", "bob"], False) == []

	def test_not_to_peers_or_supervisors(self):
		assert rules.not_assignable("alice", ["bob", "boss", "carol"], ["bob"], False) == ["boss", "carol"]

	def test_a_manager_assigns_to_anyone(self):
		assert rules.not_assignable("mona", ["boss", "carol"], [], True) == []

	@pytest.mark.parametrize("role", rules.MANAGER_ROLES)
	def test_manager_roles(self, role):
		assert rules.is_manager(["Sales User", role])
		assert not rules.is_manager(["Sales User", "Korus Office Staff"])


class TestReading:
	def test_the_people_involved_read_it(self):
		assert rules.may_read("bob", "alice", ["bob"], [], False)
		assert rules.may_read("alice", "alice", ["bob"], [], False)

	def test_their_supervisors_read_it(self):
		# boss supervises alice (the assigner) and bob (the assignee)
		assert rules.may_read("boss", "alice", ["bob"], ["alice", "bob"], False)
		assert rules.may_read("boss", "carol", ["bob"], ["bob"], False)

	def test_others_do_not(self):
		assert not rules.may_read("carol", "alice", ["bob"], [], False)
		assert not rules.may_read("carol", "alice", ["bob"], ["dave"], False)

	def test_managers_read_every_task(self):
		assert rules.may_read("mona", "alice", ["bob"], [], True)

	def test_the_assigner_and_their_supervisors_delete_it_not_the_assignee(self):
		assert rules.may_delete("alice", "alice", [], False)
		assert rules.may_delete("boss", "alice", ["alice"], False)
		assert not rules.may_delete("bob", "alice", [], False)
		assert not rules.may_delete("bob", None, [], False)
		assert rules.may_delete("mona", "alice", [], True)

	def test_reminders_go_to_the_assignees_and_the_assigner_once_each(self):
		assert rules.reminder_recipients("alice", ["bob", "alice", "carol"]) == ["alice", "bob", "carol"]
		assert rules.reminder_recipients(None, ["bob"]) == ["bob"]


def state(**changes):
	values = {
		"status": "Open",
		"due_at": DUE,
		"remind_before_minutes": 30,
		"reminder_sent": False,
		"overdue_notified": False,
		"due_changed": False,
		"now": NOW,
	}
	values.update(changes)
	return rules.reminder_state(**values)


class TestReminderState:
	def test_an_open_task_has_both_reminders_pending(self):
		s = state()
		assert s.remind_at == DUE - timedelta(minutes=30)
		assert s.overdue_at == DUE
		assert not s.reminder_sent and not s.overdue_notified

	def test_a_sent_reminder_is_not_pending_again(self):
		s = state(reminder_sent=True, overdue_notified=True)
		assert s.remind_at is None and s.overdue_at is None
		assert s.reminder_sent and s.overdue_notified

	def test_a_new_due_time_brings_new_reminders(self):
		s = state(reminder_sent=True, overdue_notified=True, due_changed=True)
		assert not s.reminder_sent and not s.overdue_notified
		assert s.remind_at == DUE - timedelta(minutes=30) and s.overdue_at == DUE

	@pytest.mark.parametrize("status", ["Completed", "Cancelled"])
	def test_a_closed_task_has_none_pending(self, status):
		s = state(status=status)
		assert s.remind_at is None and s.overdue_at is None

	def test_working_counts_as_open(self):
		assert state(status="Working").overdue_at == DUE

	def test_zero_minutes_means_no_reminder_before_the_due_time(self):
		s = state(remind_before_minutes=0)
		assert s.remind_at is None and s.overdue_at == DUE

	def test_a_due_time_already_past_gets_only_the_overdue_notice(self):
		s = state(now=DUE + timedelta(minutes=1))
		assert s.remind_at is None and s.overdue_at == DUE

	def test_a_reminder_time_already_past_is_sent_at_the_next_run(self):
		s = state(now=DUE - timedelta(minutes=10))
		assert s.remind_at == DUE - timedelta(minutes=30)

	def test_a_due_soon_reminder_claimed_after_the_due_time_is_not_sent(self):
		assert rules.due_soon_is_still_useful(DUE, NOW)
		assert not rules.due_soon_is_still_useful(DUE, DUE)
		assert not rules.due_soon_is_still_useful(None, NOW)

	def test_overdue(self):
		assert rules.is_overdue("Open", DUE, DUE + timedelta(seconds=1))
		assert not rules.is_overdue("Open", DUE, NOW)
		assert not rules.is_overdue("Completed", DUE, DUE + timedelta(days=1))
