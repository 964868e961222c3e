# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _

from korus_crm.boards import counts
from korus_crm.boards.lead_status_config import clear_config_cache
from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import DefaultStatusError, StatusInUseError
from korus_crm.rules import lead_status as rules


class LeadStatus(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		color: DF.Color | None
		description: DF.SmallText | None
		display_order: DF.Int
		erpnext_status: DF.Literal[
			"",
			"Lead",
			"Open",
			"Replied",
			"Opportunity",
			"Quotation",
			"Lost Quotation",
			"Interested",
			"Converted",
			"Do Not Contact",
		]
		is_default: DF.Check
		is_final: DF.Check
		status_name: DF.Data
	# end: auto-generated types

	def before_insert(self) -> None:
		self.set_display_order_if_missing()

	def validate(self) -> None:
		self.validate_display_order()
		self.apply_default_rule()
		self.validate_default_not_final()

	def on_update(self) -> None:
		self.clear_other_defaults()
		clear_config_cache()

	def after_rename(self, old: str, new: str, merge: bool = False) -> None:
		# Frappe renamed the status on every lead (Lead.lead_status links here): the counts follow
		clear_config_cache()
		counts.forget_column(counts.LEADS, old)
		counts.recount(counts.LEADS)

	def on_trash(self) -> None:
		self.ensure_not_default()
		self.ensure_not_in_use()

	def after_delete(self) -> None:
		clear_config_cache()
		counts.forget_column(counts.LEADS, self.name)

	def set_display_order_if_missing(self) -> None:
		if not self.display_order:
			existing = frappe.get_all("Lead Status", pluck="display_order")
			self.display_order = rules.next_display_order(existing)

	def validate_display_order(self) -> None:
		if rules.invalid_display_order(self.display_order):
			frappe.throw(_("Display Order cannot be negative."), frappe.ValidationError)

	def apply_default_rule(self) -> None:
		current_defaults = frappe.get_all("Lead Status", filters={"is_default": 1}, pluck="name")
		try:
			plan = rules.plan_default(self.name, bool(self.is_default), current_defaults)
		except rules.NoDefaultLeft:
			frappe.throw(
				_("{0} is the default lead status. Make another status the default instead.").format(
					frappe.bold(self.name)
				),
				DefaultStatusError,
				title=_("A default status is required"),
			)
		self.is_default = int(plan.is_default)
		self._clear_default_on = plan.clear_default_on

	def validate_default_not_final(self) -> None:
		if rules.default_is_final(self.is_default, self.is_final):
			frappe.throw(
				_("The default lead status cannot be final: new leads start in it."), DefaultStatusError
			)

	def clear_other_defaults(self) -> None:
		for name in getattr(self, "_clear_default_on", ()):
			frappe.db.set_value("Lead Status", name, "is_default", 0)

	def ensure_not_default(self) -> None:
		if not rules.can_delete(self.is_default):
			frappe.throw(
				_(
					"{0} is the default lead status and cannot be deleted. Make another status the default first."
				).format(frappe.bold(self.name)),
				StatusInUseError,
			)

	def ensure_not_in_use(self) -> None:
		if count := frappe.db.count("Lead", {"lead_status": self.name}):
			frappe.throw(
				_(
					"{0} is the status of {1} lead(s) and cannot be deleted. Move them to another status first."
				).format(frappe.bold(self.name), count),
				StatusInUseError,
			)
