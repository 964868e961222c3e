"""Rules of lead statuses, on a bare Python (no Frappe)."""

import pytest

from korus_crm.rules import lead_status as rules
from korus_crm.rules.lead_status import StatusRow


class TestExactlyOneDefault:
	def test_saving_a_status_as_default_takes_the_default_from_the_others(self):
		plan = rules.plan_default("Contacted", True, ["New"])
		assert plan.is_default is True
		assert plan.clear_default_on == ("New",)

	def test_resaving_the_default_clears_nothing(self):
		plan = rules.plan_default("New", True, ["New"])
		assert plan == rules.DefaultPlan(True, ())

	def test_the_first_status_becomes_the_default_without_being_asked(self):
		assert rules.plan_default("New", False, []) == rules.DefaultPlan(True, ())

	def test_a_non_default_status_stays_non_default_when_another_is_default(self):
		assert rules.plan_default("Contacted", False, ["New"]) == rules.DefaultPlan(False, ())

	def test_unchecking_the_only_default_is_refused(self):
		with pytest.raises(rules.NoDefaultLeft):
			rules.plan_default("New", False, ["New"])

	def test_unchecking_one_of_two_defaults_repairs_instead_of_refusing(self):
		assert rules.plan_default("New", False, ["New", "Lost"]) == rules.DefaultPlan(False, ())

	def test_several_stale_defaults_are_all_cleared_in_name_order(self):
		plan = rules.plan_default("Qualified", True, ["New", "Contacted", "Qualified"])
		assert plan.clear_default_on == ("Contacted", "New")


class TestFlagsAndDeletion:
	@pytest.mark.parametrize(
		("is_default", "is_final", "violates"),
		[(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
	)
	def test_the_default_status_cannot_be_final(self, is_default, is_final, violates):
		assert rules.default_is_final(is_default, is_final) is violates

	def test_the_default_status_cannot_be_deleted(self):
		assert rules.can_delete(is_default=True) is False
		assert rules.can_delete(is_default=False) is True


class TestOrder:
	def test_a_status_without_order_goes_after_the_last(self):
		assert rules.next_display_order([3, 1, None, 7]) == 8

	def test_the_first_status_gets_order_one(self):
		assert rules.next_display_order([]) == 1
		assert rules.next_display_order([None]) == 1

	@pytest.mark.parametrize(("order", "invalid"), [(-1, True), (0, False), (5, False), (None, False)])
	def test_negative_orders_are_invalid(self, order, invalid):
		assert rules.invalid_display_order(order) is invalid

	def test_statuses_sort_by_order_then_name_case_insensitively(self):
		rows = [
			StatusRow("b", display_order=2),
			StatusRow("C", display_order=1),
			StatusRow("a", display_order=2),
		]
		assert [r.name for r in rules.ordered(rows)] == ["C", "a", "b"]

	def test_the_board_shows_only_non_final_statuses_in_order(self):
		assert [r.name for r in rules.board_statuses(rules.DEFAULT_STATUSES)] == [
			"New",
			"Contacted",
			"Qualified",
		]

	def test_a_status_record_carries_every_setting(self):
		record = rules.status_record(
			StatusRow("Lost", is_final=True, display_order=9, color="#f00", erpnext_status="Do Not Contact")
		)
		assert record == {
			"status_name": "Lost",
			"color": "#f00",
			"is_default": 0,
			"is_final": 1,
			"display_order": 9,
			"erpnext_status": "Do Not Contact",
		}


class TestDefaults:
	def test_the_shipped_statuses_have_exactly_one_default_and_it_is_not_final(self):
		defaults = [r for r in rules.DEFAULT_STATUSES if r.is_default]
		assert [r.name for r in defaults] == ["New"]
		assert not defaults[0].is_final

	def test_converted_and_lost_are_final(self):
		finals = {r.name for r in rules.DEFAULT_STATUSES if r.is_final}
		assert finals == {"Converted", "Lost"}

	def test_the_shipped_orders_are_distinct(self):
		orders = [r.display_order for r in rules.DEFAULT_STATUSES]
		assert len(set(orders)) == len(orders)
