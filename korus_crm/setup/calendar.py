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


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	("Contact", ("korus_birthday_md",), "korus_birthday_md"),
	("Contact", ("korus_anniversary_md",), "korus_contact_anniversary_md"),
	("Customer", ("korus_anniversary_md",), "korus_customer_anniversary_md"),
	("Opportunity", ("expected_closing",), "korus_expected_closing"),
	# the calendar's ranges over the follow-up doctypes (korus_crm.customers)
	("Scheduled Contact", ("scheduled_at",), "korus_scheduled_at"),
	("Customer Follow-up", ("next_contact_at",), "korus_next_contact_at"),
)
