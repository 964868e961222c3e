# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""The connection to the financial service; checks and Test Connection are in korus_crm.financial."""

import frappe
from frappe import _

from korus_crm.boundary import CheckedDocument
from korus_crm.financial import SECRET_FIELDS, check_settings


class FinancialInterfaceSettings(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		base_url: DF.Data | None
		client_id: DF.Data | None
		client_secret: DF.Password | None
		enabled: DF.Check
		provider: DF.Data | None
		test_mode: DF.Check
		timeout_seconds: DF.Int
		webhook_secret: DF.Password | None
	# end: auto-generated types

	def validate(self):
		check_settings(self)

	def get_password(self, fieldname="password", raise_exception=True):
		if fieldname in SECRET_FIELDS:
			frappe.throw(
				_(
					"The secrets of the financial interface cannot be read back; to change one, type the new value."
				),
				frappe.PermissionError,
			)
		return super().get_password(fieldname, raise_exception)
