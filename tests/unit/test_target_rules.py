"""Sales targets and per-employee statistics: quarters, the year, months of a fiscal year, periods,
completion and conversion rates, the Monthly Distribution of a mirrored target, department totals."""

from __future__ import annotations

import datetime

import pytest

from korus_crm.rules import targets as rules

JAN = datetime.date(2026, 1, 1)
APR = datetime.date(2026, 4, 1)
MONTHS = {f: float(i) * 100 for i, f in enumerate(rules.MONTH_FIELDS, 1)}  # Jan 100 … Dec 1200


def test_calendar_fiscal_year_quarters_and_year():
	assert rules.derived(MONTHS, JAN) == {"q1": 600, "q2": 1500, "q3": 2400, "q4": 3300, "year_total": 7800}


def test_fiscal_year_from_april_counts_quarters_from_april():
	# Q1 = April + May + June, Q4 = January + February + March (of the next calendar year)
	assert rules.derived(MONTHS, APR) == {"q1": 1500, "q2": 2400, "q3": 3300, "q4": 600, "year_total": 7800}


def test_empty_months_count_as_zero():
	assert rules.derived({"m02": 5, "m03": None}, JAN)["q1"] == 5


def test_months_of_a_fiscal_year_are_keyed_by_calendar_month():
	months = rules.fiscal_months(APR)
	assert months[0] == ("m04", "2026-04")
	assert months[-1] == ("m03", "2027-03")
	assert rules.by_month(MONTHS, APR)["2027-01"] == 100


def test_months_between_covers_partial_months_and_year_ends():
	assert rules.months_between(datetime.date(2025, 11, 15), datetime.date(2026, 2, 1)) == [
		"2025-11",
		"2025-12",
		"2026-01",
		"2026-02",
	]


@pytest.mark.parametrize(("period", "count", "first_months"), [
	("Monthly", 12, ("2026-04",)),
	("Quarterly", 4, ("2026-04", "2026-05", "2026-06")),
	("Yearly", 1, (*(f"2026-{m:02d}" for m in range(4, 13)), "2027-01", "2027-02", "2027-03")),
])  # fmt: skip
def test_periods_of_a_fiscal_year(period, count, first_months):
	found = rules.periods(APR, period)
	assert len(found) == count
	assert found[0].months == first_months


def test_unknown_period_is_refused():
	with pytest.raises(ValueError):
		rules.periods(JAN, "Weekly")


def test_period_total_sums_its_months():
	assert rules.total({"2026-01": 1, "2026-02": 2.5}, ["2026-01", "2026-02", "2026-03"]) == 3.5


@pytest.mark.parametrize(("target", "achieved", "rate"), [
	(1000, 250, 25.0), (3, 2, 66.67), (100, 150, 150.0), (0, 10, None), (None, 10, None), (100, None, 0.0),
])  # fmt: skip
def test_completion_rate(target, achieved, rate):
	assert rules.completion_rate(target, achieved) == rate


@pytest.mark.parametrize(("won", "lost", "rate"), [(1, 1, 50.0), (2, 1, 66.67), (0, 3, 0.0), (0, 0, None)])
def test_conversion_rate_is_won_over_decided(won, lost, rate):
	assert rules.conversion_rate(won, lost) == rate


def test_distribution_shares_sum_to_exactly_100():
	shares = rules.distribution({"m01": 1, "m02": 1, "m03": 1})
	assert round(sum(shares.values()), 9) == 100
	assert shares["January"] == pytest.approx(100 / 3)
	assert shares["April"] == 0


def test_distribution_of_nothing_is_none():
	assert rules.distribution({}) is None
	assert rules.distribution({"m01": 0}) is None


def test_distribution_gives_back_each_months_amount():
	shares = rules.distribution(MONTHS)
	assert 7800 * shares["March"] / 100 == pytest.approx(300, abs=1e-4)


def test_order_value_target_is_mirrored_before_invoiced_value():
	assert rules.mirrored_metric(["Invoiced Value", "Order Value"]) == "Order Value"
	assert rules.mirrored_metric(["Invoiced Value", "New Customers"]) == "Invoiced Value"
	assert rules.mirrored_metric(["Collected Value"]) is None


def test_add_up_groups_rows_by_key_and_month():
	rows = [("a", "2026-01", 1), ("a", "2026-01", 2), ("b", "2026-02", 5), (None, "2026-01", 9)]
	assert rules.add_up(rows) == {"a": {"2026-01": 3}, "b": {"2026-02": 5}}


def test_department_totals_follow_each_department():
	rows = [
		{"user": "a", "department": "Sales", "won": 1, "lost": 1, "orders": 2},
		{"user": "b", "department": "Sales", "won": 2, "lost": 0, "orders": 1},
		{"user": "c", "department": None, "won": 0, "lost": 1, "orders": 0},
		{"user": "d", "department": "Admin", "won": 0, "lost": 0, "orders": 4},
	]
	out = rules.department_totals(rows, ["won", "lost", "orders"])
	assert [r.get("user") or ("total", r["department"]) for r in out] == [
		"d", ("total", "Admin"), "a", "b", ("total", "Sales"), "c", ("total", None),
	]  # fmt: skip
	sales = out[4]
	assert (sales["won"], sales["lost"], sales["orders"], sales["conversion_rate"]) == (3, 1, 3, 75.0)


@pytest.mark.parametrize(
	"from_date, to_date, months",
	[
		("2031-05-01", "2031-05-31", ["2031-05"]),
		("2031-11-01", "2032-02-29", ["2031-11", "2031-12", "2032-01", "2032-02"]),
		("2032-02-01", "2032-02-28", None),  # 2032 is a leap year: not the month's last day
		("2031-05-02", "2031-05-31", None),
		("2031-05-01", "2031-05-30", None),
		("2031-06-01", "2031-05-31", None),
	],
)
def test_whole_months_of_a_range(from_date, to_date, months):
	day = datetime.date.fromisoformat
	assert rules.whole_months(day(from_date), day(to_date)) == months
