"""The customer's profile as it follows from what happens to it (seed 004 客户状态: 潜在 / 开发中 /
已成交 / 失效): Potential when made, Developing at its first deal, Won at its first approved contract
order, Lapsed when a won customer has had no approved order for the time set in Korus CRM Settings.
A customer made from a lead takes the lead's source, industry and size (every conversion path:
ERPNext's own "Create Customer" and Korus's Convert make the Customer from the lead)."""

from __future__ import annotations

import datetime

import frappe
from frappe.utils import add_days, cint, getdate, nowdate

from korus_crm.customers.pool import timing_changed
from korus_crm.setup.customers import STATUSES

POTENTIAL, DEVELOPING, WON, LAPSED = STATUSES


def before_validate(doc, method=None) -> None:
	"""Customer: a new customer from a lead carries the lead's profile."""
	if not doc.is_new() or not doc.lead_name:
		return
	lead = frappe.db.get_value(
		"Lead", doc.lead_name, ["source", "industry", "no_of_employees", "lead_owner"], as_dict=True
	)
	if not lead:
		return
	doc.korus_source = doc.korus_source or lead.source
	doc.industry = doc.industry or lead.industry
	if not doc.korus_company_size and lead.no_of_employees:
		doc.korus_company_size = lead.no_of_employees
	# the lead's owner keeps the customer they converted (unless it was given one)
	doc.account_manager = doc.account_manager or lead.lead_owner


def deal_created(doc, method=None) -> None:
	"""Opportunity after_insert: the customer's last deal, and Developing if it was Potential."""
	if doc.opportunity_from != "Customer" or not doc.party_name:
		return
	on = getdate(doc.transaction_date or nowdate())
	last = frappe.db.get_value("Customer", doc.party_name, "korus_last_deal_on")
	timing_changed(doc.party_name, korus_last_deal_on=max(on, getdate(last)) if last else on)
	frappe.db.set_value(
		"Customer",
		{"name": doc.party_name, "korus_status": POTENTIAL},
		"korus_status",
		DEVELOPING,
		update_modified=False,
	)


def order_approved(doc, method=None) -> None:
	"""Contract Order on_submit (approval): the customer's last order, and Won."""
	if not doc.customer:
		return
	on = getdate(nowdate())
	timing_changed(doc.customer, korus_last_order_on=on)
	frappe.db.set_value("Customer", doc.customer, "korus_status", WON, update_modified=False)
	# the return date depends on the status (a pool rule may leave won customers out)
	timing_changed(doc.customer)


def lapse_customers(today: str | datetime.date | None = None) -> int:
	"""Daily: won customers without an approved order for the configured days become Lapsed (reads
	index korus_status_last_order: status, last order)."""
	days = cint(frappe.db.get_single_value("Korus CRM Settings", "customer_lapse_days"))
	if days <= 0:
		return 0
	before = add_days(getdate(today or nowdate()), -days)
	names = frappe.db.sql(
		"""select name from `tabCustomer` where korus_status = %s and korus_last_order_on < %s""",
		(WON, before),
		pluck=True,
	)
	for name in names:
		frappe.db.set_value("Customer", name, "korus_status", LAPSED, update_modified=False)
		timing_changed(name)
	frappe.db.commit()
	return len(names)
