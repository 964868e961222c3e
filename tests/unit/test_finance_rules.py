import pytest

from korus_crm.rules import finance as rules


def test_cost_debits_the_category_and_credits_the_cash():
	assert rules.journal_sides("Cost", "Rent - K", "Cash - K", 120.0) == [
		{"account": "Rent - K", "debit_in_account_currency": 120.0},
		{"account": "Cash - K", "credit_in_account_currency": 120.0},
	]


def test_revenue_debits_the_cash_and_credits_the_category():
	assert rules.journal_sides("Revenue", "Sales - K", "Bank - K", 80.0) == [
		{"account": "Bank - K", "debit_in_account_currency": 80.0},
		{"account": "Sales - K", "credit_in_account_currency": 80.0},
	]


def test_unknown_kind_is_refused():
	with pytest.raises(ValueError):
		rules.journal_sides("Gift", "A", "B", 1)


def test_account_fits_its_kind():
	assert rules.account_fits("Cost", "Expense")
	assert rules.account_fits("Revenue", "Income")
	assert not rules.account_fits("Cost", "Income")
	assert not rules.account_fits("Revenue", "Asset")
	assert not rules.account_fits("Cost", None)


@pytest.mark.parametrize(
	("amount", "ok"), [(1, True), (0.01, True), (0, False), (-5, False), (None, False), ("x", False)]
)
def test_amount_must_be_positive(amount, ok):
	assert rules.valid_amount(amount) is ok


def test_paid_share():
	assert rules.paid_share(1000, 1000) == 0
	assert rules.paid_share(1000, 400) == 0.6
	assert rules.paid_share(1000, 0) == 1
	assert rules.paid_share(1000, -50) == 1  # overpaid
	assert rules.paid_share(-200, 0) == 1  # a settled return
	assert rules.paid_share(0, 0) == 1


def test_earned_on_invoiced_or_paid():
	assert rules.earned(50.0, 0.6, "Invoiced") == 50.0
	assert rules.earned(50.0, 0.6, "Paid") == pytest.approx(30.0)
	with pytest.raises(ValueError):
		rules.earned(50.0, 1, "Booked")
