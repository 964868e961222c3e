"""Custom fields and indexes of costs, revenues and commission (issue 14; docs/finance.md).

- Contract Order gets ERPNext's Sales Team table (`korus_sales_team`), prefilled from the owner's
  Sales Person (korus_crm.selling.contract_orders.fill_sales_team); its Sales Order takes it.
- Korus CRM Settings gets the commission basis: earned on invoiced or on paid.
- The Costs and Revenues report reads the submitted entries of a period: index (docstatus, date).
"""

from __future__ import annotations

from korus_crm.rules.finance import COMMISSION_BASES, INVOICED

TEAM_FIELD = "korus_sales_team"
BASIS_FIELD = "korus_commission_basis"


def fields() -> dict[str, list[dict]]:
	return {
		"Contract Order": [
			{
				"fieldname": "korus_sales_team_section",
				"label": "Sales Team and Commission",
				"fieldtype": "Section Break",
				"insert_after": "grand_total",
				"collapsible": 1,
			},
			{
				"fieldname": TEAM_FIELD,
				"label": "Sales Team",
				"fieldtype": "Table",
				"options": "Sales Team",
				"insert_after": "korus_sales_team_section",
				"description": "Who is credited with the order and their commission rate (from the Sales Person). Prefilled with the owner's Sales Person; the Sales Order and Sales Invoice take it.",
			},
		],
		"Korus CRM Settings": [
			{
				"fieldname": "korus_commission_section",
				"label": "Commission",
				"fieldtype": "Section Break",
				"insert_after": "customer_lapse_days",
			},
			{
				"fieldname": BASIS_FIELD,
				"label": "Commission Earned On",
				"fieldtype": "Select",
				"options": "\n".join(COMMISSION_BASES),
				"default": INVOICED,
				"insert_after": "korus_commission_section",
				"description": "Invoiced: a sales person earns their whole commission when the invoice is submitted. Paid: the share of it the customer has paid.",
			},
		],
	}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	# the Costs and Revenues report: the submitted entries of a period
	("Korus Finance Entry", ("docstatus", "date"), "korus_finance_entry_date"),
)
