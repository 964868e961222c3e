"""Rules of customer groups: codes, discounts and the Pricing Rule each group keeps."""

import pytest

from korus_crm.rules import customer_groups as rules


@pytest.mark.parametrize(("raw", "code"), [(" vip-1 ", "VIP-1"), ("Gold", "GOLD"), ("", None), (None, None)])
def test_codes_are_trimmed_and_upper_case(raw, code):
	assert rules.normalize_code(raw) == code


@pytest.mark.parametrize(
	("discount", "bad"),
	[(-0.01, True), (0, False), (55.5, False), (100, False), (100.01, True), (None, False)],
)
def test_discounts_must_be_0_to_100(discount, bad):
	assert rules.discount_out_of_range(discount) is bad


class TestPricingRulePlan:
	def test_an_active_group_with_a_discount_has_an_enabled_rule(self):
		assert rules.pricing_rule_plan(10, True, 3) == rules.PricingRulePlan(True, 10.0, 3)

	def test_an_inactive_group_disables_its_rule(self):
		assert rules.pricing_rule_plan(10, False, None).enabled is False

	def test_no_discount_disables_the_rule(self):
		assert rules.pricing_rule_plan(0, True, None).enabled is False
		assert rules.pricing_rule_plan(None, True, None).discount_percentage == 0.0

	@pytest.mark.parametrize(
		("priority", "rule_priority"), [(None, None), (0, None), (1, 1), (20, 20), (50, 20)]
	)
	def test_the_group_priority_becomes_a_pricing_priority_in_1_to_20(self, priority, rule_priority):
		assert rules.pricing_rule_plan(5, True, priority).priority == rule_priority


def test_the_rule_title_names_the_group():
	assert rules.pricing_rule_title("VIP") == "Customer Group Discount: VIP"
