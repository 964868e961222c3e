"""The catalogue's rules: which Item Price is the price, margin, price changes, paging."""

from __future__ import annotations

import datetime

from korus_crm.rules import catalogue as rules

TODAY = datetime.date(2026, 12, 1)


def test_a_percentage_change_rounds_half_up():
	assert rules.new_price(100, rules.PERCENT, 10) == 110
	assert rules.new_price(19.99, rules.PERCENT, -15) == 16.99  # 16.9915
	assert rules.new_price(0.05, rules.PERCENT, 50, precision=1) == 0.1  # 0.075 -> 0.1
	assert rules.new_price(80, rules.PERCENT, -100) == 0


def test_a_value_change_sets_the_price_and_a_percentage_needs_one():
	assert rules.new_price(100, rules.VALUE, 12.345) == 12.35
	assert rules.new_price(None, rules.VALUE, 7) == 7
	assert rules.new_price(None, rules.PERCENT, 10) is None


def test_change_problems():
	assert rules.change_problem(rules.SELLING, rules.PERCENT, -100) is None
	assert rules.change_problem(rules.SELLING, rules.PERCENT, -100.01) == "percent"
	assert rules.change_problem(rules.BUYING, rules.VALUE, -1) == "negative"
	assert rules.change_problem(rules.BUYING, rules.VALUE, 0) is None
	assert rules.change_problem(None, rules.VALUE, 1) == "price"
	assert rules.change_problem(rules.BUYING, None, 1) == "mode"
	assert rules.change_problem(rules.BUYING, rules.VALUE, None) == "value"


def test_margin_in_one_currency_only():
	assert rules.margin(60, 100, "PLN", "PLN") == (40, 40)
	assert rules.margin(120, 100, "PLN", "PLN") == (-20, -20)
	assert rules.margin(60, 0, "PLN", "PLN") == (-60, None)
	assert rules.margin(60, 100, "EUR", "PLN") == (None, None)
	assert rules.margin(None, 100, None, "PLN") == (None, None)


def test_the_price_is_the_general_one_valid_today_in_the_stock_unit():
	rows = [
		{"name": "a", "uom": "", "valid_from": None, "valid_upto": None},
		{"name": "b", "uom": "Nos", "valid_from": "2026-01-01", "valid_upto": None},
		{"name": "c", "uom": "Nos", "valid_from": "2026-06-01", "valid_upto": None},
		{"name": "d", "uom": "Nos", "valid_from": "2027-01-01", "valid_upto": None},  # not yet
		{"name": "e", "uom": "Box", "valid_from": None, "valid_upto": None},  # another unit
		{"name": "f", "uom": "Nos", "valid_from": None, "valid_upto": "2026-11-30"},  # expired
	]
	assert rules.pick_price(rows, "Nos", TODAY)["name"] == "c"
	assert rules.pick_price(rows[:1] + rows[3:], "Nos", TODAY)["name"] == "a"
	assert rules.pick_price(rows[3:4], "Nos", TODAY) is None
	packed = [{"name": "p", "uom": "Nos", "packing_unit": 6}, {"name": "q", "uom": "Nos", "packing_unit": 0}]
	assert rules.pick_price(packed, "Nos", TODAY)["name"] == "q"


def test_pages():
	assert rules.page_bounds(None, None) == (0, rules.PAGE_SIZE)
	assert rules.page_bounds(3, 100) == (200, 100)
	assert rules.page_bounds(0, 10**6) == (0, rules.MAX_PAGE_SIZE)
