"""Campaign rules: the ROI arithmetic of the Campaign ROI report, a campaign's period and budget."""

import datetime

import pytest

from korus_crm.rules.campaigns import (
	CampaignFigures,
	as_percent,
	budget_is_valid,
	budget_used,
	campaign_return,
	campaign_roi,
	cost_per,
	counts_for_company,
	has_activity,
	overlaps,
	period_is_valid,
	spend,
)

D = datetime.date


class TestSpend:
	def test_debits_less_credits(self):
		assert spend(400, 50) == 350
		assert spend(None, None) == 0
		assert spend(0, 30) == -30  # a refund larger than the expenses


class TestCosts:
	def test_cost_per_lead_and_won_deal(self):
		assert cost_per(540, 3) == pytest.approx(180)
		assert cost_per(540, 1) == 540
		assert cost_per(0, 4) == 0

	def test_nothing_counted_or_spend_hidden_gives_none(self):
		assert cost_per(540, 0) is None
		assert cost_per(540, None) is None
		assert cost_per(None, 3) is None


class TestReturn:
	def test_revenue_less_spend_over_spend(self):
		assert campaign_roi(1350, 540) == pytest.approx(1.5)
		assert campaign_roi(540, 540) == 0
		assert campaign_roi(0, 70) == -1
		assert campaign_roi(100, 400) == pytest.approx(-0.75)

	def test_no_spend_no_return(self):
		assert campaign_roi(1000, 0) is None
		assert campaign_roi(1000, -20) is None  # refunds only: nothing was spent
		assert campaign_roi(1000, None) is None
		assert campaign_roi(None, 500) is None

	def test_as_percent(self):
		assert as_percent(1.5) == 150
		assert as_percent(None) is None


class TestBudget:
	def test_share_of_the_budget_spent(self):
		assert budget_used(540, 1000) == pytest.approx(54)
		assert budget_used(1500, 1000) == pytest.approx(150)
		assert budget_used(0, 1000) == 0

	def test_without_budget_or_spend(self):
		assert budget_used(540, 0) is None
		assert budget_used(540, None) is None
		assert budget_used(None, 1000) is None

	def test_a_budget_is_not_negative(self):
		assert budget_is_valid(0) and budget_is_valid(10.5) and budget_is_valid(None)
		assert not budget_is_valid(-0.01)


class TestCampaignReturn:
	def test_every_figure_of_a_row(self):
		figures = CampaignFigures(
			budget=1000, spend=540, leads=3, converted_leads=2, deals=2, won_deals=1, won_revenue=1350
		)
		result = campaign_return(figures)
		assert result.budget_used == pytest.approx(54)
		assert result.cost_per_lead == pytest.approx(180)
		assert result.cost_per_won_deal == pytest.approx(540)
		assert result.roi == pytest.approx(1.5)

	def test_hidden_money_leaves_costs_and_return_blank(self):
		figures = CampaignFigures(budget=1000, spend=None, leads=3, won_deals=1, won_revenue=None)
		result = campaign_return(figures)
		assert (result.budget_used, result.cost_per_lead, result.cost_per_won_deal, result.roi) == (
			None,
			None,
			None,
			None,
		)

	def test_hidden_revenue_keeps_the_costs(self):
		result = campaign_return(CampaignFigures(budget=0, spend=300, leads=3, won_deals=0, won_revenue=None))
		assert (result.budget_used, result.cost_per_lead, result.cost_per_won_deal, result.roi) == (
			None,
			100,
			None,
			None,
		)


class TestPeriod:
	def test_the_end_is_not_before_the_start(self):
		assert period_is_valid(D(2026, 3, 1), D(2026, 3, 31))
		assert period_is_valid(D(2026, 3, 1), D(2026, 3, 1))
		assert not period_is_valid(D(2026, 3, 2), D(2026, 3, 1))

	def test_open_ends(self):
		assert period_is_valid(None, D(2026, 3, 1))
		assert period_is_valid(D(2026, 3, 1), None)
		assert period_is_valid(None, None)

	@pytest.mark.parametrize(
		"start, end, from_date, to_date, expected",
		[
			(D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 15), D(2026, 4, 15), True),
			(D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 1), None, False),  # ended before
			(D(2026, 3, 1), D(2026, 3, 31), None, D(2026, 2, 28), False),  # starts after
			(D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 31), D(2026, 3, 31), True),  # last day
			(None, None, D(2026, 1, 1), D(2026, 1, 31), True),  # no period: always running
			(None, D(2025, 12, 31), D(2026, 1, 1), None, False),
			(D(2026, 2, 1), None, None, D(2026, 1, 31), False),
			(D(2026, 3, 1), D(2026, 3, 31), None, None, True),
		],
	)
	def test_overlaps(self, start, end, from_date, to_date, expected):
		assert overlaps(start, end, from_date, to_date) is expected


class TestActivity:
	def test_anything_counted_is_activity(self):
		assert not has_activity(CampaignFigures(budget=1000))
		assert not has_activity(CampaignFigures(budget=1000, spend=0, leads=0, deals=0, won_revenue=0))
		assert has_activity(CampaignFigures(spend=-20))
		assert has_activity(CampaignFigures(leads=1))
		assert has_activity(CampaignFigures(won_revenue=10))

	def test_a_lead_counts_for_its_company_or_when_it_has_none(self):
		assert counts_for_company("Acme", "Acme")
		assert counts_for_company(None, "Acme")
		assert counts_for_company("", "Acme")
		assert counts_for_company("Other", None)
		assert not counts_for_company("Other", "Acme")
