"""Custom fields and indexes of vehicles (issue 14; docs/vehicles.md).

One field on ERPNext's Vehicle: the reading it had before its first mileage log, so that its
odometer falls back to it when every log is cancelled (korus_crm.vehicles.mileage).

The Korus Mileage Log's indexes are made here (as korus_crm.setup.field_service does for Service
Job): the odometer's MAX and the latest log's date per vehicle read one index entry each; the
report reads a date range.
"""

from __future__ import annotations


def fields() -> dict[str, list[dict]]:
	return {
		"Vehicle": [
			{
				"fieldname": "korus_initial_odometer",
				"label": "Odometer Before Logs",
				"fieldtype": "Int",
				"insert_after": "last_odometer",
				"read_only": 1,
				"no_copy": 1,
				"description": "The reading before the vehicle's first mileage log. Last Odometer is the highest end reading of its submitted logs, never below this.",
			}
		]
	}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES (several columns each: Frappe's
# schema sync drops a single-column index made in code).
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	# the odometer: MAX(end_odometer) of a vehicle's submitted logs
	("Korus Mileage Log", ("vehicle", "docstatus", "end_odometer"), "korus_mileage_vehicle_reading"),
	# the backdating check: the date of a vehicle's latest submitted log
	("Korus Mileage Log", ("vehicle", "docstatus", "date"), "korus_mileage_vehicle_date"),
	# the Vehicle Mileage report: the submitted logs of a period
	("Korus Mileage Log", ("docstatus", "date"), "korus_mileage_date"),
)
