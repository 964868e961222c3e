"""Rules of customer groups (seed 002 "Customer Groups"): code, discount, priority, active.

The discount itself is applied by ERPNext's pricing engine through one Pricing Rule per group;
these functions only decide what that rule must look like.
"""

from __future__ import annotations

from dataclasses import dataclass


def normalize_code(code: str | None) -> str | None:
	"""Group codes are compared trimmed and case-insensitively; stored trimmed and upper-case."""
	if code is None:
		return None
	value = code.strip().upper()
	return value or None


def discount_out_of_range(discount: float | None) -> bool:
	return discount is not None and not (0 <= discount <= 100)


@dataclass(frozen=True)
class PricingRulePlan:
	enabled: bool
	discount_percentage: float
	priority: int | None


# ERPNext accepts Pricing Rule priorities 1..20
PRICING_PRIORITY_MIN, PRICING_PRIORITY_MAX = 1, 20


def pricing_rule_plan(discount: float | None, active: bool, priority: int | None) -> PricingRulePlan:
	"""The group's Pricing Rule: enabled only for an active group with a positive discount.
	The group's priority becomes the rule's priority, clamped to ERPNext's 1..20 (none when unset)."""
	pct = float(discount or 0)
	rule_priority = None
	if priority:
		rule_priority = max(PRICING_PRIORITY_MIN, min(PRICING_PRIORITY_MAX, int(priority)))
	return PricingRulePlan(enabled=bool(active and pct > 0), discount_percentage=pct, priority=rule_priority)


def pricing_rule_title(group_name: str) -> str:
	return f"Customer Group Discount: {group_name}"
