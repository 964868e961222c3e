# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A category of costs or revenues with the account its entries are booked to (docs/finance.md)."""

from korus_crm.boundary import CheckedDocument
from korus_crm.finance import entries


class KorusFinanceCategory(CheckedDocument):
	def validate(self):
		entries.validate_category(self)
