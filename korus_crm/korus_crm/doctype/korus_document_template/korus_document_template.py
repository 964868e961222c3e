# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A template of text documents: rich text with Jinja fields of the linked record, checked when it
is saved (korus_crm.office.documents.check_template), so that a document made from it never fails
on a malformed template."""

import frappe
from frappe import _

from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import DocumentLinkError
from korus_crm.office import documents
from korus_crm.rules.documents import LINKABLE


class KorusDocumentTemplate(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		content: DF.TextEditor | None
		description: DF.SmallText | None
		enabled: DF.Check
		reference_doctype: DF.Link | None
		template_name: DF.Data
	# end: auto-generated types

	def validate(self):
		self.template_name = (self.template_name or "").strip()
		if self.reference_doctype and self.reference_doctype not in LINKABLE:
			frappe.throw(
				_("A template can be for leads, deals, customers or contract orders, not for {0}.").format(
					frappe.bold(_(self.reference_doctype))
				),
				DocumentLinkError,
			)
		documents.check_template(self.content, self.reference_doctype)
