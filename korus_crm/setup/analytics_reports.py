"""The analytics reports (docs/reports.md): the deal's commit flag of the forecast, and the indexes
the reports' GROUP BYs read (ERPNext and Frappe index none of these columns).

Each index leads with the column a report ranges over (a date, or the stage and a date) and holds
the columns it groups and sums, so that the common reads are answered from the index alone.
"""

from __future__ import annotations

COMMIT_FIELD = "korus_forecast_commit"


def fields() -> dict[str, list[dict]]:
	return {
		"Opportunity": [
			{
				"fieldname": COMMIT_FIELD,
				"label": "Commit to Forecast",
				"fieldtype": "Check",
				"default": "0",
				"insert_after": "expected_closing",
				"description": "Counted in the forecast's commit whatever its stage's probability.",
			},
		],
	}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	# Deal Stage Duration: stays begun in the period, per stage (and owner), with or without a pipeline
	(
		"Deal Stage History",
		("entered_at", "to_stage", "left_at", "deal_owner", "deal"),
		"korus_stay_entered",
	),
	(
		"Deal Stage History",
		("pipeline", "entered_at", "to_stage", "left_at", "deal_owner", "deal"),
		"korus_stay_pipeline_entered",
	),
	# the stays still open, begun in a range (closed ones are read from their maintained totals,
	# korus_crm.analytics.stays)
	(
		"Deal Stage History",
		("left_at", "entered_at", "to_stage", "deal_owner", "deal"),
		"korus_stay_open",
	),
	# the maintained stays of some months, over every owner (korus_crm.analytics.stays.read_open):
	# a range of days within one dimension value
	(
		"Board Column Count",
		("reference_doctype", "group_field", "dimension", "dimension_value", "group_value"),
		"korus_counters_dimension_column",
	),
	# a deal's labels (Frappe's tags): ERPNext and Frappe index neither column
	("Tag Link", ("document_type", "document_name", "tag"), "korus_tag_document"),
	# Deal Forecast: open deals per stage and month of expected close; won deals per month closed;
	# Lost Reasons: lost deals per month closed
	(
		"Opportunity",
		(
			"deal_stage",
			"expected_closing",
			"deal_pipeline",
			"base_opportunity_amount",
			"probability",
			COMMIT_FIELD,
		),
		"korus_forecast",
	),
	("Opportunity", ("deal_stage", "closed_on", "base_opportunity_amount"), "korus_deal_closed"),
	# Fulfilment Statistics and Order Value Analysis: approved orders by date
	("Contract Order", ("docstatus", "sign_date"), "korus_order_signed"),
	# Lead Conversion Time: conversions by date
	("Lead Conversion", ("converted_on", "lead"), "korus_conversion_date"),
)
