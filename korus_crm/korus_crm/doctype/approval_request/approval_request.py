# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A request for approval (seed 004 审批): a general, leave, expense, travel or loan form, submitted
to the route of its form type and decided step by step by the approvers the route names
(korus_crm.requests). Its states and who may move it are korus_crm.rules.approvals.APPROVAL_REQUEST;
an approved expense or loan is booked by a Journal Entry (korus_crm.requests.postings)."""

import frappe
from frappe import _
from frappe.utils import flt, getdate, today

from korus_crm import approvals, notify, people
from korus_crm.boundary import CheckedDocument, whitelist
from korus_crm.exceptions import ApprovalRequestError
from korus_crm.requests import decisions, postings, routes
from korus_crm.rules import approvals as rules

ADMIN_ROLES = ("System Manager", "Korus Administrator")

# the fields each kind of form uses (the others are cleared, so a request holds one form's values)
KIND_FIELDS = {
	"General": (),
	"Leave": ("leave_kind", "from_date", "from_half_day", "to_date", "to_half_day", "days"),
	"Travel": ("from_date", "to_date", "destination", "transport", "purpose", "estimated_cost"),
	"Expense": ("travel_request", "expenses"),
	"Loan": ("loan_amount", "repayment_date"),
}
ALL_KIND_FIELDS = sorted({f for fields in KIND_FIELDS.values() for f in fields})
DECIDED_FIELDS = ("steps", "current_step", "decided_on", "journal_entry")


class ApprovalRequest(CheckedDocument):
	DECISIONS = (decisions.APPROVE, decisions.REJECT)

	def onload(self) -> None:
		self.set_onload("actions", approvals.available_actions(self) if not self.is_new() else [])

	# --- the form ---

	def validate(self) -> None:
		self.set_requester()
		form_type = self.form_type_doc()
		self.form_kind = form_type.form_kind
		for fieldname in ALL_KIND_FIELDS:
			if fieldname not in KIND_FIELDS[self.form_kind]:
				self.set(fieldname, empty(self.meta.get_field(fieldname).fieldtype))
		getattr(self, f"check_{self.form_kind.lower()}")()
		if self.docstatus == 0:
			if self.is_new() and self.amended_from:
				self.status = "Draft"  # an amended copy starts over
			self.status = self.status or "Draft"
			for fieldname in DECIDED_FIELDS:
				self.set(fieldname, empty(self.meta.get_field(fieldname).fieldtype))
			approvals.guard(self)

	def set_requester(self) -> None:
		"""The requester is the user who makes the request (an administrator may file one for
		someone); their Employee is the party of a booked expense or loan and their place in the
		organisation decides the route."""
		admin = bool(set(ADMIN_ROLES) & set(frappe.get_roles()))
		if self.is_new():
			if not self.requested_by or not admin:
				self.requested_by = frappe.session.user
		elif self.has_value_changed("requested_by") and not admin:
			frappe.throw(_("The requester of a request cannot be changed."), ApprovalRequestError)
		employee = people.employee_of(self.requested_by)
		self.employee = employee.name if employee else None
		if not self.company:
			self.company = (employee.company if employee else None) or frappe.defaults.get_user_default(
				"Company"
			)
		if not self.company:
			frappe.throw(_("Choose the company of the request."), ApprovalRequestError)
		self.currency = frappe.get_cached_value("Company", self.company, "default_currency")

	def form_type_doc(self):
		if not self.form_type or not frappe.db.exists("Approval Form Type", self.form_type):
			frappe.throw(
				_("Could not find {0}: {1}").format(_("Approval Form Type"), self.form_type or ""),
				frappe.LinkValidationError,
			)
		form_type = frappe.get_cached_doc("Approval Form Type", self.form_type)
		if not form_type.enabled and self.docstatus == 0:
			frappe.throw(
				_("The form type {0} is disabled.").format(frappe.bold(self.form_type)), ApprovalRequestError
			)
		return form_type

	def check_period(self) -> None:
		if self.from_date and self.to_date and getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(
				_("The period ends ({0}) before it starts ({1}).").format(
					frappe.format(self.to_date, "Date"), frappe.format(self.from_date, "Date")
				),
				ApprovalRequestError,
			)

	def check_general(self) -> None:
		self.amount = 0

	def check_leave(self) -> None:
		self.check_period()
		try:
			self.days = rules.leave_days(
				getdate(self.from_date),
				getdate(self.to_date),
				self.holidays(),
				bool(self.from_half_day),
				bool(self.to_half_day),
			)
		except ValueError:
			frappe.throw(_("A one-day leave cannot start at midday and end at midday."), ApprovalRequestError)
		if self.days <= 0:
			frappe.throw(_("The period has no working day: nothing to ask leave for."), ApprovalRequestError)
		self.amount = 0

	def holidays(self) -> set:
		"""The employee's holidays in the period (their Holiday List, else the company's)."""
		holiday_list = (
			frappe.db.get_value("Employee", self.employee, "holiday_list") if self.employee else None
		) or frappe.get_cached_value("Company", self.company, "default_holiday_list")
		if not holiday_list:
			return set()
		return {
			getdate(d)
			for d in frappe.get_all(
				"Holiday",
				filters={
					"parent": holiday_list,
					"parenttype": "Holiday List",
					"holiday_date": ("between", [self.from_date, self.to_date]),
				},
				pluck="holiday_date",
			)
		}

	def check_travel(self) -> None:
		self.check_period()
		if flt(self.estimated_cost) < 0:
			frappe.throw(_("The estimated cost cannot be negative."), ApprovalRequestError)
		self.amount = flt(self.estimated_cost)

	def check_expense(self) -> None:
		if not self.expenses:
			frappe.throw(_("Add the expenses, one line each."), ApprovalRequestError)
		for line in self.expenses:
			if flt(line.amount) <= 0:
				frappe.throw(
					_("Row {0}: an expense's amount must be above zero.").format(line.idx),
					ApprovalRequestError,
				)
			line.currency = self.currency
		self.amount = sum(flt(line.amount) for line in self.expenses)
		if self.travel_request:
			travel = frappe.db.get_value(
				"Approval Request",
				self.travel_request,
				["form_kind", "status", "requested_by"],
				as_dict=True,
			)
			if not travel or (travel.form_kind, travel.status, travel.requested_by) != (
				"Travel",
				"Approved",
				self.requested_by,
			):
				frappe.throw(
					_("{0} is not an approved travel request of {1}.").format(
						frappe.bold(self.travel_request), self.requested_by
					),
					ApprovalRequestError,
				)

	def check_loan(self) -> None:
		if flt(self.loan_amount) <= 0:
			frappe.throw(_("The loan amount must be above zero."), ApprovalRequestError)
		if self.repayment_date and getdate(self.repayment_date) < getdate(today()):
			frappe.throw(_("The repayment date cannot be in the past."), ApprovalRequestError)
		self.amount = flt(self.loan_amount)

	# --- the approval ---

	def before_submit(self) -> None:
		approvals.state_on_submit(self)
		approvals.guard(self)
		form_type = self.form_type_doc()
		if not form_type.enabled:
			frappe.throw(
				_("The form type {0} is disabled.").format(frappe.bold(self.form_type)), ApprovalRequestError
			)
		postings.check_ready(self, form_type)
		self.set(
			"steps",
			[
				{"step": p.step, "approver": p.approver, "mode": p.mode, "status": p.status}
				for p in routes.plan(self, form_type)
			],
		)
		self.current_step = 1

	def on_submit(self) -> None:
		decisions.tell_approvers(self, self.approvers_now())

	def before_update_after_submit(self) -> None:
		if not self.flags.korus_deciding:
			frappe.throw(
				_("A submitted request changes only by its approvers' decisions."), ApprovalRequestError
			)
		approvals.guard(self)

	def before_cancel(self) -> None:
		approvals.state_on_cancel(self)
		approvals.guard(self)

	def on_cancel(self) -> None:
		waiting = self.approvers_now()
		for row in self.steps:
			if row.status in (rules.PENDING, rules.WAITING):
				row.db_set("status", rules.SKIPPED, update_modified=False)
		self.db_set("current_step", 0, update_modified=False)
		postings.cancel(self)
		if waiting:
			who = frappe.utils.escape_html(frappe.utils.get_fullname(self.requested_by))
			title = frappe.utils.escape_html(self.title)
			notify.tell(
				waiting,
				self.doctype,
				self.name,
				lambda lang: _("{0} withdrew the request {1} ({2}).", lang=lang).format(
					who, self.name, title
				),
			)

	# the parties of korus_crm.rules.approvals
	def approvers_now(self) -> list[str]:
		return rules.awaiting(decisions.step_rows(self)) if self.status == "Pending" else []

	def submitter(self) -> str:
		return self.requested_by

	def approval_context(self) -> dict:
		return {"completes_route": rules.completes_route(decisions.step_rows(self), frappe.session.user)}

	def decide(self, action: str, comment: str | None = None):
		return decisions.decide(self.name, action, comment)


def empty(fieldtype: str):
	"""A field's empty value: no rows, zero, or nothing."""
	if fieldtype == "Table":
		return []
	if fieldtype in ("Int", "Float", "Currency", "Check"):
		return 0
	return None


