# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A kind of service job: its default duration (the end a dropped job gets), the skills a
technician needs for it and the item it is billed with."""

import frappe
from frappe import _

from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import InvalidInputError


class ServiceJobType(CheckedDocument):
	def validate(self):
		if (self.default_duration or 0) <= 0:
			frappe.throw(_("The default duration must be at least one minute."), InvalidInputError)
		seen = set()
		kept = [row for row in self.required_skills if not (row.skill in seen or seen.add(row.skill))]
		if len(kept) != len(self.required_skills):
			self.set("required_skills", kept)
