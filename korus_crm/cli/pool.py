"""`korus pool-return`: the customer pool's daily return job (korus_crm.customers.pool
.return_due_customers), run now, or with --dry-run the customers it would return."""

from __future__ import annotations

import datetime

import frappe
from frappe.utils import getdate, nowdate

PAGE = 500


def due_customers(today: str | datetime.date | None = None) -> list[dict]:
	"""The owned customers the return job would give back to their pool on `today`: the rows it
	reads (index korus_return_due: in pool, due date), in its order."""
	today = getdate(today or nowdate())
	out: list[dict] = []
	while True:
		rows = frappe.get_all(
			"Customer",
			filters={"korus_in_pool": 0, "korus_return_due_on": ("<=", today), "korus_deleted": 0},
			fields=["name", "customer_name", "account_manager", "korus_pool", "korus_return_due_on"],
			order_by="korus_return_due_on asc, name asc",
			limit_start=len(out),
			limit_page_length=PAGE,
		)
		out += rows
		if len(rows) < PAGE:
			return out
