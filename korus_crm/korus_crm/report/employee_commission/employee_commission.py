# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""Employee Commission (seed 001 Zamówienia: prowizja): per period and sales person, ERPNext's
incentives of the Sales Team on submitted Sales Invoices, earned on invoiced or on paid as set in
Korus CRM Settings. Figures: korus_crm.finance.reports."""

from datetime import date
from typing import Literal

import frappe
from frappe import _

from korus_crm.boundary import report_filters
from korus_crm.finance.reports import commission

FILTERS = {
	"company": str | None,
	"from_date": date | None,
	"to_date": date | None,
	"sales_person": str | None,
	"period": Literal["Monthly", "Quarterly", "Yearly"] | None,
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, **FILTERS)
	data, message = commission(filters)
	return columns(), data, message


def columns() -> list[dict]:
	return [
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "sales_person",
			"label": _("Sales Person"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 160,
		},
		{
			"fieldname": "employee",
			"label": _("Employee"),
			"fieldtype": "Link",
			"options": "Employee",
			"width": 130,
		},
		{"fieldname": "invoices", "label": _("Invoices"), "fieldtype": "Int", "width": 80},
		{
			"fieldname": "allocated_amount",
			"label": _("Allocated Amount"),
			"fieldtype": "Currency",
			"width": 130,
		},
		{
			"fieldname": "invoiced_commission",
			"label": _("Commission on Invoiced"),
			"fieldtype": "Currency",
			"width": 150,
		},
		{
			"fieldname": "paid_commission",
			"label": _("Commission on Paid"),
			"fieldtype": "Currency",
			"width": 150,
		},
		{"fieldname": "commission", "label": _("Commission Earned"), "fieldtype": "Currency", "width": 150},
	]
