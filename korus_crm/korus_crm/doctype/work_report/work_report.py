# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A work report (工作报告): its period, author and recipients are set and checked here; who reads
it, telling its recipients and read flags are in korus_crm.office.work_reports."""

import frappe
from frappe import _
from frappe.utils import format_date, get_fullname, getdate, today

from korus_crm import people
from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import WorkReportExistsError, WorkReportPeriodError, WorkReportRecipientsError
from korus_crm.office import work_reports
from korus_crm.rules import work_reports as rules


class WorkReport(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from korus_crm.korus_crm.doctype.work_report_recipient.work_report_recipient import (
			WorkReportRecipient,
		)

		amended_from: DF.Link | None
		author: DF.Link | None
		author_name: DF.Data | None
		done: DF.TextEditor
		employee: DF.Link | None
		kind: DF.Literal["Daily", "Weekly", "Monthly"]
		period_end: DF.Date | None
		period_key: DF.Data | None
		period_start: DF.Date | None
		planned: DF.TextEditor | None
		problems: DF.TextEditor | None
		recipients: DF.Table[WorkReportRecipient]
		report_date: DF.Date
		title: DF.Data | None
	# end: auto-generated types

	def before_insert(self):
		# a report is always its creator's
		self.author = frappe.session.user

	def validate(self):
		before = self.get_doc_before_save()
		if before is not None:
			self.author = before.author
		self.set_author_details()
		if not self.set_period():
			return  # no date: Frappe refuses the save as incomplete
		self.set_recipients()
		self.check_unique()
		label = rules.period_label(self.kind, getdate(self.period_start))
		self.title = f"{self.author_name or self.author} · {label}"
		self.period_key = rules.period_key(self.author, self.kind, getdate(self.period_start))

	def set_author_details(self):
		self.author_name = get_fullname(self.author)
		employee = people.employee_of(self.author)
		self.employee = employee.name if employee else None

	def set_period(self) -> bool:
		"""The period is derived from the kind and the date. A period given by the caller (a changed
		start or end) must be the period of the kind that holds its start."""
		before = self.get_doc_before_save()
		given = {
			field: getdate(self.get(field))
			for field in ("period_start", "period_end")
			if self.get(field) and (before is None or getdate(before.get(field)) != getdate(self.get(field)))
		}
		if given:
			start, end = (
				getdate(self.period_start) if self.period_start else None,
				(getdate(self.period_end) if self.period_end else None),
			)
			self.throw_period_problem(rules.period_problem(self.kind, start, end, getdate(today())))
			if start and (not self.report_date or "period_start" in given):
				self.report_date = start
		if not self.report_date:
			return False
		start, end = rules.period_of(self.kind, getdate(self.report_date))
		self.throw_period_problem(rules.period_problem(self.kind, start, end, getdate(today())))
		self.period_start, self.period_end = start, end
		return True

	def throw_period_problem(self, problem: str | None) -> None:
		if problem == rules.END_BEFORE_START:
			frappe.throw(_("A work report's period cannot end before it starts."), WorkReportPeriodError)
		if problem == rules.NOT_THE_PERIOD:
			frappe.throw(
				_(
					"A daily report covers one day, a weekly report a week from Monday to Sunday, a monthly report a calendar month: the period does not fit a {0} report."
				).format(_(self.kind)),
				WorkReportPeriodError,
			)
		if problem == rules.NOT_STARTED:
			frappe.throw(
				_("A work report cannot be written for a period that has not started yet."),
				WorkReportPeriodError,
			)

	def set_recipients(self):
		"""The author's supervisor (as the organisation has it now) and the chosen colleagues, each
		once, never the author; read flags are the server's."""
		colleagues = [row.user for row in self.recipients if row.via != rules.SUPERVISOR]
		wanted = rules.recipients(self.author, people.supervisor(self.author), colleagues)
		if len(wanted) > rules.MAX_RECIPIENTS:
			frappe.throw(
				_("A work report can be sent to at most {0} people.").format(rules.MAX_RECIPIENTS),
				WorkReportRecipientsError,
			)
		self.check_recipients_may_read([user for user, via in wanted if via == rules.COLLEAGUE])
		self.set("recipients", [])
		for user, via in wanted:
			self.append(
				"recipients",
				{"user": user, "full_name": get_fullname(user), "via": via, "is_read": 0, "read_on": None},
			)

	def check_recipients_may_read(self, users: list[str]) -> None:
		"""A colleague must be an enabled user with a role that reads work reports (an unknown user
		is refused by Frappe's link check)."""
		users = frappe.get_all("User", filters={"name": ["in", users or [""]]}, pluck="name")
		if not users:
			return
		roles = sorted({p.role for p in self.meta.permissions if p.read and not p.permlevel})
		able = set(
			frappe.get_all(
				"Has Role",
				filters={"parenttype": "User", "parent": ["in", users], "role": ["in", roles]},
				pluck="parent",
			)
		)
		enabled = set(frappe.get_all("User", filters={"name": ["in", users], "enabled": 1}, pluck="name"))
		unable = [u for u in users if u not in able or u not in enabled]
		if unable:
			frappe.throw(
				_("{0} cannot receive work reports (not an enabled user with a Korus CRM role).").format(
					", ".join(frappe.bold(frappe.utils.escape_html(u)) for u in unable)
				),
				WorkReportRecipientsError,
			)

	def check_unique(self):
		existing = frappe.db.get_value(
			self.doctype,
			{
				"author": self.author,
				"kind": self.kind,
				"period_start": self.period_start,
				"docstatus": ["<", 2],
				"name": ["!=", self.name or ""],
			},
			"name",
		)
		if existing:
			frappe.throw(
				_("You already have a {0} work report for the period from {1} to {2}: {3}.").format(
					_(self.kind), format_date(self.period_start), format_date(self.period_end), existing
				),
				WorkReportExistsError,
				title=_("Duplicate work report"),
			)

	def before_submit(self):
		if not self.recipients:
			frappe.throw(
				_(
					"Nobody would receive this report: you have no supervisor with a login. Add the colleagues who should receive it."
				),
				WorkReportRecipientsError,
			)

	def on_submit(self):
		work_reports.notify_recipients(self)

	def on_cancel(self):
		# a cancelled report no longer holds its period: it can be amended, or written again
		self.db_set("period_key", None)

	def onload(self):
		user = frappe.session.user
		self.set_onload("unread", work_reports.is_unread_for(self, user))
		if self.docstatus == 0 and self.author == user:
			self.set_onload("supervisor", people.supervisor(user))


def on_doctype_update():
	# one's own and one's subordinates' reports by period
	frappe.db.add_index("Work Report", ["author", "period_start"])
