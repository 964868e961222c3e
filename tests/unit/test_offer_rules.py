"""Rules of price offers and contract orders."""

from datetime import date

import pytest

from korus_crm.rules import offers as rules
from korus_crm.rules import taxes
from korus_crm.rules.approvals import CONTRACT_ORDER, PRICE_OFFER


class TestLifecycle:
	@pytest.mark.parametrize(
		("old", "new", "ok"),
		[
			("Draft", "Pending Approval", True),
			("Draft", "Approved", True),
			("Pending Approval", "Approved", True),
			("Approved", "Sent", True),
			("Sent", "Accepted", True),
			("Sent", "Rejected", True),
			("Sent", "Expired", True),
			("Draft", "Sent", False),
			("Approved", "Accepted", False),
			("Accepted", "Rejected", False),
			("Expired", "Accepted", False),
			("Sent", "Sent", True),
		],
	)
	def test_offer_moves(self, old, new, ok):
		assert PRICE_OFFER.can_move(old, new) is ok

	@pytest.mark.parametrize(
		("old", "new", "ok"),
		[
			("Draft", "Pending Approval", True),
			("Pending Approval", "Approved", True),
			("Pending Approval", "Rejected", True),
			("Rejected", "Pending Approval", True),
			("Draft", "Approved", True),
			("Approved", "Draft", False),
			("Rejected", "Approved", False),
		],
	)
	def test_order_moves(self, old, new, ok):
		assert CONTRACT_ORDER.can_move(old, new) is ok


class TestApprovalThreshold:
	@pytest.mark.parametrize(
		("list_rate", "rate", "discount", "expected"),
		[
			(100, None, None, 0),
			(100, None, 15, 15),
			(100, 80, None, 20),
			(100, 90, 25, 25),
			(100, 120, None, 0),
			(None, 50, None, 0),
		],
	)
	def test_manual_discount(self, list_rate, rate, discount, expected):
		assert rules.manual_discount(list_rate, rate, discount) == expected

	def test_above_the_threshold_needs_a_manager(self):
		assert rules.needs_manager_approval([5, 12], 10) is True
		assert rules.needs_manager_approval([5, 10], 10) is False
		assert rules.needs_manager_approval([], 10) is False

	def test_a_zero_threshold_sends_any_manual_discount_to_a_manager(self):
		assert rules.needs_manager_approval([0.5], 0) is True
		assert rules.needs_manager_approval([0], 0) is False


def test_expiry_is_after_the_validity_date():
	assert rules.is_expired(date(2026, 1, 1), date(2026, 1, 2)) is True
	assert rules.is_expired(date(2026, 1, 2), date(2026, 1, 2)) is False
	assert rules.is_expired(None, date(2026, 1, 2)) is False


def test_revision_differences():
	old = [{"item_code": "A", "qty": 3, "rate": 10}, {"item_code": "B", "qty": 1, "rate": 5}]
	new = [{"item_code": "A", "qty": 4, "rate": 9}, {"item_code": "C", "qty": 2, "rate": 1}]
	changes = rules.diff_revisions(old, new, {"valid_till": "2026-12-01"}, {"valid_till": "2026-12-15"})
	assert [(c.what, c.subject, c.old, c.new) for c in changes] == [
		("quantity", "A", 3, 4),
		("rate", "A", 10, 9),
		("item added", "C", None, 2),
		("item removed", "B", 1, None),
		("field", "valid_till", "2026-12-01", "2026-12-15"),
	]


def test_identical_revisions_have_no_differences():
	lines = [{"item_code": "A", "qty": 1, "rate": 1}]
	assert rules.diff_revisions(lines, lines, {"x": 1}, {"x": 1}) == []


class TestTaxCalculator:
	def test_net_to_gross_and_back(self):
		assert taxes.gross_from_net(100, [20]) == pytest.approx(120)
		assert taxes.net_from_gross(120, [20]) == pytest.approx(100)
		assert taxes.gross_from_net(100, [5, 10]) == pytest.approx(115)

	@pytest.mark.parametrize(("rates", "bad"), [([20], False), ([], True), ([-1], True), ([101], True)])
	def test_rates_are_percentages(self, rates, bad):
		assert taxes.invalid_rates(rates) is bad


def test_a_draft_cannot_claim_a_later_state():
	assert PRICE_OFFER.fits_docstatus("Pending Approval", 0)
	assert PRICE_OFFER.fits_docstatus(None, 0)
	assert not PRICE_OFFER.fits_docstatus("Approved", 0)
	assert CONTRACT_ORDER.fits_docstatus("Rejected", 0)
	assert not CONTRACT_ORDER.fits_docstatus("Draft", 1)
