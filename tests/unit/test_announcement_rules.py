"""Rules of announcements: publishing now or on the publish date, dates, audience, when they are
shown and when their audience is told."""

from datetime import datetime

import pytest

from korus_crm.rules import announcements as rules

NOW = datetime(2026, 6, 15, 9, 0)
EARLIER = datetime(2026, 6, 14, 9, 0)
LATER = datetime(2026, 6, 16, 9, 0)


class TestStatus:
	@pytest.mark.parametrize("requested", [rules.PUBLISHED, rules.SCHEDULED])
	def test_asking_to_publish_publishes_now_when_the_date_has_come(self, requested):
		assert rules.status_for(requested, EARLIER, NOW) == rules.PUBLISHED
		assert rules.status_for(requested, NOW, NOW) == rules.PUBLISHED

	@pytest.mark.parametrize("requested", [rules.PUBLISHED, rules.SCHEDULED])
	def test_asking_to_publish_before_the_date_schedules(self, requested):
		assert rules.status_for(requested, LATER, NOW) == rules.SCHEDULED

	@pytest.mark.parametrize("requested", [rules.DRAFT, None, "", "Something else"])
	def test_anything_else_is_a_draft(self, requested):
		assert rules.status_for(requested, EARLIER, NOW) == rules.DRAFT


class TestProblems:
	def test_an_announcement_expires_after_it_is_published(self):
		assert rules.problems(rules.EVERYONE, [], [], NOW, LATER) == []
		assert rules.problems(rules.EVERYONE, [], [], NOW, None) == []
		assert rules.problems(rules.EVERYONE, [], [], NOW, EARLIER) == [rules.EXPIRES_BEFORE_PUBLISH]
		assert rules.problems(rules.EVERYONE, [], [], NOW, NOW) == [rules.EXPIRES_BEFORE_PUBLISH]

	def test_an_audience_of_branches_or_departments_names_some(self):
		assert rules.problems(rules.BRANCHES, [], ["D"], NOW, None) == [rules.NO_BRANCHES]
		assert rules.problems(rules.BRANCHES, [None, ""], [], NOW, None) == [rules.NO_BRANCHES]
		assert rules.problems(rules.BRANCHES, ["North"], [], NOW, None) == []
		assert rules.problems(rules.DEPARTMENTS, ["North"], [], NOW, None) == [rules.NO_DEPARTMENTS]
		assert rules.problems(rules.DEPARTMENTS, [], ["Sales"], NOW, None) == []

	def test_every_problem_is_reported(self):
		assert rules.problems(rules.DEPARTMENTS, [], [], NOW, EARLIER) == [
			rules.EXPIRES_BEFORE_PUBLISH,
			rules.NO_DEPARTMENTS,
		]


class TestShownAndAnnounced:
	def test_the_workspace_shows_published_unexpired_announcements(self):
		assert rules.is_current(rules.PUBLISHED, EARLIER, None, NOW)
		assert rules.is_current(rules.PUBLISHED, EARLIER, LATER, NOW)
		assert not rules.is_current(rules.PUBLISHED, EARLIER, NOW, NOW)
		assert not rules.is_current(rules.PUBLISHED, LATER, None, NOW)
		assert not rules.is_current(rules.SCHEDULED, EARLIER, None, NOW)
		assert not rules.is_current(rules.DRAFT, EARLIER, None, NOW)

	def test_the_audience_is_told_once_when_published(self):
		assert rules.should_notify(rules.PUBLISHED, None)
		assert not rules.should_notify(rules.PUBLISHED, EARLIER)
		assert not rules.should_notify(rules.SCHEDULED, None)
		assert not rules.should_notify(rules.DRAFT, None)


class TestAudience:
	# a department tree: Company (1, 10) > Sales (2, 7) > Sales North (3, 4); Support (8, 9)
	COMPANY, SALES, NORTH, SUPPORT = (1, 10), (2, 7), (3, 4), (8, 9)

	def test_everyone_includes_people_without_an_employee(self):
		assert rules.in_audience(rules.EVERYONE, [], [], None, None)

	def test_branches_include_the_people_of_those_branches(self):
		assert rules.in_audience(rules.BRANCHES, ["North", "South"], [], "North", None)
		assert not rules.in_audience(rules.BRANCHES, ["South"], [], "North", None)
		assert not rules.in_audience(rules.BRANCHES, ["South"], [], None, None)

	def test_a_department_includes_the_departments_below_it(self):
		assert rules.in_audience(rules.DEPARTMENTS, [], [self.SALES], None, self.NORTH)
		assert rules.in_audience(rules.DEPARTMENTS, [], [self.SALES], None, self.SALES)
		assert rules.in_audience(rules.DEPARTMENTS, [], [self.COMPANY], None, self.SUPPORT)
		assert not rules.in_audience(rules.DEPARTMENTS, [], [self.NORTH], None, self.SALES)
		assert not rules.in_audience(rules.DEPARTMENTS, [], [self.SUPPORT], None, self.NORTH)
		assert not rules.in_audience(rules.DEPARTMENTS, [], [self.SALES], None, None)
		assert rules.in_audience(rules.DEPARTMENTS, [], [self.SUPPORT, self.SALES], None, self.NORTH)

	def test_an_unknown_audience_includes_nobody(self):
		assert not rules.in_audience("Somebody", ["North"], [self.COMPANY], "North", self.SALES)
