# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A customer level, with its colour and order; pool rules can differ per level."""

from korus_crm.boundary import CheckedDocument


class CustomerLevel(CheckedDocument):
	pass
