# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Forecast per month of expected close (company currency): open deals' best case (their value),
weighted by stage probability, and commit (deals at or above the commit probability, or flagged);
beside them the value won in the month and the Order Value target (docs/reports.md). Figures:
korus_crm.analytics.reports.forecast."""

from datetime import date
from typing import Annotated

import frappe
from frappe import _

from korus_crm.analytics.reports import forecast
from korus_crm.boundary import Between, report_filters

FILTERS = {
	"pipeline": str | None,
	"from_date": date | None,
	"to_date": date | None,
	"commit_probability": Annotated[int, Between(0, 100)] | None,
	"company": str | None,
	"department": str | None,
	"employee": str | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	data, message = forecast(filters)
	return columns(), data, message, chart(data)


def columns() -> list[dict]:
	def money(fieldname: str, label: str) -> dict:
		return {"fieldname": fieldname, "label": label, "fieldtype": "Currency", "width": 140}

	return [
		{"fieldname": "month", "label": _("Expected Close"), "fieldtype": "Data", "width": 120},
		{"fieldname": "deals", "label": _("Open Deals"), "fieldtype": "Int", "width": 100},
		money("best_case", _("Best Case")),
		money("weighted", _("Weighted Value")),
		money("commit", _("Commit")),
		money("won", _("Won")),
		money("target", _("Target")),
		{"fieldname": "won_rate", "label": _("Won of Target (%)"), "fieldtype": "Percent", "width": 130},
		{
			"fieldname": "commit_rate",
			"label": _("Won and Commit of Target (%)"),
			"fieldtype": "Percent",
			"width": 170,
		},
	]


def chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	datasets = [
		{"name": label, "values": [r[field] or 0 for r in data]}
		for field, label in (
			("won", _("Won")),
			("commit", _("Commit")),
			("weighted", _("Weighted Value")),
			("best_case", _("Best Case")),
			("target", _("Target")),
		)
	]
	return {
		"data": {"labels": [r["month"] for r in data], "datasets": datasets},
		"type": "bar",
		"fieldtype": "Currency",
	}
