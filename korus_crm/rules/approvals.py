"""Approvable documents, specified once: their states (and the docstatus of each), the transitions
between them (action, who may take it, on which condition). The controller guard, the API and the
desk buttons follow the specification (korus_crm.approvals); the shipped Workflow of a document
that has one is checked against it by a test.

Who may take a transition is a role, or one of two parties of the document itself: `APPROVER`, a
user the request's route (its approval steps) waits for now, and `SUBMITTER`, the user who asked.
Routed documents (approval requests) have no Workflow: Frappe's Workflow Action is role-based and
cannot wait for one named approver (see docs/approvals.md).

A condition is a Workflow condition: a Python expression on `doc`, evaluated by Frappe's safe_eval
(the Workflow and the guard evaluate the same text).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

SALES_USER = "Sales User"
SALES_MANAGER = "Sales Manager"
SYSTEM_MANAGER = "System Manager"
KORUS_ADMINISTRATOR = "Korus Administrator"
APPROVER = "<approver>"  # a user the request's current step waits for
SUBMITTER = "<submitter>"  # the user who made the request
PARTIES = (APPROVER, SUBMITTER)


@dataclass(frozen=True)
class Transition:
	source: str
	action: str
	target: str
	role: str  # who may take it
	condition: str | None = None


@dataclass(frozen=True)
class ApprovalSpec:
	doctype: str
	workflow: str | None  # the shipped Workflow that drives it in the desk (None: Korus's buttons)
	state_field: str
	states: tuple[tuple[str, int], ...]  # (state, docstatus), in order
	transitions: tuple[Transition, ...]
	initial: str = "Draft"

	@property
	def docstatus(self) -> dict[str, int]:
		return dict(self.states)

	@property
	def draft_states(self) -> set[str]:
		return {state for state, docstatus in self.states if docstatus == 0}

	def moves_from(self, source: str | None) -> list[Transition]:
		return [t for t in self.transitions if t.source == (source or self.initial)]

	def can_move(self, old: str | None, new: str) -> bool:
		"""Whether some transition leads from `old` to `new` (staying put is always allowed)."""
		old = old or self.initial
		return old == new or any(t.target == new for t in self.moves_from(old))

	def fits_docstatus(self, state: str | None, docstatus: int) -> bool:
		"""A draft cannot claim a later state (say Approved, through a REST write of its status)."""
		return self.docstatus.get(state or self.initial) == docstatus

	def transitions_for(self, source: str | None, action: str) -> list[Transition]:
		return [t for t in self.moves_from(source) if t.action == action]


# Seed 003 "Price Offers", seed 004 报价单: an offer above the discount threshold needs a Sales
# Manager's approval; below it the author approves it. Approved -> sent to the customer -> accepted
# (a contract order is made), rejected or expired; a sent offer is changed by a revision.
PRICE_OFFER = ApprovalSpec(
	doctype="Price Offer",
	workflow="Price Offer Approval",
	state_field="status",
	states=(
		("Draft", 0),
		("Pending Approval", 0),
		("Approved", 1),
		("Sent", 1),
		("Accepted", 1),
		("Rejected", 1),
		("Expired", 1),
		("Cancelled", 2),
	),
	transitions=(
		Transition(
			"Draft", "Submit for Approval", "Pending Approval", SALES_USER, "doc.needs_manager_approval"
		),
		Transition("Draft", "Approve", "Approved", SALES_USER, "not doc.needs_manager_approval"),
		Transition("Draft", "Approve", "Approved", SALES_MANAGER, "doc.needs_manager_approval"),
		Transition("Pending Approval", "Approve", "Approved", SALES_MANAGER),
		Transition("Pending Approval", "Send Back", "Draft", SALES_MANAGER),
		Transition("Approved", "Send", "Sent", SALES_USER),
		Transition("Sent", "Accept", "Accepted", SALES_USER),
		Transition("Sent", "Reject", "Rejected", SALES_USER),
		Transition("Sent", "Expire", "Expired", SYSTEM_MANAGER),
		Transition("Approved", "Revise", "Cancelled", SALES_USER),
		Transition("Sent", "Revise", "Cancelled", SALES_USER),
		Transition("Rejected", "Cancel", "Cancelled", SALES_USER),
		Transition("Expired", "Cancel", "Cancelled", SALES_USER),
	),
)

# Seed 004 合同订单: a contract order is approved by a Sales Manager; approval makes the receivable.
CONTRACT_ORDER = ApprovalSpec(
	doctype="Contract Order",
	workflow="Contract Order Approval",
	state_field="status",
	states=(
		("Draft", 0),
		("Pending Approval", 0),
		("Rejected", 0),
		("Approved", 1),
		("Cancelled", 2),
	),
	transitions=(
		Transition("Draft", "Submit for Approval", "Pending Approval", SALES_USER),
		Transition("Draft", "Approve", "Approved", SALES_MANAGER),
		Transition("Pending Approval", "Approve", "Approved", SALES_MANAGER),
		Transition("Pending Approval", "Reject", "Rejected", SALES_MANAGER),
		Transition("Rejected", "Submit for Approval", "Pending Approval", SALES_USER),
		Transition("Approved", "Cancel", "Cancelled", SALES_MANAGER),
	),
)

# Seed 004 审批 (general, leave, expense, travel, loan forms): submitted to the route of its form type,
# decided step by step by the approvers the route names; the submitter may withdraw it while it is
# pending, or cancel it once rejected (and amend a copy); an approved request is cancelled by an
# administrator (its Journal Entry with it).
APPROVAL_REQUEST = ApprovalSpec(
	doctype="Approval Request",
	workflow=None,
	state_field="status",
	states=(
		("Draft", 0),
		("Pending", 1),
		("Approved", 1),
		("Rejected", 1),
		("Cancelled", 2),
	),
	transitions=(
		Transition("Draft", "Submit", "Pending", SUBMITTER),
		# a step's approval: the request stays Pending until its last step is approved
		Transition("Pending", "Approve", "Pending", APPROVER, "not doc.completes_route"),
		Transition("Pending", "Approve", "Approved", APPROVER, "doc.completes_route"),
		Transition("Pending", "Reject", "Rejected", APPROVER),
		Transition("Pending", "Withdraw", "Cancelled", SUBMITTER),
		Transition("Rejected", "Cancel", "Cancelled", SUBMITTER),
		Transition("Approved", "Cancel", "Cancelled", KORUS_ADMINISTRATOR),
		Transition("Approved", "Cancel", "Cancelled", SYSTEM_MANAGER),
	),
)

SPECS: dict[str, ApprovalSpec] = {
	spec.doctype: spec for spec in (PRICE_OFFER, CONTRACT_ORDER, APPROVAL_REQUEST)
}
WORKFLOW_SPECS: dict[str, ApprovalSpec] = {d: s for d, s in SPECS.items() if s.workflow}


# --- routes: who approves a request, step by step ---

DIRECT_SUPERVISOR = "Direct Supervisor"
SUPERVISOR_LEVELS_UP = "Supervisor Levels Up"
DEPARTMENT_HEAD = "Department Head"
BRANCH_MANAGER = "Branch Manager"
NAMED_USER = "User"
ROLE = "Role"
APPROVER_KINDS = (DIRECT_SUPERVISOR, SUPERVISOR_LEVELS_UP, DEPARTMENT_HEAD, BRANCH_MANAGER, NAMED_USER, ROLE)
ANY, ALL = "Any", "All"
MAX_APPROVERS_PER_STEP = 100

# the statuses of one approver's row
WAITING, PENDING, APPROVED, REJECTED, SKIPPED = "Waiting", "Pending", "Approved", "Rejected", "Skipped"


@dataclass(frozen=True)
class RouteRow:
	"""One row of a form type's route: `step` groups rows (their approvers together make the step)."""

	step: int
	kind: str
	levels: int = 1
	user: str | None = None
	role: str | None = None
	mode: str = ANY
	min_amount: float = 0.0  # the step applies from this amount (0: any amount)
	max_amount: float = 0.0  # ... and below this one (0: no limit)
	fallback: str | None = None


