"""Custom fields of the calendar (issue 11, seed 001 Kalendarz): the important dates of contacts
(birthday, anniversary) and customers (anniversary, e.g. the company's founding), each with its
month-day ("MM-DD", kept by korus_crm.calendar.dates) in an indexed column, so that the calendar
finds the dates of a range by index, never by a scan. Also an index on deals' expected close date.
"""

from __future__ import annotations

# (date field, its month-day column) per doctype
YEARLY_DATES: dict[str, tuple[tuple[str, str], ...]] = {
	"Contact": (("korus_birthday", "korus_birthday_md"), ("korus_anniversary", "korus_anniversary_md")),
	"Customer": (("korus_anniversary", "korus_anniversary_md"),),
}


def fields() -> dict[str, list[dict]]:
	return {
		"Contact": [
			{
				"fieldname": "korus_birthday",
				"label": "Birthday",
				"fieldtype": "Date",
				"insert_after": "gender",
				"description": "Shown every year in the Korus calendar.",
			},
			{
				"fieldname": "korus_anniversary",
				"label": "Anniversary",
				"fieldtype": "Date",
				"insert_after": "korus_birthday",
				"description": "An important date of this contact, shown every year in the Korus calendar.",
			},
			_month_day("korus_birthday_md", "korus_anniversary"),
			_month_day("korus_anniversary_md", "korus_birthday_md"),
		],
		"Customer": [
			{
				"fieldname": "korus_anniversary",
				"label": "Anniversary",
				"fieldtype": "Date",
				"insert_after": "website",
				"description": "An important date of this customer (e.g. its founding), shown every year in the Korus calendar.",
			},
			_month_day("korus_anniversary_md", "korus_anniversary"),
		],
	}


def _month_day(fieldname: str, insert_after: str) -> dict:
	return {
		"fieldname": fieldname,
		"fieldtype": "Data",
		"length": 5,
		"insert_after": insert_after,
		"hidden": 1,
		"read_only": 1,
		"no_copy": 1,
	}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES. Each ends with `name`: Frappe's
# schema sync drops a single-column index on a field without search_index (as these are), not one
# of two columns; a range scan reads it the same.
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	("Contact", ("korus_birthday_md", "name"), "korus_contact_birthday_md"),
	("Contact", ("korus_anniversary_md", "name"), "korus_contact_anniversary_md2"),
	("Customer", ("korus_anniversary_md", "name"), "korus_customer_anniversary_md2"),
	("Opportunity", ("expected_closing", "name"), "korus_expected_closing_name"),
	# the calendar's ranges over the follow-up doctypes (korus_crm.customers)
	("Scheduled Contact", ("scheduled_at", "name"), "korus_scheduled_at_name"),
	("Customer Follow-up", ("next_contact_at", "name"), "korus_next_contact_at_name"),
)
