"""Costs, revenues and commission (issue 14; docs/finance.md): the pure rules.

Which side of the Journal Entry each account takes, which accounts a category and a payment may use,
and which commission a sales person has earned on an invoice. ERPNext does the bookkeeping and the
arithmetic of commission (the Sales Team's allocated amount and incentives); these rules only choose.
"""

from __future__ import annotations

COST, REVENUE = "Cost", "Revenue"
KINDS: tuple[str, ...] = (COST, REVENUE)
# the root type of a category's account, per kind
ROOT_TYPES: dict[str, str] = {COST: "Expense", REVENUE: "Income"}
# the account money is paid from or into
PAYMENT_ACCOUNT_TYPES: tuple[str, ...] = ("Cash", "Bank")

INVOICED, PAID = "Invoiced", "Paid"
COMMISSION_BASES: tuple[str, ...] = (INVOICED, PAID)


def journal_sides(kind: str, category_account: str, paid_through: str, amount: float) -> list[dict]:
	"""The Journal Entry's two lines: a cost debits the category's (expense) account and credits the
	bank or cash account; a revenue debits the bank or cash account and credits the category's
	(income) account."""
	if kind not in KINDS:
		raise ValueError(kind)
	debit, credit = (category_account, paid_through) if kind == COST else (paid_through, category_account)
	return [
		{"account": debit, "debit_in_account_currency": amount},
		{"account": credit, "credit_in_account_currency": amount},
	]


def account_fits(kind: str, root_type: str | None) -> bool:
	return ROOT_TYPES.get(kind) == root_type


def valid_amount(amount) -> bool:
	try:
		return float(amount) > 0
	except (TypeError, ValueError):
		return False


def paid_share(total: float, outstanding: float) -> float:
	"""The part of an invoice paid (0..1): what is no longer outstanding of its total (a return, whose
	total is negative, is settled when nothing is outstanding on it; an invoice of nothing counts as
	paid)."""
	if not total:
		return 1.0
	return min(1.0, max(0.0, (total - outstanding) / total))


def earned(incentives: float, share: float, basis: str) -> float:
	"""A sales person's commission on an invoice: ERPNext's incentives (allocated amount x commission
	rate) on the invoiced basis, their paid share on the paid basis."""
	if basis not in COMMISSION_BASES:
		raise ValueError(basis)
	return incentives if basis == INVOICED else incentives * share
