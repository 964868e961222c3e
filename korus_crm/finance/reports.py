"""The figures of the Costs and Revenues and Employee Commission reports (docs/finance.md).

Each is one GROUP BY in the database (a row per branch and month, or per sales person and period),
whatever the number of entries or invoices. Script Reports do not apply permission queries: the
user's read conditions (Frappe's match conditions: user permissions, e.g. on Branch or Company) are
added to each query (korus_crm.analytics.reports.read_conditions, which also refuses a user who may
not read the doctype). The report modules run these with frappe.read_only().
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, flt

from korus_crm.analytics.reports import check_range, date_range, period_sql, read_conditions
from korus_crm.rules import finance as rules
from korus_crm.setup.finance import BASIS_FIELD

ENTRY = "`tabKorus Finance Entry`"
INVOICE = "`tabSales Invoice`"
TEAM = "`tabSales Team`"


# --- Costs and Revenues ---


def costs_and_revenues(filters) -> list[dict]:
	"""Per month and branch, the submitted costs, revenues and their result (revenues - costs)."""
	check_range(filters)
	values: dict = {"cost": rules.COST, "revenue": rules.REVENUE}
	where = f" and {ENTRY}.docstatus = 1" + date_range(f"{ENTRY}.date", filters, values)
	for name in ("company", "branch", "category"):
		if filters.get(name):
			values[name] = filters.get(name)
			where += f" and {ENTRY}.`{name}` = %({name})s"
	where += read_conditions("Korus Finance Entry")
	rows = frappe.db.sql(
		f"""select date_format({ENTRY}.date, '%%Y-%%m') as month, {ENTRY}.branch,
			sum(if({ENTRY}.kind = %(cost)s, {ENTRY}.amount, 0)) as costs,
			sum(if({ENTRY}.kind = %(revenue)s, {ENTRY}.amount, 0)) as revenues,
			count(*) as entries
		from {ENTRY}
		where 1=1{where}
		group by month, {ENTRY}.branch
		order by month, {ENTRY}.branch""",
		values,
		as_dict=True,
	)
	return [
		{
			"month": r.month,
			"branch": r.branch,
			"entries": cint(r.entries),
			"costs": flt(r.costs, 2),
			"revenues": flt(r.revenues, 2),
			"result": flt(flt(r.revenues, 2) - flt(r.costs, 2), 2),
		}
		for r in rows
	]


# --- Employee Commission ---

# the paid share of an invoice (korus_crm.rules.finance.paid_share): what is no longer outstanding of
# its total (ERPNext's outstanding is in the receivable account's currency, against the rounded total
# unless rounding is disabled)
RECEIVABLE_TOTAL_SQL = f"""(case when {INVOICE}.party_account_currency = {INVOICE}.currency
	then if({INVOICE}.disable_rounded_total = 1 or {INVOICE}.rounded_total = 0, {INVOICE}.grand_total,
		{INVOICE}.rounded_total)
	else if({INVOICE}.disable_rounded_total = 1 or {INVOICE}.base_rounded_total = 0,
		{INVOICE}.base_grand_total, {INVOICE}.base_rounded_total) end)"""
PAID_SHARE_SQL = f"""coalesce(least(1, greatest(0,
	1 - {INVOICE}.outstanding_amount / nullif({RECEIVABLE_TOTAL_SQL}, 0))), 1)"""


def commission_basis() -> str:
	basis = frappe.db.get_single_value("Korus CRM Settings", BASIS_FIELD)
	return basis if basis in rules.COMMISSION_BASES else rules.INVOICED


def commission(filters) -> tuple[list[dict], str]:
	"""Per period of the invoice's posting date and sales person: the submitted Sales Invoices they
	are in the Sales Team of, their allocated amount and ERPNext's incentives (allocated amount x
	commission rate), the paid part of the incentives (each invoice's paid share), and the commission
	earned on the basis set in Korus CRM Settings. Amounts in company currency."""
	check_range(filters)
	basis = commission_basis()
	period = filters.get("period") or "Monthly"
	values: dict = {}
	where = f" and {INVOICE}.docstatus = 1" + date_range(f"{INVOICE}.posting_date", filters, values)
	if filters.get("company"):
		values["company"] = filters.company
		where += f" and {INVOICE}.company = %(company)s"
	if filters.get("sales_person"):
		values["sales_person"] = filters.sales_person
		where += f" and {TEAM}.sales_person = %(sales_person)s"
	where += read_conditions("Sales Invoice")
	rows = frappe.db.sql(
		f"""select {period_sql(period, f"{INVOICE}.posting_date")} as period, {TEAM}.sales_person,
			count(distinct {INVOICE}.name) as invoices, sum({TEAM}.allocated_amount) as allocated,
			sum({TEAM}.incentives) as invoiced, sum({TEAM}.incentives * {PAID_SHARE_SQL}) as paid
		from {INVOICE}
		join {TEAM} on {TEAM}.parent = {INVOICE}.name and {TEAM}.parenttype = 'Sales Invoice'
		where 1=1{where}
		group by period, {TEAM}.sales_person
		order by period, {TEAM}.sales_person""",
		values,
		as_dict=True,
	)
	employees = dict(
		frappe.get_all(
			"Sales Person",
			filters={"name": ("in", list({r.sales_person for r in rows}) or [""])},
			fields=["name", "employee"],
			as_list=True,
		)
	)
	out = []
	for r in rows:
		invoiced, paid = flt(r.invoiced, 2), flt(r.paid, 2)
		out.append(
			{
				"period": r.period,
				"sales_person": r.sales_person,
				"employee": employees.get(r.sales_person),
				"invoices": cint(r.invoices),
				"allocated_amount": flt(r.allocated, 2),
				"invoiced_commission": invoiced,
				"paid_commission": paid,
				"commission": invoiced if basis == rules.INVOICED else paid,
			}
		)
	message = _("Commission earned on: {0} (Korus CRM Settings).").format(_(basis))
	return out, message
