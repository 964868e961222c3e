"""Custom fields and indexes of field service (issue 13).

One field on ERPNext's Branch: the branch's service warehouse, where a completed job's parts leave
stock from when its technician has no warehouse of their own (korus_crm.field_service.billing).
Nothing is added to Employee (ERPNext's; HRMS extends it): a technician is Korus's Service
Technician, named after the Employee.

The Service Job's indexes are made here (not in its controller's on_doctype_update) because the
pool's index leads with `branch`, a data-scope column added as a custom field after the doctype
is synced.
"""

from __future__ import annotations


def fields() -> dict[str, list[dict]]:
	return {
		"Branch": [
			{
				"fieldname": "korus_service_warehouse",
				"label": "Service Warehouse",
				"fieldtype": "Link",
				"options": "Warehouse",
				"insert_after": "branch",
				"description": "Parts used on this branch's service jobs leave stock from here when the technician has no warehouse of their own.",
			}
		]
	}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES. Each has several columns (Frappe's
# schema sync drops a single-column index made in code, not these).
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	# the board (a week of N technicians) and the double-booking check
	("Service Job", ("technician", "scheduled_start", "name"), "korus_job_technician_start"),
	# the same by end: a week ahead reads the jobs ending after it starts, not a technician's history
	("Service Job", ("technician", "scheduled_end", "scheduled_start"), "korus_job_technician_end"),
	# a technician's jobs by status ("my jobs", dispatching a day)
	("Service Job", ("status", "technician", "scheduled_start"), "korus_job_status_technician"),
	# the pool's first page: New jobs of a branch by priority, then age; and of every branch
	("Service Job", ("branch", "status", "priority_rank", "creation"), "korus_job_pool_branch"),
	("Service Job", ("status", "priority_rank", "creation"), "korus_job_pool"),
	# "my jobs today" and the data scope's participants
	("Service Job", ("technician_user", "scheduled_start"), "korus_job_technician_user"),
)
