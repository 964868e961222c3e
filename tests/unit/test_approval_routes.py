"""Approval routes as plain rules: planning a request's approvers (supervisor chain, department
head, named users, roles, any/all, amount thresholds, fallback, no self-approval), deciding step by
step, and the days a leave takes."""

import datetime

import pytest

from korus_crm.rules import approvals as rules
from korus_crm.rules.approvals import (
	ALL,
	ANY,
	APPROVED,
	PENDING,
	REJECTED,
	SKIPPED,
	WAITING,
	NotYourTurn,
	RouteProblem,
	RouteRow,
	StepRow,
	decide,
	leave_days,
	plan_route,
)

# ann reports to bob, who reports to cleo; dan heads the department; the Accounts role is eve, fay
ORG = {
	rules.DIRECT_SUPERVISOR: {"ann": ["bob"], "bob": ["cleo"], "cleo": []},
	rules.DEPARTMENT_HEAD: {"ann": ["dan"], "bob": ["dan"], "dan": ["dan"]},
	rules.BRANCH_MANAGER: {"ann": ["gus"], "bob": ["gus"]},
}
CHAIN = {"ann": ["bob", "cleo"], "bob": ["cleo"], "cleo": []}
ROLES = {"Accounts": ["eve", "fay"], "Nobody": []}


def resolver(submitter):
	def resolve(row: RouteRow) -> list[str]:
		if row.kind == rules.SUPERVISOR_LEVELS_UP:
			chain = CHAIN.get(submitter, [])
			return [chain[row.levels - 1]] if len(chain) >= row.levels else []
		if row.kind == rules.NAMED_USER:
			return [row.user]
		if row.kind == rules.ROLE:
			return ROLES[row.role]
		return ORG[row.kind].get(submitter, [])

	return resolve


def plan(rows, submitter="ann", amount=0.0, **kw):
	return [
		(p.step, p.approver, p.mode, p.status)
		for p in plan_route(rows, amount, submitter, resolver(submitter), **kw)
	]


def test_the_supervisor_chain_gives_one_step_per_level():
	rows = [RouteRow(1, rules.DIRECT_SUPERVISOR), RouteRow(2, rules.SUPERVISOR_LEVELS_UP, levels=2)]
	assert plan(rows) == [(1, "bob", ANY, PENDING), (2, "cleo", ANY, WAITING)]


def test_rows_of_one_step_are_its_approvers_together():
	rows = [
		RouteRow(1, rules.NAMED_USER, user="x", mode=ALL),
		RouteRow(1, rules.ROLE, role="Accounts", mode=ALL),
	]
	assert plan(rows) == [(1, "x", ALL, PENDING), (1, "eve", ALL, PENDING), (1, "fay", ALL, PENDING)]


def test_an_amount_threshold_adds_or_skips_a_step_and_steps_are_renumbered():
	rows = [
		RouteRow(1, rules.DIRECT_SUPERVISOR),
		RouteRow(2, rules.BRANCH_MANAGER, min_amount=5000),
		RouteRow(3, rules.DEPARTMENT_HEAD, max_amount=1000),  # small amounts only
	]
	assert [p[:2] for p in plan(rows, amount=500)] == [(1, "bob"), (2, "dan")]
	assert [p[:2] for p in plan(rows, amount=5000)] == [(1, "bob"), (2, "gus")]
	assert [p[:2] for p in plan(rows, amount=4999.99)] == [(1, "bob")]


def test_the_submitter_never_approves_their_own_request_unless_allowed():
	rows = [RouteRow(1, rules.DEPARTMENT_HEAD)]
	with pytest.raises(RouteProblem) as problem:
		plan(rows, submitter="dan")  # dan heads his own department
	assert problem.value.step == 1
	assert plan(rows, submitter="dan", allow_self_approval=True) == [(1, "dan", ANY, PENDING)]


def test_a_step_that_resolves_to_nobody_goes_to_its_fallback_then_the_form_types():
	rows = [RouteRow(1, rules.DIRECT_SUPERVISOR, fallback="hal"), RouteRow(2, rules.ROLE, role="Nobody")]
	assert plan(rows, submitter="cleo", fallback="ivy") == [
		(1, "hal", ANY, PENDING),
		(2, "ivy", ANY, WAITING),
	]
	# a fallback who is the submitter is no fallback
	with pytest.raises(RouteProblem):
		plan([RouteRow(1, rules.ROLE, role="Nobody")], submitter="ivy", fallback="ivy")


