# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A role's data scope (korus_crm.rules.scope): its default, and per kind of record."""

import frappe
from frappe import _

from korus_crm import scope
from korus_crm.boundary import CheckedDocument
from korus_crm.rules.scope import SCOPED


class KorusRoleScope(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from korus_crm.korus_crm.doctype.korus_role_scope_rule.korus_role_scope_rule import KorusRoleScopeRule

		default_scope: DF.Literal["Own", "Department", "Department and Below", "Branch", "All"]
		description: DF.SmallText | None
		role: DF.Link
		rules: DF.Table[KorusRoleScopeRule]
	# end: auto-generated types

	def validate(self) -> None:
		seen = set()
		for row in self.rules:
			if row.document_type not in SCOPED:
				frappe.throw(
					_("{0} is not read by data scope. Choose one of: {1}").format(
						frappe.bold(row.document_type), ", ".join(_(d) for d in SCOPED)
					),
					frappe.ValidationError,
				)
			if row.document_type in seen:
				frappe.throw(
					_("{0} is set twice.").format(frappe.bold(_(row.document_type))), frappe.ValidationError
				)
			seen.add(row.document_type)

	def on_update(self) -> None:
		scope.forget()

	def on_trash(self) -> None:
		scope.forget()
