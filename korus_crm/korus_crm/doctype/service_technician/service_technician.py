# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A field service technician: an ERPNext Employee (named after it) with skills, a branch (whose
dispatch board shows them) and a warehouse (their van or store). The Employee itself is not
changed: ERPNext's and HRMS's doctypes stay as they are."""

import frappe
from frappe import _

from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import TechnicianUnavailableError


class ServiceTechnician(CheckedDocument):
	def validate(self):
		self.check_employee()
		self.drop_repeated_skills()
		if not self.sales_person:
			self.sales_person = frappe.db.get_value(
				"Sales Person", {"employee": self.employee, "enabled": 1}, "name"
			)

	def check_employee(self):
		status = frappe.db.get_value("Employee", self.employee, "status")
		if status and status != "Active" and self.active:
			frappe.throw(
				_("Employee {0} is not active: the technician cannot be active.").format(
					frappe.bold(self.employee_name or self.employee)
				),
				TechnicianUnavailableError,
			)

	def drop_repeated_skills(self):
		seen = set()
		kept = []
		for row in self.skills:
			if row.skill not in seen:
				seen.add(row.skill)
				kept.append(row)
		if len(kept) != len(self.skills):
			self.set("skills", kept)
