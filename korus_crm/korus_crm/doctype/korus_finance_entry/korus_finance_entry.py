# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A cost or a revenue (seed 001 Finanse; docs/finance.md): submitting it books an ERPNext Journal
Entry (korus_crm.finance.entries), cancelling it cancels that Journal Entry."""

from korus_crm.boundary import CheckedDocument
from korus_crm.finance import entries


class KorusFinanceEntry(CheckedDocument):
	def before_validate(self):
		entries.set_defaults(self)

	def validate(self):
		entries.validate_entry(self)

	def on_submit(self):
		self.db_set("journal_entry", entries.book(self), update_modified=False)

	def on_cancel(self):
		entries.cancel(self)
