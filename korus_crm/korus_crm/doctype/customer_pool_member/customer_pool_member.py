# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A row of a Customer Pool (korus_crm.customers.pool)."""

from korus_crm.boundary import CheckedDocument


class CustomerPoolMember(CheckedDocument):
	pass
