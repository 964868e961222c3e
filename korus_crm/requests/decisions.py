"""An approver's decision on a request's step, made once: under the request's row lock, against
the request as last committed. Two approvers acting at once are served one after the other; the
second finds the step decided (Any) and is refused with who decided it, or adds their approval
(All). The approval that ends the route books the expense or loan (korus_crm.requests.postings)
in the same transaction, so a retried approval books nothing twice."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

from korus_crm import notify
from korus_crm.exceptions import ApprovalConflictError
from korus_crm.requests import postings
from korus_crm.rules import approvals as rules

DOCTYPE = "Approval Request"
APPROVE, REJECT = "Approve", "Reject"


def step_rows(request) -> list[rules.StepRow]:
	return [rules.StepRow(int(r.step), r.approver, r.mode, r.status) for r in request.steps]


def lock(name: str) -> dict:
	"""The request's row, locked until the transaction ends, as last committed."""
	row = frappe.db.sql(
		"select `status`, `modified` from `tabApproval Request` where `name` = %s for update",
		name,
		as_dict=True,
	)
	if not row:
		raise frappe.DoesNotExistError(_("{0} {1} not found").format(_(DOCTYPE), name))
	return row[0]


def load_locked(name: str):
	"""The request, locked and current. The request's transaction may have read the row before
	another approver's decision was committed (its snapshot is older than the lock); then it is
	read again in a fresh transaction (nothing has been written in this one yet)."""
	for _attempt in range(3):
		locked = lock(name)
		request = frappe.get_doc(DOCTYPE, name)
		if str(request.modified) == str(locked.modified):
			return request
		frappe.db.rollback()
	frappe.throw(_("The request keeps changing: reload it and try again."), ApprovalConflictError)


def decide(name: str, action: str, comment: str | None = None):
	"""The current user's Approve or Reject on the request's current step."""
	user = frappe.session.user
	request = load_locked(name)
	request.check_permission("read")
	if request.status != "Pending":
		frappe.throw(
			_("{0} is {1} already: there is nothing left to decide.").format(
				request.name, frappe.bold(_(request.status))
			),
			ApprovalConflictError,
		)
	try:
		decision = rules.decide(step_rows(request), user, approve=action == APPROVE)
	except rules.NotYourTurn:
		refuse(request, user)
	now = now_datetime()
	for row, after in zip(request.steps, decision.rows, strict=True):
		if row.status != after.status:
			if row.approver == user and after.status in (rules.APPROVED, rules.REJECTED):
				row.acted_on = now
				row.comment = comment
			row.status = after.status
	request.current_step = decision.current_step
	form_type = frappe.get_cached_doc("Approval Form Type", request.form_type)
	if decision.outcome == rules.APPROVED:
		request.status = "Approved"
		request.decided_on = now
		request.journal_entry = postings.book(request, form_type)
	elif decision.outcome == rules.REJECTED:
		request.status = "Rejected"
		request.decided_on = now
	request.flags.ignore_permissions = True  # the decision is checked above: the user's pending row
	request.flags.korus_deciding = True
	request.save()
	tell_about(request, decision, comment)
	return request


def refuse(request, user: str) -> None:
	"""Why the user cannot decide now: someone decided their step already, or they are not (yet)
	an approver of it."""
	mine = [r for r in request.steps if r.approver == user]
	decided = [r for r in request.steps if r.status in (rules.APPROVED, rules.REJECTED) and r.acted_on]
	if any(r.status in (rules.APPROVED, rules.REJECTED) for r in mine):
		message = _("You have decided this step already.")
	elif any(r.status == rules.SKIPPED for r in mine) and decided:
		last = max(decided, key=lambda r: r.acted_on)
		message = _("{0} decided this step a moment ago ({1}).").format(
			frappe.bold(frappe.utils.get_fullname(last.approver)), _(last.status)
		)
	elif any(r.status == rules.WAITING for r in mine):
		message = _("This request has not reached your step yet.")
	else:
		message = _("You are not an approver of this request.")
	frappe.throw(message, ApprovalConflictError if mine else frappe.PermissionError)


def tell_about(request, decision: rules.Decision, comment: str | None) -> None:
	"""The next approvers are told a request waits for them; the submitter is told the outcome."""
	if decision.newly_pending:
		tell_approvers(request, list(decision.newly_pending))
	if decision.outcome in (rules.APPROVED, rules.REJECTED):
		approved = decision.outcome == rules.APPROVED

		def subject(lang: str) -> str:
			text = (
				_("Your request {0} ({1}) was approved.", lang=lang)
				if approved
				else _("Your request {0} ({1}) was rejected.", lang=lang)
			)
			return text.format(request.name, frappe.utils.escape_html(request.title))

		notify.tell(
			request.requested_by, DOCTYPE, request.name, subject, frappe.utils.escape_html(comment or "")
		)


def tell_approvers(request, approvers: list[str]) -> None:
	who = frappe.utils.escape_html(frappe.utils.get_fullname(request.requested_by))
	title = frappe.utils.escape_html(request.title)
	notify.tell(
		approvers,
		DOCTYPE,
		request.name,
		lambda lang: _("{0} asks for your approval: {1} ({2}).", lang=lang).format(
			who, title, _(request.form_type, lang=lang)
		),
	)
