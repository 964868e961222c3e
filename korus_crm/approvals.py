"""The approval engine: each approvable document's specification (korus_crm.rules.approvals) drives
its controller guard, the API's moves and the desk's buttons.

- `guard(doc)`: called by the controller whenever the document is saved, submitted, updated after
  submit or cancelled: the state fits the docstatus, is reachable from the previous state, and
  (unless the system makes the move) the user holds the role of a transition that leads there and
  its condition holds. It holds whether or not the shipped Workflow is active.
- `take_action(doc, action)`: the API's move: through the Workflow when it is active (so that its
  actions, comments and notifications happen), else directly; the guard runs either way.
- `available_actions(doc)`: the moves the user may make now (the desk's buttons when the Workflow
  is off).

Who may move a document is a role, or a party of the document (korus_crm.rules.approvals): the
approvers its route waits for now (`doc.approvers_now()`) or its submitter (`doc.submitter()`).
A routed document's step decisions are made by korus_crm.requests.decisions, which records each
approver's decision and moves the document when its route is done.
"""

from __future__ import annotations

from typing import Literal

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow, get_workflow_name, get_workflow_safe_globals

from korus_crm.boundary import whitelist
from korus_crm.exceptions import OfferApprovalError, OfferStateError
from korus_crm.rules.approvals import APPROVER, SPECS, SUBMITTER, ApprovalSpec, Transition


def spec_of(doc) -> ApprovalSpec:
	return SPECS[doc.doctype]


def guard(doc) -> None:
	spec = spec_of(doc)
	state = doc.get(spec.state_field) or spec.initial
	if not spec.fits_docstatus(state, int(doc.docstatus)):
		frappe.throw(
			_("A {0} in this state cannot be {1}: it gets there through its approval.").format(
				_(doc.doctype), frappe.bold(_(state))
			)
			if doc.docstatus == 0
			else _("A {0} cannot be {1} now.").format(_(doc.doctype), frappe.bold(_(state))),
			OfferStateError,
		)
	before = doc.get_doc_before_save()
	old = (before.get(spec.state_field) if before else None) or spec.initial
	if old == state:
		return
	moves = [t for t in spec.moves_from(old) if t.target == state]
	if not moves:
		frappe.throw(
			_("A {0} cannot go from {1} to {2}.").format(
				_(doc.doctype), frappe.bold(_(old)), frappe.bold(_(state))
			),
			OfferStateError,
		)
	if doc.flags.ignore_permissions:
		return  # the system moves it (the daily expiry, an accepted offer's follow-up)
	if not any(allowed(doc, t) for t in moves):
		refuse(doc, moves)


def allowed(doc, transition: Transition) -> bool:
	return holds_part(doc, transition.role) and condition_holds(doc, transition)


def holds_part(doc, who: str, user: str | None = None) -> bool:
	"""Whether the user is who a transition names: an approver the document waits for, its
	submitter, or a holder of the role."""
	user = user or frappe.session.user
	if who == APPROVER:
		return user in doc.approvers_now()
	if who == SUBMITTER:
		return user == doc.submitter()
	return who in frappe.get_roles(user)


def condition_holds(doc, transition: Transition) -> bool:
	"""The transition's condition, evaluated as Frappe's Workflow evaluates it (on the document's
	values, and what its `approval_context()` adds, such as whether an approval ends its route)."""
	if not transition.condition:
		return True
	values = doc.as_dict()
	if hasattr(doc, "approval_context"):
		values.update(doc.approval_context())
	return bool(frappe.safe_eval(transition.condition, get_workflow_safe_globals(), {"doc": values}))


def refuse(doc, moves: list[Transition]) -> None:
	roles = sorted({t.role for t in moves if condition_holds(doc, t)} or {t.role for t in moves})
	note = doc.run_method("approval_note") if hasattr(doc, "approval_note") else None
	if not note and APPROVER in roles:
		note = _("Only an approver of the current step can do this: {0}.").format(
			", ".join(doc.approvers_now()) or _("nobody")
		)
	elif not note and SUBMITTER in roles:
		note = _("Only the person who made this request ({0}) can do this.").format(doc.submitter())
	frappe.throw(
		note
		or _("{0} of this {1} needs the role {2}.").format(
			_(moves[0].action), _(doc.doctype), " / ".join(_(r) for r in roles)
		),
		OfferApprovalError,
	)


def take_action(doc, action: str, comment: str | None = None):
	"""Make `action` on `doc` as the current user; returns the document as it is afterwards."""
	spec = spec_of(doc)
	if spec.workflow and get_workflow_name(doc.doctype) == spec.workflow:
		return apply_workflow(doc, action)
	if hasattr(doc, "decide") and action in doc.DECISIONS:
		return doc.decide(action, comment)
	state = doc.get(spec.state_field) or spec.initial
	candidates = spec.transitions_for(state, action)
	if not candidates:
		frappe.throw(
			_("{0} is not possible on a {1} that is {2}.").format(
				frappe.bold(_(action)), _(doc.doctype), frappe.bold(_(state))
			),
			OfferStateError,
		)
	transition = next((t for t in candidates if allowed(doc, t)), None) or candidates[0]
	doc.set(spec.state_field, transition.target)
	docstatus = spec.docstatus[transition.target]
	if doc.docstatus == 0 and docstatus == 1:
		doc.submit()
	elif doc.docstatus == 1 and docstatus == 2:
		doc.cancel()
	else:
		doc.save()
	return doc


def available_actions(doc) -> list[str]:
	spec = spec_of(doc)
	state = doc.get(spec.state_field) or spec.initial
	actions = []
	for t in spec.moves_from(state):
		if t.action not in actions and allowed(doc, t):
			actions.append(t.action)
	return actions


def state_on_submit(doc) -> None:
	"""before_submit without the Workflow (a plain Submit): the move is the approval."""
	spec = spec_of(doc)
	state = doc.get(spec.state_field) or spec.initial
	if spec.docstatus.get(state) == 0:
		submitting = [t for t in spec.moves_from(state) if spec.docstatus[t.target] == 1]
		# an approval where the document has one (an offer's author approves it), else its submission
		submitting.sort(key=lambda t: (t.action != "Approve", t.action != "Submit"))
		target = next((t.target for t in submitting if t.action in ("Approve", "Submit")), None)
		if target:
			doc.set(spec.state_field, target)


def state_on_cancel(doc) -> None:
	"""before_cancel without the Workflow (a plain Cancel): the state its cancelling move leads to."""
	spec = spec_of(doc)
	state = doc.get(spec.state_field) or spec.initial
	if spec.docstatus.get(state) == 2:
		return
	target = next((t.target for t in spec.moves_from(state) if spec.docstatus[t.target] == 2), None)
	if not target:
		frappe.throw(
			_("A {0} that is {1} cannot be cancelled.").format(_(doc.doctype), frappe.bold(_(state))),
			OfferStateError,
		)
	doc.set(spec.state_field, target)


@whitelist(methods=["POST"])
def apply_action(
	doctype: Literal[tuple(SPECS)],  # type: ignore[valid-type]
	name: str,
	action: str,
	comment: str | None = None,
) -> dict:
	"""The desk's buttons (when the Workflow is off) and scripts: one move of an approvable document
	(with the approver's comment, for a routed document's decision)."""
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("read")
	doc = take_action(doc, action, comment)
	return {"name": doc.name, "status": doc.get(spec_of(doc).state_field), "docstatus": int(doc.docstatus)}