@dataclass(frozen=True)
class PlannedApprover:
	step: int  # 1, 2, ... in the request (steps that do not apply are left out and renumbered)
	approver: str
	mode: str
	status: str  # Pending for the first step, Waiting for the others


class RouteProblem(ValueError):
	"""A route that cannot be planned: `step` (the form type's step number) resolves to nobody."""

	def __init__(self, step: int, reason: str):
		super().__init__(reason)
		self.step = step
		self.reason = reason


# what can be wrong with a route row (route_errors' codes)
BAD_STEP, BAD_KIND, BAD_LEVELS, NO_USER, NO_ROLE, BAD_MODE, NEGATIVE_AMOUNT, AMOUNTS_REVERSED, MIXED_STEP = (
	"step number",
	"approver kind",
	"levels",
	"user",
	"role",
	"mode",
	"negative amount",
	"amounts reversed",
	"mixed step",
)


def route_errors(rows: list[RouteRow]) -> list[tuple[int, str]]:
	"""What is wrong with a route as configured: (step, code) pairs (empty: nothing)."""
	errors = []
	by_step: dict[int, list[RouteRow]] = {}
	for row in rows:
		by_step.setdefault(row.step, []).append(row)
		checks = (
			(row.step < 1, BAD_STEP),
			(row.kind not in APPROVER_KINDS, BAD_KIND),
			(row.kind == SUPERVISOR_LEVELS_UP and row.levels < 1, BAD_LEVELS),
			(row.kind == NAMED_USER and not row.user, NO_USER),
			(row.kind == ROLE and not row.role, NO_ROLE),
			(row.mode not in (ANY, ALL), BAD_MODE),
			(row.min_amount < 0 or row.max_amount < 0, NEGATIVE_AMOUNT),
			(bool(row.max_amount) and row.max_amount <= row.min_amount, AMOUNTS_REVERSED),
		)
		errors.extend((row.step, code) for failed, code in checks if failed)
	for step, group in sorted(by_step.items()):
		if len({(r.mode, r.min_amount, r.max_amount) for r in group}) > 1:
			errors.append((step, MIXED_STEP))
	return errors


