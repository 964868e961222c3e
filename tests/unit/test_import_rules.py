"""Rules of the CSV lead import: header mapping and row values."""

from korus_crm.rules.imports import map_headers, row_values

FIELDS = ["first_name", "email_id", "lead_status", "source"]
LABELS = {"First Name": "first_name", "Email": "email_id", "Lead Status": "lead_status", "Source": "source"}


def test_headers_map_by_fieldname_or_label_ignoring_case_spaces_and_underscores():
	mapping = map_headers(["first_name", " EMAIL ", "Lead  status", "Colour"], FIELDS, LABELS)
	assert mapping == {
		"first_name": "first_name",
		" EMAIL ": "email_id",
		"Lead  status": "lead_status",
		"Colour": None,
	}


def test_row_values_are_trimmed_and_empty_cells_dropped():
	mapping = {"First Name": "first_name", "Email": "email_id", "Colour": None}
	row = {"First Name": "  Ada ", "Email": "", "Colour": "red"}
	assert row_values(row, mapping) == {"first_name": "Ada"}
