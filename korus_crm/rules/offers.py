"""Rules of price offers (seed 003 "Price Offers"; seed 004 报价单): approval threshold, expiry,
revision differences. Their lifecycle is specified in korus_crm.rules.approvals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date


def manual_discount(
	price_list_rate: float | None, requested_rate: float | None, requested_discount: float | None
) -> float:
	"""The discount a salesperson asked for on one line, in percent of the price list rate: an
	explicit discount, or an agreed rate below the list price. Pricing rules (standing policy, like
	a customer group's discount) are not counted."""
	discount = requested_discount or 0.0
	if requested_rate is not None and requested_rate > 0 and price_list_rate:
		discount = max(discount, (1 - requested_rate / price_list_rate) * 100)
	return round(max(0.0, discount), 4)


def needs_manager_approval(line_discounts: Iterable[float], threshold: float) -> bool:
	"""An offer whose largest manual discount is above the threshold needs a Sales Manager; below it
	the author approves it (a threshold of 0: any manual discount needs one)."""
	return max(line_discounts, default=0.0) > threshold


def is_expired(valid_till: date | None, today: date) -> bool:
	return valid_till is not None and valid_till < today


@dataclass(frozen=True)
class Change:
	what: str  # "item added", "item removed", "quantity", "rate", "field"
	subject: str
	old: object = None
	new: object = None


def diff_revisions(
	old_lines: Sequence[dict], new_lines: Sequence[dict], old_fields: dict, new_fields: dict
) -> list[Change]:
	"""What changed between two revisions of an offer: lines matched by item (quantity and rate
	changes, added and removed items), and the offer's own fields."""
	changes: list[Change] = []
	old_by_item = {line["item_code"]: line for line in old_lines}
	new_by_item = {line["item_code"]: line for line in new_lines}
	for item, line in new_by_item.items():
		before = old_by_item.get(item)
		if before is None:
			changes.append(Change("item added", item, None, line.get("qty")))
			continue
		if float(before.get("qty") or 0) != float(line.get("qty") or 0):
			changes.append(Change("quantity", item, before.get("qty"), line.get("qty")))
		if round(float(before.get("rate") or 0), 6) != round(float(line.get("rate") or 0), 6):
			changes.append(Change("rate", item, before.get("rate"), line.get("rate")))
	for item, line in old_by_item.items():
		if item not in new_by_item:
			changes.append(Change("item removed", item, line.get("qty"), None))
	for field in sorted(set(old_fields) | set(new_fields)):
		if old_fields.get(field) != new_fields.get(field):
			changes.append(Change("field", field, old_fields.get(field), new_fields.get(field)))
	return changes
