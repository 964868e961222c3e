"""Rules of kanban boards: column colours and columns from statuses."""

import pytest

from korus_crm.rules import boards as rules


@pytest.mark.parametrize(
	("color", "indicator"),
	[
		("#2490EF", "Blue"),
		("#ECAD4B", "Yellow"),
		("#7575FF", "Purple"),
		("#29CD42", "Green"),
		("#E24C4C", "Red"),
		("#F8814F", "Orange"),
		("#F569B4", "Pink"),
		("#00B8D9", "Cyan"),
		("#7CD6FD", "Light Blue"),
		("#f00", "Red"),
		("#808080", "Gray"),
		("#000000", "Gray"),
		("#FFFFFF", "Gray"),
		(None, "Gray"),
		("not a colour", "Gray"),
	],
)
def test_a_colour_maps_to_the_nearest_kanban_indicator(color, indicator):
	assert rules.nearest_indicator(color) == indicator


def test_every_palette_colour_maps_to_itself():
	for name, rgb in rules.INDICATORS.items():
		assert rules.nearest_indicator("#{:02x}{:02x}{:02x}".format(*rgb)) == name


def test_columns_keep_the_given_order_and_are_active():
	columns = rules.board_columns([("New", "#2490EF"), ("Contacted", None)])
	assert columns == [
		{"column_name": "New", "status": "Active", "indicator": "Blue"},
		{"column_name": "Contacted", "status": "Active", "indicator": "Gray"},
	]
