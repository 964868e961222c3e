"""When technicians cannot work: the holidays of their Employee's Holiday List (ERPNext's
`Holiday` rows of a `Holiday List`; weekly offs included) and their approved leave (Korus's
Approval Request of the Leave kind). Read for many technicians at once (the dispatch board: one
query each), or for one (a booking)."""

from __future__ import annotations

import datetime
from collections import defaultdict

import frappe
from frappe.utils import getdate

from korus_crm.rules import field_service as rules


def employees_of(technicians: list[str]) -> dict[str, str]:
	"""{technician: employee} (a Service Technician is named after its employee)."""
	if not technicians:
		return {}
	rows = frappe.get_all(
		"Service Technician", filters={"name": ("in", technicians)}, fields=["name", "employee"]
	)
	return {r.name: r.employee for r in rows}


def holiday_lists(employees: list[str]) -> dict[str, str | None]:
	"""{employee: holiday list}: the employee's own, else their company's default (as ERPNext's
	get_holiday_list_for_employee, for many employees in two queries)."""
	if not employees:
		return {}
	rows = frappe.get_all(
		"Employee", filters={"name": ("in", employees)}, fields=["name", "holiday_list", "company"]
	)
	companies = {r.company for r in rows if not r.holiday_list and r.company}
	defaults = (
		dict(
			frappe.get_all(
				"Company",
				filters={"name": ("in", sorted(companies))},
				fields=["name", "default_holiday_list"],
				as_list=True,
			)
		)
		if companies
		else {}
	)
	return {r.name: r.holiday_list or defaults.get(r.company) for r in rows}


def absences(
	technicians: list[str], start: datetime.datetime, end: datetime.datetime
) -> dict[str, list[rules.Absence]]:
	"""{technician: [absences touching start..end]}."""
	employee_of = employees_of(technicians)
	if not employee_of:
		return {}
	first, last = getdate(start), getdate(end)
	lists = holiday_lists(sorted(set(employee_of.values())))
	by_list: dict[str, list[rules.Absence]] = defaultdict(list)
	names = sorted({hl for hl in lists.values() if hl})
	if names:
		for row in frappe.get_all(
			"Holiday",
			filters={
				"parenttype": "Holiday List",
				"parent": ("in", names),
				"holiday_date": ("between", [first, last]),
			},
			fields=["parent", "holiday_date", "description"],
			order_by="holiday_date asc",
		):
			by_list[row.parent].append(
				rules.holiday(getdate(row.holiday_date), frappe.utils.strip_html(row.description or ""))
			)
	by_employee: dict[str, list[rules.Absence]] = defaultdict(list)
	for row in frappe.get_all(
		"Approval Request",
		filters={
			"employee": ("in", sorted(set(employee_of.values()))),
			"form_kind": "Leave",
			"status": "Approved",
			"from_date": ("<=", last),
			"to_date": (">=", first),
		},
		fields=["employee", "from_date", "to_date", "from_half_day", "to_half_day", "leave_kind"],
	):
		by_employee[row.employee].append(
			rules.leave(
				getdate(row.from_date),
				getdate(row.to_date),
				bool(row.from_half_day),
				bool(row.to_half_day),
				row.leave_kind or "",
			)
		)
	out = {}
	for technician, employee in employee_of.items():
		found = [*by_list.get(lists.get(employee) or "", []), *by_employee.get(employee, [])]
		out[technician] = [a for a in found if rules.overlaps(start, end, a.start, a.end)]
	return out
