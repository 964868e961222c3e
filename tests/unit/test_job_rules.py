"""Rules of background job ids: the same work gets the same id (Frappe deduplicates by it), other
work another; long selections are digested."""

import pytest

from korus_crm.rules import jobs as rules


class TestJobIds:
	def test_a_job_id_names_the_work(self):
		assert rules.job_id("rotting", "Negotiation") == "korus-rotting::Negotiation"
		assert rules.job_id("recount-all") == "korus-recount-all"

	def test_a_part_that_is_not_a_short_string_is_digested_stably(self):
		names = [f"CRM-OPP-{i}" for i in range(500)]
		first = rules.job_id("purge", "Opportunity", names)
		assert first == rules.job_id("purge", "Opportunity", list(names))
		assert first != rules.job_id("purge", "Opportunity", names[:-1])
		assert len(first) < 60
		assert rules.job_id("x", "a::b") != "korus-x::a::b"  # a separator in a part is digested

	def test_a_kind_is_required_and_plain(self):
		with pytest.raises(ValueError):
			rules.job_id("")
		with pytest.raises(ValueError):
			rules.job_id("a::b")


class TestSelections:
	def test_the_same_selection_in_any_order_is_the_same_job(self):
		one = rules.selection_id("bulk", "ann@example.com", "assign", ["b", "a"], {"owner": "x"})
		assert one == rules.selection_id("bulk", "ann@example.com", "assign", ["a", "b"], {"owner": "x"})

	def test_another_user_action_selection_or_argument_is_another_job(self):
		one = rules.selection_id("bulk", "ann@example.com", "assign", ["a", "b"], {"owner": "x"})
		assert one != rules.selection_id("bulk", "bob@example.com", "assign", ["a", "b"], {"owner": "x"})
		assert one != rules.selection_id("bulk", "ann@example.com", "delete", ["a", "b"], {"owner": "x"})
		assert one != rules.selection_id("bulk", "ann@example.com", "assign", ["a"], {"owner": "x"})
		assert one != rules.selection_id("bulk", "ann@example.com", "assign", ["a", "b"], {"owner": "y"})


def test_queues_are_frappes():
	assert rules.QUEUES == ("short", "default", "long")
