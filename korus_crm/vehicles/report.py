"""The figures of the Vehicle Mileage report (docs/vehicles.md).

One GROUP BY over the submitted mileage logs of the period (index `(docstatus, date)`), a row per
vehicle, driver and month: as many rows as groups, whatever the number of logs. Script Reports do not
apply permission queries: the user's read conditions (their data scope and user permissions) are
added to the query (korus_crm.analytics.reports.read_conditions, which also refuses a user who may
not read mileage logs).
"""

from __future__ import annotations

import frappe
from frappe.utils import cint, flt

from korus_crm.analytics.reports import check_range, date_range, read_conditions
from korus_crm.rules import vehicles as rules

LOG = "`tabKorus Mileage Log`"


def mileage(filters) -> list[dict]:
	check_range(filters)
	values: dict = {}
	where = f" and {LOG}.docstatus = 1" + date_range(f"{LOG}.date", filters, values)
	for name in ("company", "vehicle", "driver", "branch"):
		if filters.get(name):
			values[name] = filters.get(name)
			where += f" and {LOG}.`{name}` = %({name})s"
	where += read_conditions("Korus Mileage Log")
	rows = frappe.db.sql(
		f"""select date_format({LOG}.date, '%%Y-%%m') as month, {LOG}.vehicle, {LOG}.driver,
			max({LOG}.driver_name) as driver_name, count(*) as logs, sum({LOG}.distance) as distance,
			sum({LOG}.fuel_litres) as fuel_litres, sum({LOG}.cost) as cost
		from {LOG}
		where 1=1{where}
		group by month, {LOG}.vehicle, {LOG}.driver
		order by month, {LOG}.vehicle, {LOG}.driver""",
		values,
		as_dict=True,
	)
	out = []
	for r in rows:
		distance, fuel, cost = cint(r.distance), flt(r.fuel_litres, 2), flt(r.cost, 2)
		out.append(
			{
				"month": r.month,
				"vehicle": r.vehicle,
				"driver": r.driver,
				"driver_name": r.driver_name,
				"logs": cint(r.logs),
				"distance": distance,
				"fuel_litres": fuel,
				"cost": cost,
				"fuel_per_100_km": rules.fuel_per_100_km(fuel, distance),
				"cost_per_km": rules.cost_per_km(cost, distance),
			}
		)
	return out
