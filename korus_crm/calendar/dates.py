"""before_validate of Contact and Customer: each yearly date (birthday, anniversary) keeps its
month-day ("MM-DD") in the indexed column the calendar looks it up by (korus_crm.setup.calendar)."""

from __future__ import annotations

from frappe.utils import getdate

from korus_crm.rules.calendar import month_day
from korus_crm.setup.calendar import YEARLY_DATES


def set_month_days(doc, method=None) -> None:
	for date_field, md_field in YEARLY_DATES.get(doc.doctype, ()):
		if not doc.meta.has_field(md_field):
			continue  # before the migrate that adds the fields
		value = doc.get(date_field)
		doc.set(md_field, month_day(getdate(value)) if value else None)
