"""Approvable documents, specified once: their states (and the docstatus of each), the transitions
between them (action, who may take it, on which condition). The controller guard, the API and the
desk buttons follow the specification (korus_crm.approvals); the shipped Workflow of each document
is checked against it by a test.

A condition is a Workflow condition: a Python expression on `doc`, evaluated by Frappe's safe_eval
(the Workflow and the guard evaluate the same text).
"""

from __future__ import annotations

from dataclasses import dataclass

SALES_USER = "Sales User"
SALES_MANAGER = "Sales Manager"
SYSTEM_MANAGER = "System Manager"


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
	workflow: str  # the name of the shipped Workflow that drives it in the desk
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

SPECS: dict[str, ApprovalSpec] = {spec.doctype: spec for spec in (PRICE_OFFER, CONTRACT_ORDER)}
