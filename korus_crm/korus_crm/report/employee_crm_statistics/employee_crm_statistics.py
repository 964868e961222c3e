# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Employee CRM Statistics (seed 004 客户统计, 商机统计): per employee, customers added and owned,
opportunities created and owned, approved orders (count and value), follow-ups, won and lost deals
and the conversion rate in a date range; a total row per department. The figures and how they scale:
korus_crm.analytics.employees."""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.utils import get_first_day, get_last_day, getdate, today

from korus_crm.analytics.employees import statistics
from korus_crm.boundary import report_filters
from korus_crm.exceptions import InvalidInputError

FILTERS = {
	"user": str | None,
	"department": str | None,
	"branch": str | None,
	"from_date": datetime.date | None,
	"to_date": datetime.date | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	from_date = filters.from_date or get_first_day(today())
	to_date = filters.to_date or get_last_day(getdate(from_date))
	if from_date > to_date:
		frappe.throw(_("From Date must not be after To Date."), InvalidInputError)
	rows = statistics(
		from_date,
		to_date,
		user=filters.user,
		department=filters.department,
		branch=filters.branch,
	)
	for row in rows:
		if row.get("is_total"):
			row["employee_name"] = _("Total: {0}").format(row["department"] or _("No Department"))
	return columns(), rows


def link(fieldname: str, label: str, doctype: str, width: int) -> dict:
	"""A link column for users who may read `doctype` (Frappe checks every link value of a report's
	rows against the user's permissions), plain text for the others."""
	column = {"fieldname": fieldname, "label": label, "fieldtype": "Data", "width": width}
	if frappe.has_permission(doctype, "read"):
		column.update(fieldtype="Link", options=doctype)
	return column


def columns() -> list[dict]:
	def count(fieldname: str, label: str, width: int = 120) -> dict:
		return {"fieldname": fieldname, "label": label, "fieldtype": "Int", "width": width}

	return [
		{"fieldname": "employee_name", "label": _("Employee"), "fieldtype": "Data", "width": 180},
		link("user", _("User"), "User", 160),
		link("department", _("Department"), "Department", 150),
		link("branch", _("Branch"), "Branch", 120),
		count("customers_added", _("Customers Added")),
		count("customers_owned", _("Customers Owned")),
		count("opportunities_created", _("Opportunities Created"), 150),
		count("opportunities_owned", _("Opportunities Owned"), 150),
		count("orders", _("Orders")),
		{"fieldname": "order_value", "label": _("Order Value"), "fieldtype": "Currency", "width": 140},
		count("follow_ups", _("Follow-ups")),
		count("won", _("Won Deals")),
		count("lost", _("Lost Deals")),
		{
			"fieldname": "conversion_rate",
			"label": _("Conversion Rate (%)"),
			"fieldtype": "Percent",
			"width": 140,
		},
	]