def applies(row: RouteRow, amount: float) -> bool:
	"""Whether a step applies to a request of this amount (thresholds add or skip steps)."""
	if row.min_amount and amount < row.min_amount:
		return False
	if row.max_amount and amount >= row.max_amount:
		return False
	return True


def plan_route(
	rows: list[RouteRow],
	amount: float,
	submitter: str,
	resolve: Callable[[RouteRow], list[str]],
	allow_self_approval: bool = False,
	fallback: str | None = None,
) -> list[PlannedApprover]:
	"""The approvers of a request, step by step: each applying step's rows resolved (`resolve` gives
	a row's users: the submitter's supervisor, a department head, a role's users...), the submitter
	left out unless the form type allows self-approval, the step's (else the form type's) fallback
	when nobody is left. Raises RouteProblem when a step still has nobody, or too many."""
	steps: dict[int, list[RouteRow]] = {}
	for row in sorted(rows, key=lambda r: r.step):
		if applies(row, amount):
			steps.setdefault(row.step, []).append(row)
	planned: list[PlannedApprover] = []
	for number, (configured, group) in enumerate(sorted(steps.items()), start=1):
		approvers: list[str] = []
		for row in group:
			for user in resolve(row):
				if user and user not in approvers and (allow_self_approval or user != submitter):
					approvers.append(user)
		if not approvers:
			for candidate in (*(r.fallback for r in group), fallback):
				if candidate and (allow_self_approval or candidate != submitter):
					approvers = [candidate]
					break
		if not approvers:
			raise RouteProblem(configured, "nobody")
		if len(approvers) > MAX_APPROVERS_PER_STEP:
			raise RouteProblem(configured, "too many")
		mode = group[0].mode
		status = PENDING if number == 1 else WAITING
		planned.extend(PlannedApprover(number, user, mode, status) for user in approvers)
	return planned


