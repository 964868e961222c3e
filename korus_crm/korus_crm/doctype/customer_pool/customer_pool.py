# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A customer pool: its members, administrators, return rules and claim limits
(korus_crm.customers.pool applies them; korus_crm.rules.pool is their pure logic)."""

import frappe
from frappe import _

from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import PoolSetupError
from korus_crm.rules.pool import ReturnRule, rule_errors


class CustomerPool(CheckedDocument):
	def validate(self) -> None:
		self.check_members()
		self.check_rules()
		self.check_limits()

	def on_update(self) -> None:
		from korus_crm.customers.pool import forget_pools, rules_changed

		forget_pools()
		if self.has_value_changed("rules") or self.has_value_changed("auto_return"):
			rules_changed(self.name)

	def on_trash(self) -> None:
		from korus_crm.customers.pool import forget_pools

		if frappe.db.exists("Customer", {"korus_pool": self.name}):
			frappe.throw(
				_("Customer pool {0} still has customers: move them to another pool first.").format(
					self.name
				),
				PoolSetupError,
			)
		forget_pools()

	def check_members(self) -> None:
		needed = {"Department": "department", "Branch": "branch", "User": "user"}
		for row in self.members:
			if not row.get(needed.get(row.member_type, "")):
				frappe.throw(
					_("Members row {0}: choose the {1}.").format(row.idx, _(row.member_type)), PoolSetupError
				)

	def check_rules(self) -> None:
		rules = [ReturnRule(r.basis, int(r.days or 0), r.customer_level or None) for r in self.rules]
		messages = {
			"basis": _("Return Rules row {0}: unknown basis."),
			"days": _("Return Rules row {0}: the number of days must be at least 1."),
			"twice": _("Return Rules row {0}: this basis already has a rule for the same customer level."),
		}
		for number, problem in rule_errors(rules):
			frappe.throw(messages[problem].format(number), PoolSetupError)

	def check_limits(self) -> None:
		needed = {"Role": "role", "Department": "department"}
		for row in self.limits:
			if not row.get(needed.get(row.applies_to, "")):
				frappe.throw(
					_("Limits row {0}: choose the {1}.").format(row.idx, _(row.applies_to)), PoolSetupError
				)
