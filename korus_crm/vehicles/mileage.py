"""Mileage logs (Korus Mileage Log) and the odometer of ERPNext's Vehicle (docs/vehicles.md).

The rules are in korus_crm.rules.vehicles; here they meet the database:
- `set_defaults` (before_validate): the start reading is the vehicle's odometer unless given; the
  driver's login (`driver_user`, the log's owner for data scope) and company come from the driver's
  Employee record;
- `validate`: the readings and amounts are checked (a typed, translated error: 417), the distance
  derived, and a backdated log warned about (frappe.msgprint, never an error);
- `recompute_odometer` (on submit and on cancel, the one place the odometer is written): under a
  lock on the Vehicle row, `last_odometer` becomes the highest end reading of its submitted logs
  (one indexed MAX over `(vehicle, docstatus, end_odometer)`), never below the reading the vehicle
  had before its first log (kept in `korus_initial_odometer`).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, flt, formatdate, getdate

from korus_crm.exceptions import MileageLogError
from korus_crm.rules import vehicles as rules
from korus_crm.rules.scope import BRANCH_FIELD, DEPARTMENT_FIELD

LOG = "`tabKorus Mileage Log`"


def set_defaults(doc) -> None:
	if doc.vehicle and doc.get("start_odometer") in (None, ""):
		doc.start_odometer = frappe.db.get_value("Vehicle", doc.vehicle, "last_odometer")
	employee = (
		frappe.db.get_value("Employee", doc.driver, ["user_id", "company"], as_dict=True)
		if doc.driver
		else None
	)
	doc.driver_user = employee.user_id if employee else None
	if employee and not doc.company:
		doc.company = employee.company


def stamp_scope(doc) -> None:
	"""A driver without a login owns no record: the log takes the department and branch of the
	driver's Employee (korus_crm.scope.stamp, which runs before, gives a record without an owner
	its creator's)."""
	if doc.driver_user or not doc.driver:
		return
	place = frappe.db.get_value("Employee", doc.driver, ["department", "branch"], as_dict=True)
	if place:
		doc.set(DEPARTMENT_FIELD, place.department)
		doc.set(BRANCH_FIELD, place.branch)


def validate(doc) -> None:
	stamp_scope(doc)
	check_readings(doc)
	check_customer(doc)
	doc.distance = rules.distance(cint(doc.start_odometer), cint(doc.end_odometer))
	warn_if_backdated(doc)


def _number(value) -> int | float | None:
	return None if value in (None, "") else value


def check_readings(doc) -> None:
	start, end = _number(doc.get("start_odometer")), _number(doc.get("end_odometer"))
	start = None if start is None else cint(start)
	end = None if end is None else cint(end)
	messages = {
		rules.MISSING_END: lambda: _("The end odometer is required."),
		rules.NEGATIVE_START: lambda: _("The start odometer cannot be negative ({0}).").format(start),
		rules.NEGATIVE_END: lambda: _("The end odometer cannot be negative ({0}).").format(end),
		rules.END_BELOW_START: lambda: _(
			"The end odometer ({0}) cannot be below the start odometer ({1})."
		).format(end, start),
		rules.NEGATIVE_FUEL: lambda: _("Fuel cannot be negative."),
		rules.NEGATIVE_COST: lambda: _("The cost cannot be negative."),
	}
	fuel, cost = _number(doc.get("fuel_litres")), _number(doc.get("cost"))
	problems = rules.reading_problems(start, end) + rules.amount_problems(
		None if fuel is None else flt(fuel), None if cost is None else flt(cost)
	)
	if problems:
		frappe.throw(
			"<br>".join(messages[p]() for p in problems), MileageLogError, title=_("Invalid Mileage Log")
		)


def check_customer(doc) -> None:
	"""A log for a service job is for that job's customer."""
	if not doc.service_job:
		return
	job_customer = frappe.db.get_value("Service Job", doc.service_job, "customer")
	if doc.customer and job_customer and doc.customer != job_customer:
		frappe.throw(
			_("Service job {0} is for customer {1}, not {2}.").format(
				frappe.bold(doc.service_job), frappe.bold(job_customer), frappe.bold(doc.customer)
			),
			MileageLogError,
		)


def warn_if_backdated(doc) -> None:
	latest = frappe.db.sql(
		f"select max(date) from {LOG} where vehicle = %s and docstatus = 1 and name != %s",
		(doc.vehicle, doc.name or ""),
	)[0][0]
	current = frappe.db.get_value("Vehicle", doc.vehicle, "last_odometer")
	found = rules.backdating(getdate(doc.date), cint(doc.start_odometer), latest, current)
	if not found:
		return
	lines = []
	if found.before_latest_log:
		lines.append(
			_("This log is dated {0}, before the vehicle's latest log ({1}).").format(
				formatdate(doc.date), formatdate(latest)
			)
		)
	if found.below_odometer:
		lines.append(
			_("Its start odometer ({0}) is below the vehicle's odometer ({1}).").format(
				cint(doc.start_odometer), cint(current)
			)
		)
	lines.append(
		_("The log is kept: the vehicle's odometer stays the highest end reading of its submitted logs.")
	)
	frappe.msgprint("<br>".join(lines), title=_("Backdated Entry"), indicator="orange")


def recompute_odometer(vehicle: str, submitting: bool = False) -> int | None:
	"""Set the vehicle's odometer from its submitted logs (on a log's submit and cancel). Run under
	a lock on the Vehicle row, with locking reads of its logs, so that two logs submitted at once
	both count. The first submitted log keeps the reading the vehicle had before it."""
	row = frappe.db.sql(
		"select last_odometer, korus_initial_odometer from `tabVehicle` where name = %s for update",
		vehicle,
		as_dict=True,
	)
	if not row:
		return None
	highest, count = frappe.db.sql(
		f"select max(end_odometer), count(*) from {LOG} where vehicle = %s and docstatus = 1 for update",
		vehicle,
	)[0]
	initial = cint(row[0].korus_initial_odometer)
	if submitting and count == 1:  # the vehicle's first log: its reading before that log
		initial = cint(row[0].last_odometer)
	value = rules.odometer(initial, [highest])
	frappe.db.set_value(
		"Vehicle",
		vehicle,
		{"last_odometer": value, "korus_initial_odometer": initial},
		update_modified=False,
	)
	return value
