"""Custom fields of rotting deals (issue 12, docs/rotting-deals.md) on ERPNext's Opportunity.

Maintained by Korus (korus_crm.deals.rotting), never typed: the deal's last activity (a stage move,
a follow-up, an offer, a comment), the day it rots on (last activity + its stage's idle days; empty
when the stage sets none or the deal is closed) and whether its owner has been told.

Indexes: (korus_rot_notified, korus_rots_on) for the daily notice, which reads only the due rows;
korus_rots_on's own index (search_index) for the Rotting Deals report, longest rotting first.
"""

from __future__ import annotations


def fields() -> dict[str, list[dict]]:
	return {
		"Opportunity": [
			{
				"fieldname": "korus_last_activity_at",
				"label": "Last Activity",
				"fieldtype": "Datetime",
				"insert_after": "closed_on",
				"read_only": 1,
				"no_copy": 1,
				"description": "The last stage move, follow-up, offer or comment.",
			},
			{
				"fieldname": "korus_rots_on",
				"label": "Rots On",
				"fieldtype": "Date",
				"insert_after": "korus_last_activity_at",
				"read_only": 1,
				"no_copy": 1,
				"search_index": 1,
				"description": "After this day without activity the deal is rotting (the stage's idle days). Empty: it does not rot.",
			},
			{
				"fieldname": "korus_rot_notified",
				"label": "Owner Told of Rotting",
				"fieldtype": "Check",
				"insert_after": "korus_rots_on",
				"read_only": 1,
				"no_copy": 1,
				"hidden": 1,
				"print_hide": 1,
				"report_hide": 1,
			},
		],
	}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	("Opportunity", ("korus_rot_notified", "korus_rots_on"), "korus_rot_due"),
)
