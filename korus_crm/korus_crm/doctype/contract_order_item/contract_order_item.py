# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ContractOrderItem(Document):
	pass