@whitelist(methods=["POST"])
def make_expense_request(travel_request: str, form_type: str | None = None) -> dict:
	"""An approved travel request becomes the source of an expense request (a new draft, unsaved:
	the desk opens it to add the lines)."""
	travel = frappe.get_doc("Approval Request", travel_request)
	travel.check_permission("read")
	if (travel.form_kind, travel.status) != ("Travel", "Approved"):
		frappe.throw(
			_("Only an approved travel request can have its expenses claimed."), ApprovalRequestError
		)
	form_type = form_type or frappe.db.get_value(
		"Approval Form Type", {"form_kind": "Expense", "enabled": 1}, "name", order_by="creation asc"
	)
	if not form_type:
		frappe.throw(_("There is no enabled Expense form type yet."), ApprovalRequestError)
	doc = frappe.new_doc("Approval Request")
	doc.update(
		{
			"form_type": form_type,
			"form_kind": "Expense",
			"title": _("Expenses: {0}").format(travel.title),
			"company": travel.company,
			"travel_request": travel.name,
		}
	)
	return doc.as_dict()


def on_doctype_update() -> None:
	frappe.db.add_index("Approval Request", ["employee", "modified"], "korus_employee_modified")
	frappe.db.add_index("Approval Request", ["status", "modified"], "korus_status_modified")
