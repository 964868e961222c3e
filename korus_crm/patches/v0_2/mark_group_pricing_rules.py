"""Customer groups pointed at their Pricing Rule with a Link field (Customer Group.pricing_rule),
which changed the order in which Frappe's test runner builds ERPNext's own test records. The rule
is marked instead (Pricing Rule.korus_group_discount)."""

import frappe

from korus_crm.setup.custom_fields import make_custom_fields


def execute() -> None:
	if not frappe.db.has_column("Customer Group", "pricing_rule"):
		return
	make_custom_fields()
	for rule in frappe.get_all(
		"Customer Group", filters={"pricing_rule": ("is", "set")}, pluck="pricing_rule"
	):
		if frappe.db.exists("Pricing Rule", rule):
			frappe.db.set_value("Pricing Rule", rule, "korus_group_discount", 1, update_modified=False)
