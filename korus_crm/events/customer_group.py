"""doc_events of ERPNext's Customer Group: code, discount, priority, active flag, number of
customers, and one Pricing Rule per group that ERPNext's pricing engine applies."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import flt
from frappe.utils.nestedset import get_root_of

from korus_crm.exceptions import CustomerGroupInUseError, DuplicateCodeError
from korus_crm.rules import customer_groups as rules


def validate(doc, method=None) -> None:
	validate_code(doc)
	validate_discount(doc)


def on_update(doc, method=None) -> None:
	sync_pricing_rule(doc)


def on_trash(doc, method=None) -> None:
	refuse_deleting_group_in_use(doc)
	delete_pricing_rule(doc)


def validate_code(doc) -> None:
	doc.group_code = rules.normalize_code(doc.group_code)
	if not doc.group_code:
		return
	existing = frappe.db.get_value(
		"Customer Group", {"group_code": doc.group_code, "name": ("!=", doc.name or "")}, "name"
	)
	if existing:
		frappe.throw(
			_("The group code {0} is already used by customer group {1}.").format(
				frappe.bold(doc.group_code), frappe.bold(existing)
			),
			DuplicateCodeError,
		)


def validate_discount(doc) -> None:
	if rules.discount_out_of_range(flt(doc.discount_percentage)):
		frappe.throw(_("Discount must be between 0 and 100 percent."), frappe.ValidationError)


def refuse_deleting_group_in_use(doc) -> None:
	count = frappe.db.count("Customer", {"customer_group": doc.name})
	if count:
		frappe.throw(
			_(
				"Customer group {0} has {1} customer(s) and cannot be deleted. Move them to another group first."
			).format(frappe.bold(doc.name), count),
			CustomerGroupInUseError,
			title=_("Customer group in use"),
		)


PRICING_RULE_MARK = "korus_group_discount"  # a Check on Pricing Rule: "maintained by Korus"


def group_pricing_rule(group: str) -> str | None:
	"""The Pricing Rule Korus maintains for `group` (marked, and applicable to that group)."""
	return frappe.db.get_value(
		"Pricing Rule", {PRICING_RULE_MARK: 1, "applicable_for": "Customer Group", "customer_group": group}
	)


def sync_pricing_rule(doc) -> None:
	"""One Pricing Rule per group: a selling discount on every item for customers of the group,
	enabled while the group is active and has a discount. ERPNext's pricing engine applies it."""
	plan = rules.pricing_rule_plan(flt(doc.discount_percentage), bool(doc.is_active), doc.priority)
	name = group_pricing_rule(doc.name)
	if not name and not plan.enabled:
		return
	rule = frappe.get_doc("Pricing Rule", name) if name else frappe.new_doc("Pricing Rule")
	rule.update(
		{
			"title": rules.pricing_rule_title(doc.name),
			"apply_on": "Item Group",
			"price_or_product_discount": "Price",
			"selling": 1,
			"buying": 0,
			"applicable_for": "Customer Group",
			"customer_group": doc.name,
			"rate_or_discount": "Discount Percentage",
			"discount_percentage": plan.discount_percentage,
			"currency": rule.currency or default_currency(),
			"has_priority": 1 if plan.priority else 0,
			"priority": str(plan.priority) if plan.priority else None,
			"disable": 0 if plan.enabled else 1,
			PRICING_RULE_MARK: 1,
		}
	)
	if not rule.item_groups:
		rule.append("item_groups", {"item_group": get_root_of("Item Group")})
	rule.flags.ignore_permissions = True
	rule.save()


def delete_pricing_rule(doc) -> None:
	if name := group_pricing_rule(doc.name):
		frappe.delete_doc("Pricing Rule", name, ignore_permissions=True, force=True)


def onload(doc, method=None) -> None:
	"""The group's form links to the Pricing Rule that applies its discount."""
	doc.set_onload("korus_pricing_rule", group_pricing_rule(doc.name))


def default_currency() -> str:
	company = frappe.defaults.get_global_default("company")
	return (
		(company and frappe.get_cached_value("Company", company, "default_currency"))
		or frappe.defaults.get_global_default("currency")
		or "USD"
	)


def refresh_customer_counts(groups: list[str | None]) -> None:
	"""Store each group's number of customers (shown in the list) from one grouped, indexed count."""
	groups = [g for g in set(groups) if g]
	if not groups:
		return
	customer = DocType("Customer")
	counts = dict(
		frappe.qb.from_(customer)
		.select(customer.customer_group, Count("*"))
		.where(customer.customer_group.isin(groups))
		.groupby(customer.customer_group)
		.run()
	)
	for group in groups:
		frappe.db.set_value(
			"Customer Group", group, "customer_count", counts.get(group, 0), update_modified=False
		)