def test_an_approver_appears_once_per_step():
	rows = [RouteRow(1, rules.DIRECT_SUPERVISOR), RouteRow(1, rules.NAMED_USER, user="bob")]
	assert plan(rows) == [(1, "bob", ANY, PENDING)]


def test_too_many_approvers_in_one_step_are_refused():
	many = {f"u{i}" for i in range(rules.MAX_APPROVERS_PER_STEP + 1)}
	ROLES["Crowd"] = sorted(many)
	try:
		with pytest.raises(RouteProblem):
			plan([RouteRow(1, rules.ROLE, role="Crowd")])
	finally:
		del ROLES["Crowd"]


def test_route_errors_name_what_is_wrong():
	assert rules.route_errors([RouteRow(1, rules.DIRECT_SUPERVISOR)]) == []
	errors = rules.route_errors(
		[
			RouteRow(0, rules.NAMED_USER),
			RouteRow(2, rules.SUPERVISOR_LEVELS_UP, levels=0),
			RouteRow(3, rules.ROLE, min_amount=-1),
			RouteRow(4, rules.DIRECT_SUPERVISOR, min_amount=10, max_amount=5),
			RouteRow(5, rules.DIRECT_SUPERVISOR, mode=ANY),
			RouteRow(5, rules.DEPARTMENT_HEAD, mode=ALL),
		]
	)
	assert errors == [
		(0, rules.BAD_STEP),
		(0, rules.NO_USER),
		(2, rules.BAD_LEVELS),
		(3, rules.NO_ROLE),
		(3, rules.NEGATIVE_AMOUNT),
		(4, rules.AMOUNTS_REVERSED),
		(5, rules.MIXED_STEP),
	]


def rows_of(*spec):
	return [StepRow(step, who, mode, status) for step, who, mode, status in spec]


def test_any_one_approval_decides_the_step_and_opens_the_next():
	rows = rows_of((1, "bob", ANY, PENDING), (1, "dan", ANY, PENDING), (2, "cleo", ANY, WAITING))
	decision = decide(rows, "dan", approve=True)
	assert decision.outcome == PENDING and decision.current_step == 2
	assert decision.newly_pending == ("cleo",)
	assert [r.status for r in decision.rows] == [SKIPPED, APPROVED, PENDING]
	with pytest.raises(NotYourTurn):  # bob comes too late: the step is decided
		decide(list(decision.rows), "bob", approve=True)
	final = decide(list(decision.rows), "cleo", approve=True)
	assert (final.outcome, final.current_step) == (APPROVED, 0)


def test_all_approvers_of_a_step_must_approve():
	rows = rows_of((1, "eve", ALL, PENDING), (1, "fay", ALL, PENDING))
	first = decide(rows, "eve", approve=True)
	assert (first.outcome, first.current_step, first.newly_pending) == (PENDING, 1, ())
	assert rules.awaiting(list(first.rows)) == ["fay"]
	assert rules.completes_route(list(first.rows), "fay") and not rules.completes_route(rows, "eve")
	assert decide(list(first.rows), "fay", approve=True).outcome == APPROVED


def test_one_rejection_decides_the_request():
	rows = rows_of((1, "eve", ALL, PENDING), (1, "fay", ALL, PENDING), (2, "cleo", ANY, WAITING))
	decision = decide(rows, "fay", approve=False)
	assert decision.outcome == REJECTED
	assert [r.status for r in decision.rows] == [SKIPPED, REJECTED, SKIPPED]


def test_only_an_approver_of_the_current_step_decides():
	rows = rows_of((1, "bob", ANY, PENDING), (2, "cleo", ANY, WAITING))
	for user in ("cleo", "ann"):
		with pytest.raises(NotYourTurn):
			decide(rows, user, approve=True)


D = datetime.date


def test_leave_days_leave_out_holidays_and_count_half_days():
	weekend = {D(2026, 12, 5), D(2026, 12, 6)}
	assert leave_days(D(2026, 12, 1), D(2026, 12, 7), weekend) == 5
	assert leave_days(D(2026, 12, 1), D(2026, 12, 7), weekend, starts_at_noon=True) == 4.5
	assert leave_days(D(2026, 12, 1), D(2026, 12, 7), weekend, True, True) == 4
	assert leave_days(D(2026, 12, 1), D(2026, 12, 1), set(), ends_at_noon=True) == 0.5
	assert leave_days(D(2026, 12, 5), D(2026, 12, 6), weekend) == 0
	with pytest.raises(ValueError):
		leave_days(D(2026, 12, 2), D(2026, 12, 1), set())
	with pytest.raises(ValueError):
		leave_days(D(2026, 12, 1), D(2026, 12, 1), set(), True, True)
