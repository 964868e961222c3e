"""Rules of records nobody may change (an approved contract order): every field and every row is
compared, as the database holds them."""

from datetime import date, datetime

from korus_crm.rules.locked_records import changed_fields, normalise


def test_empty_values_and_numbers_compare_as_stored():
	assert normalise(None) == normalise("")
	assert normalise(1) == normalise(1.0)
	assert normalise(date(2026, 6, 1)) == "2026-06-01"
	assert normalise(datetime(2026, 6, 1, 9, 30)) == "2026-06-01 09:30:00"


def test_an_unchanged_record_changes_nothing():
	before = {"customer": "A", "grand_total": 100, "note": None, "items": [{"name": "r1", "qty": 1}]}
	after = {"customer": "A", "grand_total": 100.0, "note": "", "items": [{"name": "r1", "qty": 1.0}]}
	assert changed_fields(before, after, ["customer", "grand_total", "note"], {"items": ["qty"]}) == []


def test_any_changed_field_is_named_including_custom_ones():
	before = {"customer": "A", "signature": None, "custom_region": "North"}
	after = {"customer": "A", "signature": "data:image/png", "custom_region": "South"}
	fields = ["customer", "signature", "custom_region"]
	assert changed_fields(before, after, fields) == ["signature", "custom_region"]


def test_rows_added_removed_or_changed_change_the_table():
	rows = [{"name": "r1", "qty": 1}, {"name": "r2", "qty": 2}]
	assert changed_fields({"items": rows}, {"items": rows[:1]}, [], {"items": ["qty"]}) == ["items"]
	assert changed_fields(
		{"items": rows}, {"items": [rows[0], {"name": "r2", "qty": 3}]}, [], {"items": ["qty"]}
	) == ["items"]
	assert changed_fields({"items": rows}, {"items": rows[::-1]}, [], {"items": ["qty"]}) == ["items"]
