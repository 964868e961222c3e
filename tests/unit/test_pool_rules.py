"""The customer pool's rules (korus_crm.rules.pool): return dates, rules per level, claim limits."""

from __future__ import annotations

import datetime

import pytest

from korus_crm.rules import pool
from korus_crm.rules.pool import FOLLOW_UP, NEW_DEAL, WON_ORDER, Limits, ReturnRule, Timing

D = datetime.date


def test_no_owner_no_return():
	assert pool.return_due([ReturnRule(FOLLOW_UP, 30)], Timing(owner_since=None)) is None


def test_no_rules_no_return():
	assert pool.return_due([], Timing(owner_since=D(2026, 1, 1))) is None


def test_days_count_from_when_the_owner_got_it_without_a_follow_up():
	assert pool.return_due([ReturnRule(FOLLOW_UP, 30)], Timing(owner_since=D(2026, 1, 1))) == D(2026, 1, 31)


def test_a_follow_up_after_the_claim_moves_the_date():
	timing = Timing(owner_since=D(2026, 1, 1), last_follow_up=D(2026, 1, 20))
	assert pool.return_due([ReturnRule(FOLLOW_UP, 30)], timing) == D(2026, 2, 19)


def test_a_follow_up_before_the_claim_does_not_count():
	timing = Timing(owner_since=D(2026, 1, 10), last_follow_up=D(2025, 12, 1))
	assert pool.return_due([ReturnRule(FOLLOW_UP, 5)], timing) == D(2026, 1, 15)


def test_the_earliest_of_several_bases():
	rules = [ReturnRule(FOLLOW_UP, 30), ReturnRule(NEW_DEAL, 60), ReturnRule(WON_ORDER, 90)]
	timing = Timing(owner_since=D(2026, 1, 1), last_follow_up=D(2026, 3, 1), last_deal=D(2026, 1, 15))
	# follow-up: Mar 31; deal: Mar 16; order: Apr 1
	assert pool.return_due(rules, timing) == D(2026, 3, 16)


def test_a_level_rule_replaces_the_general_rule_of_its_basis():
	rules = [ReturnRule(FOLLOW_UP, 30), ReturnRule(FOLLOW_UP, 90, level="A"), ReturnRule(NEW_DEAL, 45)]
	assert pool.rules_for(rules, "A") == [ReturnRule(FOLLOW_UP, 90, level="A"), ReturnRule(NEW_DEAL, 45)]
	assert pool.rules_for(rules, "B") == [ReturnRule(FOLLOW_UP, 30), ReturnRule(NEW_DEAL, 45)]
	assert pool.rules_for(rules, None) == [ReturnRule(FOLLOW_UP, 30), ReturnRule(NEW_DEAL, 45)]


def test_the_level_rule_wins_whatever_the_order_of_rows():
	rules = [ReturnRule(FOLLOW_UP, 90, level="A"), ReturnRule(FOLLOW_UP, 30)]
	assert pool.rules_for(rules, "A") == [ReturnRule(FOLLOW_UP, 90, level="A")]
	timing = Timing(owner_since=D(2026, 1, 1), level="A")
	assert pool.return_due(rules, timing) == D(2026, 4, 1)


def test_won_customers_can_be_left_out_of_a_rule():
	rules = [ReturnRule(FOLLOW_UP, 30, exclude_won=True), ReturnRule(WON_ORDER, 365)]
	won = Timing(owner_since=D(2026, 1, 1), status=pool.WON, last_order=D(2026, 2, 1))
	assert pool.return_due(rules, won) == D(2027, 2, 1)
	assert pool.return_due([ReturnRule(FOLLOW_UP, 30, exclude_won=True)], won) is None
	developing = Timing(owner_since=D(2026, 1, 1), status="Developing")
	assert pool.return_due(rules, developing) == D(2026, 1, 31)


def test_rule_errors():
	rules = [
		ReturnRule(FOLLOW_UP, 30),
		ReturnRule(FOLLOW_UP, 10),
		ReturnRule(NEW_DEAL, 0),
		ReturnRule("Moon", 3),
	]
	assert pool.rule_errors(rules) == [(2, "twice"), (3, "days"), (4, "basis")]
	assert pool.rule_errors([ReturnRule(FOLLOW_UP, 30), ReturnRule(FOLLOW_UP, 60, level="A")]) == []


def test_limits_default_when_no_row_matches():
	assert pool.limits_for(Limits(10, 3), []) == Limits(10, 3)


def test_limits_the_most_generous_matching_row():
	assert pool.limits_for(Limits(10, 3), [Limits(20, 2), Limits(15, 5)]) == Limits(20, 5)
	# 0 is no limit: the most generous of all
	assert pool.limits_for(Limits(10, 3), [Limits(0, 2), Limits(15, 5)]) == Limits(0, 5)


@pytest.mark.parametrize(
	"limits, owned, today_claims, blocked, expected",
	[
		(Limits(0, 0), 1000, 1000, None, None),
		(Limits(5, 0), 4, 0, None, None),
		(Limits(5, 0), 5, 0, None, ("owned", 5)),
		(Limits(0, 2), 0, 2, None, ("daily", 2)),
		(Limits(0, 2), 0, 1, None, None),
		(Limits(0, 0), 0, 0, D(2026, 1, 10), ("previous owner", D(2026, 1, 10))),
		(Limits(0, 0), 0, 0, D(2026, 1, 5), None),
	],
)
def test_claim_refusal(limits, owned, today_claims, blocked, expected):
	assert pool.claim_refusal(limits, owned, today_claims, blocked, D(2026, 1, 5)) == expected


def test_notice_date():
	assert pool.notice_date(D(2026, 1, 10), 3) == D(2026, 1, 7)
	assert pool.notice_date(D(2026, 1, 10), 0) is None
	assert pool.notice_date(None, 3) is None
