# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A lead's conversion: written only by korus_crm.leads.conversion (Korus's Convert, and ERPNext's
own "Customer from Lead"), one per lead (its name is the lead's)."""

from korus_crm.boundary import CheckedDocument


class LeadConversion(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact: DF.Link | None
		converted_by: DF.Link | None
		converted_on: DF.Datetime
		customer: DF.Link | None
		deal: DF.Link | None
		lead: DF.Link
		lead_name: DF.Data | None
	# end: auto-generated types
