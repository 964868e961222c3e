"""Campaigns (seed 000 "Advertisement Management"): a campaign's period and budget, and its return.

A campaign (ERPNext's Campaign) has a channel (a Lead Source), a period and a budget; what it cost is
read from the books (expenses booked against it), what it brought from the CRM and the invoices. The
arithmetic of the Campaign ROI report and of the campaign's form is here, as plain functions.

A figure the user may not read (the spend without access to the General Ledger, the revenue without
access to Sales Invoices) is None, and so is every figure computed from it: None means "not shown",
never zero.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class CampaignFigures:
	"""What a campaign spent and brought in a period (None: not visible to the user)."""

	budget: float = 0.0
	spend: float | None = None
	leads: int | None = None
	converted_leads: int | None = None
	deals: int | None = None
	won_deals: int | None = None
	won_revenue: float | None = None


@dataclass(frozen=True)
class CampaignReturn:
	budget_used: float | None  # percent of the budget spent
	cost_per_lead: float | None
	cost_per_won_deal: float | None
	roi: float | None  # (won revenue - spend) / spend, as a ratio (1.5 = 150 %)


def spend(debit: float | None, credit: float | None) -> float:
	"""A campaign's spend from its expense ledger lines: debits less credits (refunds, reversals)."""
	return float(debit or 0) - float(credit or 0)


def cost_per(spend: float | None, count: int | None) -> float | None:
	"""Spend divided by a count (leads, won deals); None without spend or without anything counted."""
	if spend is None or not count:
		return None
	return spend / count


def campaign_roi(won_revenue: float | None, spend: float | None) -> float | None:
	"""(revenue - spend) / spend; None when nothing was spent (or either figure is not visible)."""
	if won_revenue is None or spend is None or spend <= 0:
		return None
	return (won_revenue - spend) / spend


def budget_used(spend: float | None, budget: float | None) -> float | None:
	"""Percent of the budget spent; None without a budget or without the spend."""
	if spend is None or not budget or budget <= 0:
		return None
	return spend / budget * 100


def campaign_return(figures: CampaignFigures) -> CampaignReturn:
	return CampaignReturn(
		budget_used=budget_used(figures.spend, figures.budget),
		cost_per_lead=cost_per(figures.spend, figures.leads),
		cost_per_won_deal=cost_per(figures.spend, figures.won_deals),
		roi=campaign_roi(figures.won_revenue, figures.spend),
	)


def as_percent(ratio: float | None) -> float | None:
	return None if ratio is None else ratio * 100


# --- a campaign's period and budget ---


def period_is_valid(start: datetime.date | None, end: datetime.date | None) -> bool:
	"""A campaign ends on or after the day it starts (either may be left open)."""
	return start is None or end is None or end >= start


def budget_is_valid(budget: float | None) -> bool:
	return budget is None or budget >= 0


def overlaps(
	start: datetime.date | None,
	end: datetime.date | None,
	from_date: datetime.date | None,
	to_date: datetime.date | None,
) -> bool:
	"""Whether a campaign's period (open at either end when not set) meets the range [from, to]."""
	if to_date is not None and start is not None and start > to_date:
		return False
	if from_date is not None and end is not None and end < from_date:
		return False
	return True


def has_activity(figures: CampaignFigures) -> bool:
	"""Anything to show for the period: spend, leads, deals or revenue."""
	return any(
		value
		for value in (
			figures.spend,
			figures.leads,
			figures.converted_leads,
			figures.deals,
			figures.won_deals,
			figures.won_revenue,
		)
	)


def counts_for_company(lead_company: str | None, company: str | None) -> bool:
	"""With a company chosen, a lead counts when it is that company's or has no company (leads are
	often made without one)."""
	return not company or not lead_company or lead_company == company
