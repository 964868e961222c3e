"""Rules of follow-ups, scheduled contacts, their reminders and followed customers: the customer's
last follow-up and next contact (the latest follow-up's), when a reminder goes out (once; a new time
brings a new one), who is reminded, overdue, who changes what, which followers are told."""

from datetime import datetime, timedelta

import pytest

from korus_crm.rules import follow_ups as rules
from korus_crm.rules.follow_ups import FollowUpTimes

NOW = datetime(2026, 6, 15, 9, 0)


class TestDates:
	def test_a_follow_up_is_not_dated_in_the_future(self):
		assert rules.follow_up_dates_problem(NOW, None, NOW) is None
		assert rules.follow_up_dates_problem(NOW + timedelta(minutes=4), None, NOW) is None  # clock skew
		assert rules.follow_up_dates_problem(NOW + timedelta(hours=1), None, NOW) == "future"

	def test_the_next_contact_comes_after_the_follow_up(self):
		assert rules.follow_up_dates_problem(NOW, NOW + timedelta(days=1), NOW) is None
		assert rules.follow_up_dates_problem(NOW, NOW, NOW) == "next before"
		assert rules.follow_up_dates_problem(NOW, NOW - timedelta(days=1), NOW) == "next before"

	def test_missing_dates_are_not_a_problem_here(self):
		assert rules.follow_up_dates_problem(None, NOW, NOW) is None

	@pytest.mark.parametrize("minutes", [None, 0, 15, rules.MAX_LEAD_MINUTES])
	def test_lead_minutes_from_zero_to_a_week(self, minutes):
		assert rules.lead_minutes_are_valid(minutes)

	@pytest.mark.parametrize("minutes", [-1, rules.MAX_LEAD_MINUTES + 1])
	def test_negative_or_huge_lead_minutes_are_refused(self, minutes):
		assert not rules.lead_minutes_are_valid(minutes)


class TestCustomerTiming:
	def test_no_follow_ups_no_timing(self):
		assert rules.customer_timing([]) == (None, None)

	def test_the_latest_follow_up_gives_both(self):
		old = FollowUpTimes(NOW - timedelta(days=3), NOW + timedelta(days=5))
		new = FollowUpTimes(NOW - timedelta(days=1), NOW + timedelta(days=2))
		assert rules.customer_timing([new, old]) == (new.followed_up_at, new.next_contact_at)

	def test_a_latest_follow_up_without_a_next_contact_clears_it(self):
		old = FollowUpTimes(NOW - timedelta(days=3), NOW + timedelta(days=5))
		new = FollowUpTimes(NOW - timedelta(days=1), None)
		assert rules.customer_timing([old, new]) == (new.followed_up_at, None)

	def test_a_follow_up_logged_late_for_an_earlier_time_does_not_win(self):
		newer = FollowUpTimes(
			NOW - timedelta(days=1), NOW + timedelta(days=2), created=NOW - timedelta(days=1)
		)
		late = FollowUpTimes(NOW - timedelta(days=4), NOW + timedelta(days=9), created=NOW)
		assert rules.customer_timing([newer, late]) == (newer.followed_up_at, newer.next_contact_at)

	def test_same_time_the_one_made_last_wins(self):
		a = FollowUpTimes(NOW, NOW + timedelta(days=1), created=NOW)
		b = FollowUpTimes(NOW, NOW + timedelta(days=2), created=NOW + timedelta(seconds=1))
		assert rules.customer_timing([b, a])[1] == b.next_contact_at


