"""The CRM dashboard's columns (issue 12, docs/analytics.md): no custom fields (the counters of
korus_crm.boards.counts take a month from the record's own dates), and the indexes of its "Recent
Activity": the newest customers and deals (ERPNext sorts both by `modified`, so `creation` has no
index of its own); and the counters' rows by dimension value, whatever their board."""

from __future__ import annotations


def fields() -> dict[str, list[dict]]:
	return {}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	("Customer", ("customer_type", "creation"), "korus_type_creation"),
	("Opportunity", ("creation",), "korus_deal_creation"),
	# a figure over every board reads the counter rows of one dimension value (or the totals) only
	(
		"Board Column Count",
		("reference_doctype", "group_field", "dimension", "dimension_value"),
		"korus_counter_dimension",
	),
)
