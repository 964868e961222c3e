"""Campaigns (seed 000 "Advertisement Management") on ERPNext's Campaign and Lead Source.

- Campaign gets a channel (a Lead Source), a period, a budget and a Results panel (`fields`,
  made with Korus's other custom fields).
- Campaign is made an ERPNext Accounting Dimension with the fieldname `korus_campaign`
  (`ensure_campaign_dimension`): Purchase Invoice items, Journal Entry lines (and every other
  accounting doctype of ERPNext) carry it, and so do their General Ledger entries; a campaign's spend
  is what the ledger books to expense accounts with it. ERPNext's own Sales Order and Sales Invoice
  already carry the campaign in their `campaign` field (the won revenue is read from it).
- Accountants may pick a campaign on those documents and run the Campaign ROI report
  (`grant_campaign_permissions`); the columns the report filters on are indexed.

Every step is idempotent.
"""

from __future__ import annotations

import frappe
from erpnext.accounts.doctype.accounting_dimension.accounting_dimension import (
	make_dimension_in_accounting_doctypes,
)
from frappe.permissions import add_permission, update_permission_property

MODULE = "Korus CRM"
DOCTYPE = "Campaign"

CHANNEL_FIELD = "korus_channel"
BUDGET_FIELD = "korus_budget"
START_FIELD = "korus_start_date"
END_FIELD = "korus_end_date"
RESULTS_FIELD = "korus_results_html"

DIMENSION_FIELD = "korus_campaign"  # the campaign on ERPNext's accounting doctypes and GL Entry
DIMENSION_LABEL = "Campaign"
# the doctypes on which expenses are recorded against a campaign (checked to decide whether the
# dimension's fields still need making; ERPNext adds the field to all its accounting doctypes)
EXPENSE_DOCTYPES = ("GL Entry", "Purchase Invoice Item", "Journal Entry Account")


def fields() -> dict[str, list[dict]]:
	"""Korus's fields on Campaign (the format of korus_crm.setup.custom_fields.crm_fields)."""
	return {
		DOCTYPE: [
			{
				"fieldname": "korus_section_advertising",
				"label": "Advertising",
				"fieldtype": "Section Break",
				"insert_after": "naming_series",
			},
			{
				"fieldname": CHANNEL_FIELD,
				"label": "Channel",
				"fieldtype": "Link",
				"options": "Lead Source",
				"insert_after": "korus_section_advertising",
				"in_list_view": 1,
				"in_standard_filter": 1,
				"description": "Where the campaign runs (a Lead Source, e.g. online ads, a trade fair, a mailing).",
			},
			{
				"fieldname": BUDGET_FIELD,
				"label": "Budget",
				"fieldtype": "Currency",
				"insert_after": CHANNEL_FIELD,
				"non_negative": 1,
				"in_list_view": 1,
				"description": (
					"What the campaign may spend. Its spend is what Purchase Invoices and Journal Entries "
					"book to expense accounts with this campaign as their Campaign (an accounting dimension)."
				),
			},
			{
				"fieldname": "korus_column_break_period",
				"fieldtype": "Column Break",
				"insert_after": BUDGET_FIELD,
			},
			{
				"fieldname": START_FIELD,
				"label": "Start Date",
				"fieldtype": "Date",
				"insert_after": "korus_column_break_period",
				"in_list_view": 1,
			},
			{
				"fieldname": END_FIELD,
				"label": "End Date",
				"fieldtype": "Date",
				"insert_after": START_FIELD,
				"in_list_view": 1,
				"description": "On or after the start date.",
			},
			{
				"fieldname": "korus_section_results",
				"label": "Results",
				"fieldtype": "Section Break",
				"insert_after": END_FIELD,
			},
			{
				"fieldname": RESULTS_FIELD,
				"label": "Results",
				"fieldtype": "HTML",
				"insert_after": "korus_section_results",
			},
		]
	}


def ensure_campaign_dimension() -> str:
	"""The Campaign Accounting Dimension and its fields on ERPNext's accounting doctypes (made now,
	not left to a background job: a site without workers gets them too). Returns its fieldname: a
	site that already made Campaign a dimension keeps its own (ERPNext allows one per doctype)."""
	name = frappe.db.get_value("Accounting Dimension", {"document_type": DOCTYPE})
	if name:
		dimension = frappe.get_doc("Accounting Dimension", name)
	else:
		dimension = frappe.get_doc(
			{
				"doctype": "Accounting Dimension",
				"document_type": DOCTYPE,
				"label": DIMENSION_LABEL,
				"fieldname": DIMENSION_FIELD,
			}
		)
		dimension.insert(ignore_permissions=True)
	if any(not frappe.get_meta(d).has_field(dimension.fieldname) for d in EXPENSE_DOCTYPES):
		make_dimension_in_accounting_doctypes(doc=dimension)
	return dimension.fieldname


def dimension_field() -> str | None:
	"""The fieldname under which the General Ledger carries the campaign (None: not set up)."""
	fieldname = frappe.db.get_value(
		"Accounting Dimension", {"document_type": DOCTYPE}, "fieldname", cache=True
	)
	if fieldname and frappe.get_meta("GL Entry").has_field(fieldname):
		return fieldname
	return None


# Rights on Campaign beyond ERPNext's (Sales User reads, Sales Manager manages): accountants pick
# the campaign on Purchase Invoices and Journal Entries (a Link needs read) and run the report (its
# reference doctype is Campaign, which needs report); Korus Administrator manages campaigns
# (korus_crm.setup.roles) and runs the report; System Manager runs the report.
CAMPAIGN_PERMISSIONS: dict[str, tuple[str, ...]] = {
	"Accounts User": ("read", "report"),
	"Accounts Manager": ("read", "report"),
	"Korus Administrator": ("read", "report"),
	"System Manager": ("read", "report"),
}


def grant_campaign_permissions() -> None:
	"""Only missing rights are added (Custom DocPerm rows, as the Role Permissions Manager does)."""
	changed = False
	for role, rights in CAMPAIGN_PERMISSIONS.items():
		if not frappe.db.exists("Role", role):
			continue
		row = {"parent": DOCTYPE, "role": role, "permlevel": 0, "if_owner": 0}
		if not frappe.db.exists("Custom DocPerm", row):
			add_permission(DOCTYPE, role, 0)
			changed = True
		for right in rights:
			if not frappe.db.get_value("Custom DocPerm", row, right):
				update_permission_property(DOCTYPE, role, 0, right, 1, validate=False)
				changed = True
	if changed:
		frappe.clear_cache(doctype=DOCTYPE)


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES: the columns the Campaign ROI
# report and the campaign's form group by. The GL Entry index is made with the dimension.
CAMPAIGN_INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	("Lead", ("campaign_name", "creation"), "korus_campaign_lead"),
	("Opportunity", ("campaign", "transaction_date"), "korus_campaign_deal"),
	("Sales Invoice", ("campaign", "posting_date"), "korus_campaign_invoice"),
)


def make_campaign_indexes() -> None:
	for doctype, columns, index_name in CAMPAIGN_INDEXES:
		frappe.db.add_index(doctype, list(columns), index_name)
	fieldname = dimension_field()
	if fieldname:
		frappe.db.add_index("GL Entry", [fieldname, "posting_date"], "korus_campaign_ledger")


def ensure_campaign_setup() -> None:
	"""Install and migrate (korus_crm.setup.install.ensure_korus_setup): the dimension, the rights,
	the indexes. The fields on Campaign are made with Korus's other custom fields."""
	ensure_campaign_dimension()
	grant_campaign_permissions()
	make_campaign_indexes()


INDEXES: tuple = ()