class TestReminders:
	def test_the_reminder_goes_out_the_lead_time_before(self):
		when = NOW + timedelta(hours=2)
		assert rules.remind_at(when, 15, NOW) == when - timedelta(minutes=15)
		assert rules.remind_at(when, 0, NOW) == when
		assert rules.remind_at(when, None, NOW) == when

	def test_a_past_or_missing_time_has_no_reminder(self):
		assert rules.remind_at(NOW - timedelta(minutes=1), 15, NOW) is None
		assert rules.remind_at(NOW, 15, NOW) is None
		assert rules.remind_at(None, 15, NOW) is None

	def test_within_the_lead_time_the_reminder_is_due_at_once(self):
		when = NOW + timedelta(minutes=5)
		assert rules.remind_at(when, 15, NOW) <= NOW

	def _state(self, **kw):
		values = dict(
			when=NOW + timedelta(hours=1),
			pending=True,
			lead_minutes=15,
			reminder_sent=False,
			when_changed=True,
			now=NOW,
		)
		values.update(kw)
		return rules.reminder_state(**values)

	def test_a_new_contact_has_a_pending_reminder(self):
		state = self._state()
		assert state == rules.ReminderState(NOW + timedelta(minutes=45), False)

	def test_a_sent_reminder_stays_sent_for_the_same_time(self):
		assert self._state(reminder_sent=True, when_changed=False) == rules.ReminderState(None, True)

	def test_a_new_time_brings_a_new_reminder(self):
		state = self._state(reminder_sent=True, when_changed=True)
		assert state.reminder_sent is False and state.remind_at is not None

	def test_a_closed_contact_has_none_pending(self):
		assert self._state(pending=False) == rules.ReminderState(None, False)

	def test_the_author_is_reminded_else_the_owner(self):
		assert rules.follow_up_reminder_recipient("a@x", "o@x") == "a@x"
		assert rules.follow_up_reminder_recipient(None, "o@x") == "o@x"
		assert rules.follow_up_reminder_recipient(None, None) is None


class TestScheduledContacts:
	def test_overdue_while_open_and_past(self):
		assert rules.is_overdue(rules.OPEN, NOW - timedelta(minutes=1), NOW)
		assert not rules.is_overdue(rules.OPEN, NOW + timedelta(minutes=1), NOW)
		assert not rules.is_overdue(rules.DONE, NOW - timedelta(days=1), NOW)
		assert not rules.is_overdue(rules.CANCELLED, NOW - timedelta(days=1), NOW)
		assert not rules.is_overdue(rules.OPEN, None, NOW)

	def test_done_at_is_set_once_and_cleared_when_reopened(self):
		earlier = NOW - timedelta(days=1)
		assert rules.done_at(rules.DONE, rules.OPEN, None, NOW) == NOW
		assert rules.done_at(rules.DONE, rules.DONE, earlier, NOW) == earlier
		assert rules.done_at(rules.OPEN, rules.DONE, earlier, NOW) is None
		assert rules.done_at(rules.CANCELLED, rules.OPEN, None, NOW) is None


class TestAccess:
	def test_authors_and_managers_change_a_follow_up(self):
		assert rules.may_change("a", "a", False)
		assert not rules.may_change("b", "a", False)
		assert rules.may_change("b", "a", True)
		assert not rules.may_change("b", None, False)

	def test_maker_assignee_owner_and_managers_change_a_scheduled_contact(self):
		assert rules.may_change_scheduled("a", "a", "b", "o", False)
		assert rules.may_change_scheduled("b", "a", "b", "o", False)
		assert rules.may_change_scheduled("o", "a", "b", "o", False)
		assert not rules.may_change_scheduled("c", "a", "b", None, False)
		assert rules.may_change_scheduled("c", "a", "b", "o", True)

	def test_manager_roles(self):
		assert rules.is_manager(["Sales User", "Sales Manager"])
		assert not rules.is_manager(["Sales User"])


class TestFollowers:
	def test_all_followers_but_the_actor_each_once(self):
		assert rules.followers_to_tell(["b", "a", "me", "a", "", "Guest"], "me") == ["a", "b"]

	def test_changed_fields_in_order_and_capped(self):
		labels = {"a": "A", "b": "B", "c": "C"}
		assert rules.changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}, labels) == ["B", "C"]
		assert rules.changed_fields({"a": None}, {"a": ""}, labels) == []
		assert rules.changed_fields({}, {"a": 1, "b": 1, "c": 1}, labels, limit=2) == ["A", "B", "…"]
