# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A text document written in the desk (korus_crm.office.documents: who reads it, templates,
files). A new document with a template and no text yet takes the template filled in with its linked
record."""

import frappe
from frappe import _

from korus_crm.boundary import CheckedDocument
from korus_crm.office import documents


class KorusDocument(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from korus_crm.korus_crm.doctype.korus_document_role.korus_document_role import KorusDocumentRole

		content: DF.TextEditor | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		shared_with_roles: DF.TableMultiSelect[KorusDocumentRole]
		template: DF.Link | None
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		self.title = (self.title or "").strip()
		if not self.title:
			frappe.throw(_("Give the document a title."), frappe.MandatoryError)
		self.reference_doctype = self.reference_doctype or None
		self.reference_name = self.reference_name or None
		documents.check_link(self.reference_doctype, self.reference_name)
		if self.reference_name:
			self.set("shared_with_roles", [])  # a linked document is read as its record is
		if self.is_new() and self.template and not (self.content or "").strip():
			self.fill_in_template()

	def fill_in_template(self):
		template = documents.template_for(self.template, self.reference_doctype)
		self.content = documents.fill_in(
			template.content, documents.template_context(self.reference_doctype, self.reference_name)
		)


def on_doctype_update():
	"""The "Documents" view of a record reads its documents by (reference_doctype, reference_name)."""
	frappe.db.add_index("Korus Document", ["reference_doctype", "reference_name"])
