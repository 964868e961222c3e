"""Rules of the analytics reports (korus_crm.rules.analytics): periods, the duration histogram and
its median, fulfilment rates, the forecast's commit."""

import random
import statistics
from datetime import date

import pytest

from korus_crm.rules import analytics as rules


def test_periods_label_a_day_by_month_quarter_and_year():
	day = date(2027, 5, 9)
	assert rules.period_of(day, "Monthly") == "2027-05"
	assert rules.period_of(day, "Quarterly") == "2027-Q2"
	assert rules.period_of(day, "Yearly") == "2027"
	with pytest.raises(ValueError):
		rules.period_of(day, "Weekly")


def test_months_between_spans_years_and_is_empty_backwards():
	assert rules.months_between(date(2026, 11, 30), date(2027, 2, 1)) == [
		"2026-11",
		"2026-12",
		"2027-01",
		"2027-02",
	]
	assert rules.months_between(date(2027, 2, 1), date(2027, 1, 31)) == []


def test_a_duration_falls_inside_its_bucket():
	for days in (0, 0.01, 0.5, 1, 3.9, 4, 30, 365.25, 2000):
		low, high = rules.bucket_bounds(rules.bucket_of(days))
		assert low <= days < high or days == pytest.approx(low)
	assert rules.bucket_of(-3) == 0  # a negative duration (clock skew) counts as none


def test_median_from_the_histogram_falls_in_the_middle_durations_buckets():
	rng = random.Random(12)
	for _ in range(50):
		durations = [rng.expovariate(1 / rng.choice([0.5, 5, 40])) for _ in range(rng.randint(1, 400))]
		group = rules.DurationGroup()
		for d in durations:
			group.add(rules.bucket_of(d), 1, d)
		ranked = sorted(durations)
		lower, upper = ranked[(len(ranked) - 1) // 2], ranked[len(ranked) // 2]
		assert group.average_days == round(statistics.fmean(durations), 2)
		# between the start of the lower middle duration's bucket and the end of the upper's
		low = rules.bucket_bounds(rules.bucket_of(lower))[0]
		high = rules.bucket_bounds(rules.bucket_of(upper))[1]
		assert low - 0.01 <= group.median_days <= high + 0.01
		if lower == upper:  # an odd count: within the middle duration's bucket, 4.4% of 1 + days
			assert abs(group.median_days - lower) <= 0.045 * (1 + lower) + 0.01


def test_groups_add_up_rows_of_a_group_by():
	groups = rules.duration_groups([(("A", ""), 3, 2, 1.5), (("A", ""), 5, 1, 0.9), (("B", ""), 0, 4, 0.1)])
	assert groups[("A", "")].count == 3 and groups[("A", "")].total_days == pytest.approx(2.4)
	assert groups[("A", "")].average_days == 0.8
	assert groups[("B", "")].histogram == {0: 4}
	assert rules.DurationGroup().average_days is None and rules.DurationGroup().median_days is None


def test_fulfilment_rates_and_what_is_left():
	f = rules.Fulfilment(orders=2, ordered=1000, delivered=400, invoiced=1000, paid=250, undelivered_orders=1)
	assert (f.to_deliver, f.to_invoice, f.to_collect) == (600, 0, 750)
	assert f.rates() == {"delivered_rate": 40.0, "invoiced_rate": 100.0, "paid_rate": 25.0}
	empty = rules.Fulfilment(0, 0, 0, 0, 0, 0)
	assert empty.rates() == {"delivered_rate": None, "invoiced_rate": None, "paid_rate": None}


def test_a_deal_is_committed_at_the_threshold_or_when_flagged():
	assert rules.is_commit(70, False, 70)
	assert not rules.is_commit(69.9, False, 70)
	assert rules.is_commit(10, True, 70)
	assert not rules.is_commit(None, False, 1)


def test_coverage_of_a_target():
	assert rules.coverage(250, 1000) == 25.0
	assert rules.coverage(250, 0) is None and rules.coverage(250, None) is None


def test_a_range_is_well_formed_unless_backwards():
	assert rules.check_period_range(None, date(2027, 1, 1))
	assert rules.check_period_range(date(2027, 1, 1), date(2027, 1, 1))
	assert not rules.check_period_range(date(2027, 1, 2), date(2027, 1, 1))


# --- whole months of a range (stage duration from the maintained totals) ---


def test_a_quarter_of_whole_months_has_no_edges():
	whole, edges = rules.split_by_months(date(2026, 7, 1), date(2026, 9, 30), today=date(2026, 11, 30))
	assert whole == ["2026-07", "2026-08", "2026-09"]
	assert edges == []


def test_a_range_from_mid_month_to_today_has_one_edge_and_the_current_month_whole():
	whole, edges = rules.split_by_months(date(2026, 8, 30), date(2026, 11, 30), today=date(2026, 11, 30))
	assert whole == ["2026-09", "2026-10", "2026-11"]
	assert edges == [(date(2026, 8, 30), date(2026, 8, 31))]


def test_the_current_month_is_whole_up_to_today_only():
	whole, edges = rules.split_by_months(date(2026, 11, 1), date(2026, 11, 20), today=date(2026, 11, 30))
	assert whole == []
	assert edges == [(date(2026, 11, 1), date(2026, 11, 20))]
	whole, _edges = rules.split_by_months(date(2026, 11, 1), date(2026, 11, 15), today=date(2026, 11, 15))
	assert whole == ["2026-11"]


def test_a_range_inside_one_month_and_across_a_year_end():
	assert rules.split_by_months(date(2026, 3, 5), date(2026, 3, 9), today=date(2026, 11, 30)) == (
		[],
		[(date(2026, 3, 5), date(2026, 3, 9))],
	)
	whole, edges = rules.split_by_months(date(2025, 12, 2), date(2026, 2, 27), today=date(2026, 11, 30))
	assert whole == ["2026-01"]
	assert edges == [(date(2025, 12, 2), date(2025, 12, 31)), (date(2026, 2, 1), date(2026, 2, 27))]


def test_an_inverted_range_has_nothing():
	assert rules.split_by_months(date(2026, 3, 5), date(2026, 3, 1), today=date(2026, 11, 30)) == ([], [])