@dataclass(frozen=True)
class StepRow:
	step: int
	approver: str
	mode: str
	status: str


@dataclass(frozen=True)
class Decision:
	rows: tuple[StepRow, ...]  # every row, as it is after the decision
	outcome: str  # PENDING (the route goes on), APPROVED or REJECTED
	current_step: int  # the step the request waits at now (0 when decided)
	newly_pending: tuple[str, ...]  # the approvers the request now waits for (to be told)


class NotYourTurn(ValueError):
	"""The user has no pending row in the current step (not an approver, or already decided)."""


def current_step(rows: list[StepRow]) -> int:
	pending = [r.step for r in rows if r.status == PENDING]
	return min(pending) if pending else 0


def awaiting(rows: list[StepRow]) -> list[str]:
	"""The approvers the request waits for now."""
	return [r.approver for r in rows if r.status == PENDING]


def decide(rows: list[StepRow], user: str, approve: bool) -> Decision:
	"""An approver's decision on the current step. Any: the first approval decides the step (the
	others' rows are Skipped); All: the step is decided when every approver of it has approved. A
	rejection decides the request. A decided step opens the next one (its rows become Pending)."""
	step = current_step(rows)
	mine = [i for i, r in enumerate(rows) if r.step == step and r.approver == user and r.status == PENDING]
	if not step or not mine:
		raise NotYourTurn(user)
	updated = list(rows)
	for i in mine:
		updated[i] = StepRow(rows[i].step, user, rows[i].mode, APPROVED if approve else REJECTED)
	if not approve:
		updated = [
			StepRow(r.step, r.approver, r.mode, SKIPPED) if r.status in (PENDING, WAITING) else r
			for r in updated
		]
		return Decision(tuple(updated), REJECTED, 0, ())
	in_step = [r for r in updated if r.step == step]
	done = in_step[0].mode == ANY or all(r.status == APPROVED for r in in_step)
	if not done:
		return Decision(tuple(updated), PENDING, step, ())
	updated = [
		StepRow(r.step, r.approver, r.mode, SKIPPED) if r.step == step and r.status == PENDING else r
		for r in updated
	]
	later = sorted({r.step for r in updated if r.status == WAITING})
	if not later:
		return Decision(tuple(updated), APPROVED, 0, ())
	following = later[0]
	updated = [
		StepRow(r.step, r.approver, r.mode, PENDING) if r.step == following and r.status == WAITING else r
		for r in updated
	]
	return Decision(
		tuple(updated),
		PENDING,
		following,
		tuple(r.approver for r in updated if r.step == following and r.status == PENDING),
	)


def completes_route(rows: list[StepRow], user: str) -> bool:
	"""Whether the user's approval now would approve the request (for the spec's condition)."""
	try:
		return decide(rows, user, approve=True).outcome == APPROVED
	except NotYourTurn:
		return False


# --- leave: the days a request takes ---


def leave_days(
	start: datetime.date,
	end: datetime.date,
	holidays: set[datetime.date],
	starts_at_noon: bool = False,
	ends_at_noon: bool = False,
) -> float:
	"""Working days from `start` to `end` (both included), holidays left out; a half day at either
	end counts 0.5 (when that day is a working day). Raises ValueError when the period is reversed
	or is a single half day starting in the afternoon and ending at noon."""
	if end < start:
		raise ValueError("end before start")
	if start == end and starts_at_noon and ends_at_noon:
		raise ValueError("a single day cannot start in the afternoon and end at noon")
	days = 0.0
	current = start
	while current <= end:
		if current not in holidays:
			weight = 1.0
			if current == start and starts_at_noon:
				weight -= 0.5
			if current == end and ends_at_noon:
				weight -= 0.5
			days += weight
		current += datetime.timedelta(days=1)
	return days
