"""The approval specifications, and the shipped Workflows checked against them: one source of each
approvable document's states, transitions and approvers."""

import json
from pathlib import Path

import pytest

from korus_crm.rules.approvals import PARTIES, SPECS, WORKFLOW_SPECS

FIXTURE = Path(__file__).resolve().parents[2] / "korus_crm" / "fixtures" / "workflow.json"


def shipped_workflows() -> dict[str, dict]:
	return {w["document_type"]: w for w in json.loads(FIXTURE.read_text())}


@pytest.mark.parametrize("doctype", sorted(WORKFLOW_SPECS))
def test_the_shipped_workflow_is_the_specification(doctype):
	spec, workflow = SPECS[doctype], shipped_workflows()[doctype]
	assert workflow["name"] == spec.workflow
	assert workflow["workflow_state_field"] == spec.state_field
	assert [(s["state"], int(s["doc_status"])) for s in workflow["states"]] == list(spec.states)
	shipped = {
		(t["state"], t["action"], t["next_state"], t["allowed"], t.get("condition") or None)
		for t in workflow["transitions"]
	}
	specified = {(t.source, t.action, t.target, t.role, t.condition) for t in spec.transitions}
	assert shipped == specified


def test_every_role_approved_doctype_ships_a_workflow_and_routed_ones_do_not():
	"""A Workflow allows a transition to a role; a routed document's approvers are named per request
	(its parties), which a Workflow cannot express."""
	assert set(shipped_workflows()) == set(WORKFLOW_SPECS)
	for doctype, spec in SPECS.items():
		routed = any(t.role in PARTIES for t in spec.transitions)
		assert routed == (doctype not in WORKFLOW_SPECS), doctype


@pytest.mark.parametrize("doctype", sorted(SPECS))
def test_every_state_is_reachable_and_every_transition_is_between_known_states(doctype):
	spec = SPECS[doctype]
	states = {s for s, _ in spec.states}
	reached = {spec.initial}
	for t in spec.transitions:
		assert {t.source, t.target} <= states
		reached.add(t.target)
	assert reached == states


@pytest.mark.parametrize("doctype", sorted(SPECS))
def test_submitted_states_are_left_only_by_submitted_or_cancelled_ones(doctype):
	spec = SPECS[doctype]
	for t in spec.transitions:
		assert spec.docstatus[t.target] >= spec.docstatus[t.source], t
