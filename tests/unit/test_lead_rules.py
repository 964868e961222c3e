"""Rules of leads: email normalization, initial status, ERPNext status coherence, conversion lock."""

import pytest

from korus_crm.rules import leads as rules


@pytest.mark.parametrize(
	("raw", "normalized"),
	[
		("  Ada@Example.COM ", "ada@example.com"),
		("ada@example.com", "ada@example.com"),
		("", None),
		("   ", None),
		(None, None),
	],
)
def test_emails_are_compared_trimmed_and_case_insensitively(raw, normalized):
	assert rules.normalize_email(raw) == normalized


def test_a_new_lead_takes_the_default_status_unless_given_one():
	assert rules.pick_initial_status(None, "New") == "New"
	assert rules.pick_initial_status("", "New") == "New"
	assert rules.pick_initial_status("Contacted", "New") == "Contacted"


MAPPING = {"New": "Lead", "Qualified": "Interested", "Converted": "Converted", "Lost": "Do Not Contact"}


class TestCoherentStatuses:
	def test_a_customer_makes_the_lead_converted_in_both(self):
		assert rules.coherent_statuses("Qualified", False, "Converted", True, MAPPING, "Converted") == (
			"Converted",
			"Converted",
		)

	def test_a_chosen_status_sets_the_mapped_erpnext_status(self):
		assert rules.coherent_statuses("Qualified", True, "Lead", False, MAPPING, "Converted") == (
			"Qualified",
			"Interested",
		)

	def test_an_unchanged_status_leaves_erpnext_deriving_its_own(self):
		assert rules.coherent_statuses("Qualified", False, "Opportunity", False, MAPPING, "Converted") == (
			"Qualified",
			"Opportunity",
		)

	def test_an_unmapped_status_leaves_erpnext_status_alone(self):
		assert rules.coherent_statuses("Contacted", True, "Replied", False, MAPPING, "Converted") == (
			"Contacted",
			"Replied",
		)

	def test_without_a_converted_status_a_customer_changes_nothing(self):
		assert rules.coherent_statuses("New", False, "Converted", True, MAPPING, None) == ("New", "Converted")


class TestConversionLock:
	def test_a_lead_with_a_customer_cannot_leave_converted(self):
		assert rules.leaves_converted("Converted", "New", "Converted", converted=True)

	def test_without_a_customer_it_can(self):
		assert not rules.leaves_converted("Converted", "New", "Converted", converted=False)

	def test_staying_converted_is_fine(self):
		assert not rules.leaves_converted("Converted", "Converted", "Converted", converted=True)
