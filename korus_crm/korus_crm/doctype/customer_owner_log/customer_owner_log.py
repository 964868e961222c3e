# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""One change of a customer's owner (korus_crm.customers.pool writes it; nobody edits it)."""

import frappe

from korus_crm.boundary import CheckedDocument


class CustomerOwnerLog(CheckedDocument):
	pass


def on_doctype_update() -> None:
	# a user's claims today (the daily limit), a customer's log, a previous owner's last release
	frappe.db.add_index("Customer Owner Log", ["to_user", "action", "creation"], "korus_claims_by_user")
	frappe.db.add_index("Customer Owner Log", ["customer", "creation"], "korus_customer_log")
