"""Rules of tax policies: the gross/net calculator (a tool for users; documents are taxed by
ERPNext's own engine through the policy's Sales Taxes and Charges Template)."""

from __future__ import annotations

from collections.abc import Sequence


def invalid_rates(rates: Sequence[float]) -> bool:
	return not rates or any(r < 0 or r > 100 for r in rates)


def gross_from_net(net: float, rates: Sequence[float]) -> float:
	"""Rates apply side by side on the net amount (ERPNext's "On Net Total")."""
	return net * (1 + sum(rates) / 100)


def net_from_gross(gross: float, rates: Sequence[float]) -> float:
	return gross / (1 + sum(rates) / 100)
