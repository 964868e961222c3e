"""Routes: who approves a request, step by step, from its form type's route and the submitter's
place in the organisation (korus_crm.people). The plan is made when the request is submitted and
kept on the request (one row per approver), so that "awaiting me" is an indexed lookup and the
trail shows who decided what."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import cint, flt

from korus_crm import people
from korus_crm.exceptions import ApprovalRouteError
from korus_crm.rules import approvals as rules


def route_rows(form_type) -> list[rules.RouteRow]:
	return [
		rules.RouteRow(
			step=cint(row.step),
			kind=row.approver_kind,
			levels=cint(row.levels),
			user=row.user or None,
			role=row.role or None,
			mode=row.mode or rules.ANY,
			min_amount=flt(row.min_amount),
			max_amount=flt(row.max_amount),
			fallback=row.fallback_approver or None,
		)
		for row in form_type.steps
	]


def resolve(row: rules.RouteRow, submitter: str) -> list[str]:
	"""The enabled users a route row names for this submitter."""
	if row.kind == rules.DIRECT_SUPERVISOR:
		users = [people.supervisor(submitter, 1)]
	elif row.kind == rules.SUPERVISOR_LEVELS_UP:
		users = [people.supervisor(submitter, row.levels)]
	elif row.kind == rules.DEPARTMENT_HEAD:
		users = [people.department_head(submitter)]
	elif row.kind == rules.BRANCH_MANAGER:
		users = [people.branch_manager(submitter)]
	elif row.kind == rules.NAMED_USER:
		users = [row.user]
	else:
		users = role_users(row.role)
	return enabled([u for u in users if u])


def role_users(role: str | None) -> list[str]:
	"""The enabled desk users holding a role (at most one more than a step may have)."""
	if not role:
		return []
	user, has_role = DocType("User"), DocType("Has Role")
	return (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.where(
			(has_role.parenttype == "User")
			& (has_role.role == role)
			& (user.enabled == 1)
			& (user.user_type == "System User")
			& (user.name.notin(["Administrator", "Guest"]))
		)
		.orderby(user.name)
		.limit(rules.MAX_APPROVERS_PER_STEP + 1)
		.run(pluck=True)
	)


def enabled(users: list[str]) -> list[str]:
	if not users:
		return []
	on = set(frappe.get_all("User", filters={"name": ("in", users), "enabled": 1}, pluck="name"))
	return [u for u in users if u in on]


def plan(request, form_type) -> list[rules.PlannedApprover]:
	"""The request's approvers, step by step; a clear refusal naming the step when one resolves to
	nobody (and has no fallback) or to too many."""
	submitter = request.requested_by
	try:
		return rules.plan_route(
			route_rows(form_type),
			flt(request.amount),
			submitter,
			lambda row: resolve(row, submitter),
			allow_self_approval=bool(form_type.allow_self_approval),
			fallback=form_type.fallback_approver or None,
		)
	except rules.RouteProblem as problem:
		if problem.reason == "too many":
			message = _("Step {0} of the form type {1} names more than {2} approvers.").format(
				problem.step, frappe.bold(form_type.name), rules.MAX_APPROVERS_PER_STEP
			)
		else:
			message = _(
				"No one can approve step {0} of the form type {1} for {2}: set the supervisor, department head or branch manager in the organisation, or a fallback approver on the form type."
			).format(problem.step, frappe.bold(form_type.name), submitter)
		frappe.throw(message, ApprovalRouteError, title=_("No Approver"))


def check_route(form_type) -> None:
	"""A form type's route as configured (on save): numbered steps, what each row needs."""
	if not form_type.steps:
		frappe.throw(_("The approval route needs at least one step."), ApprovalRouteError)
	errors = rules.route_errors(route_rows(form_type))
	if errors:
		messages = {
			rules.BAD_STEP: _("step numbers start at 1"),
			rules.BAD_KIND: _("choose what kind of approver the row names"),
			rules.BAD_LEVELS: _("levels up must be 1 or more"),
			rules.NO_USER: _("a User row needs the user"),
			rules.NO_ROLE: _("a Role row needs the role"),
			rules.BAD_MODE: _("Approvers Needed must be Any or All"),
			rules.NEGATIVE_AMOUNT: _("amounts cannot be negative"),
			rules.AMOUNTS_REVERSED: _("Below Amount must be above From Amount"),
			rules.MIXED_STEP: _("the rows of one step must have the same Approvers Needed and amounts"),
		}
		frappe.throw(
			"<br>".join(_("Step {0}: {1}").format(step, messages[code]) for step, code in errors),
			ApprovalRouteError,
			title=_("Invalid Approval Route"),
		)
