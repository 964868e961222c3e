# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A sales target (seed 004 回款计划): monthly amounts of one metric for an employee, a department or
the company over a fiscal year; quarters and the year derived (korus_crm.rules.targets). One target
per (fiscal year, whom, metric): checked here and held by a unique index. An employee's Order Value
(else Invoiced Value) target is mirrored into their Sales Person's targets
(korus_crm.analytics.targets.mirror_to_sales_person)."""

import frappe
from frappe import _
from frappe.utils import getdate

from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import SalesTargetError
from korus_crm.rules import targets as rules


class KorusSalesTarget(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link
		currency: DF.Link | None
		department: DF.Link | None
		employee: DF.Link | None
		employee_name: DF.Data | None
		fiscal_year: DF.Link
		m01: DF.Currency
		m02: DF.Currency
		m03: DF.Currency
		m04: DF.Currency
		m05: DF.Currency
		m06: DF.Currency
		m07: DF.Currency
		m08: DF.Currency
		m09: DF.Currency
		m10: DF.Currency
		m11: DF.Currency
		m12: DF.Currency
		metric: DF.Literal["Order Value", "Invoiced Value", "Collected Value", "New Customers"]
		q1: DF.Currency
		q2: DF.Currency
		q3: DF.Currency
		q4: DF.Currency
		target_for: DF.Literal["Employee", "Department", "Company"]
		target_key: DF.Data | None
		title: DF.Data | None
		year_total: DF.Currency
	# end: auto-generated types

	def validate(self) -> None:
		self.set_whom()
		self.set_totals()
		self.validate_unique()
		self.title = f"{self.fiscal_year} · {self.target_name()} · {_(self.metric)}"

	def on_update(self) -> None:
		self.mirror()

	def on_trash(self) -> None:
		self.mirror(deleting=True)

	def set_whom(self) -> None:
		"""Only the field of whom the target is for is kept; the company follows the employee or the
		department."""
		if self.target_for == rules.EMPLOYEE:
			if not self.employee:
				frappe.throw(_("Choose the employee the target is for."), SalesTargetError)
			self.department = None
			self.company = frappe.db.get_value("Employee", self.employee, "company") or self.company
			self.target_key = self.employee
		elif self.target_for == rules.DEPARTMENT:
			if not self.department:
				frappe.throw(_("Choose the department the target is for."), SalesTargetError)
			self.employee = self.employee_name = None
			self.company = frappe.db.get_value("Department", self.department, "company") or self.company
			self.target_key = self.department
		else:
			self.employee = self.employee_name = self.department = None
			self.target_key = self.company
		if not self.company:
			frappe.throw(_("Choose the company of the target."), SalesTargetError)
		self.currency = frappe.get_cached_value("Company", self.company, "default_currency")

	def set_totals(self) -> None:
		self.update(rules.derived({f: self.get(f) for f in rules.MONTH_FIELDS}, self.year_start()))

	def year_start(self):
		return getdate(frappe.get_cached_value("Fiscal Year", self.fiscal_year, "year_start_date"))

	def validate_unique(self) -> None:
		other = frappe.db.get_value(
			"Korus Sales Target",
			{
				"fiscal_year": self.fiscal_year,
				"target_for": self.target_for,
				"target_key": self.target_key,
				"metric": self.metric,
				"name": ("!=", self.name),
			},
		)
		if other:
			frappe.throw(
				_("{0} already has a {1} target for {2}: {3}.").format(
					frappe.bold(self.target_name()),
					_(self.metric),
					self.fiscal_year,
					frappe.utils.get_link_to_form("Korus Sales Target", other),
				),
				SalesTargetError,
			)

	def target_name(self) -> str:
		if self.target_for == rules.EMPLOYEE:
			return self.employee_name or self.employee
		return self.department if self.target_for == rules.DEPARTMENT else self.company

	def mirror(self, deleting: bool = False) -> None:
		if self.target_for == rules.EMPLOYEE and self.metric in rules.MIRRORED:
			from korus_crm.analytics.targets import mirror_to_sales_person

			mirror_to_sales_person(self.employee, self.fiscal_year, excluding=self.name if deleting else None)
			before = self.get_doc_before_save()
			if before and before.employee and before.employee != self.employee:
				mirror_to_sales_person(before.employee, before.fiscal_year)


def on_doctype_update():
	"""One target per fiscal year, whom and metric, even under concurrent saves."""
	frappe.db.add_unique(
		"Korus Sales Target", ["fiscal_year", "target_for", "target_key", "metric"], "korus_unique_target"
	)
