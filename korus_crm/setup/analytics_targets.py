"""Indexes of the per-employee statistics and the targets report (issue 12; no fields).

Each statistic is one GROUP BY over a date range (korus_crm.analytics.employees and .targets). The
indexes start with the date column, then the user column the query groups by (and the columns it
filters on): a month reads that month's index entries only, without the table rows, however many
records other months hold. ERPNext's Customer and Opportunity sort by `modified`, so `creation` has
no index of its own; Sales Invoice.posting_date and Payment Ledger Entry.posting_date are indexed by
ERPNext already.
"""

from __future__ import annotations


def fields() -> dict[str, list[dict]]:
	return {}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	# customers added (owner) and owned (account manager) in a range; new customers per month
	("Customer", ("creation", "korus_deleted", "owner", "account_manager"), "korus_stats_customer_created"),
	# opportunities created in a range, by their creator
	("Opportunity", ("creation", "korus_deleted", "owner"), "korus_stats_deal_created"),
	# opportunities of a date (transaction_date), by their owner
	("Opportunity", ("transaction_date", "korus_deleted", "opportunity_owner"), "korus_stats_deal_date"),
	# won and lost deals closed in a range, by owner and stage
	(
		"Opportunity",
		("closed_on", "korus_deleted", "opportunity_owner", "deal_stage"),
		"korus_stats_deal_closed",
	),
	# approved contract orders in a range, by owner
	("Contract Order", ("confirmed_on", "contract_owner", "docstatus"), "korus_stats_order_confirmed"),
	# follow-ups made in a range, by their author (the author-first index serves one user's list)
	("Customer Follow-up", ("followed_up_at", "followed_up_by"), "korus_stats_follow_up_time"),
	# the maintained counters of some months (columns) over every board (a user): the statistics of
	# whole months (korus_crm.analytics.employees, counts.CUSTOMERS_ADDED...)
	(
		"Board Column Count",
		("reference_doctype", "group_field", "group_value", "dimension", "dimension_value"),
		"korus_counters_by_column",
	),
)
