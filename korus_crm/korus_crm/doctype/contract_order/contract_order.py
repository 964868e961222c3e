# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A contract order (seed 004 合同订单): approval makes ERPNext's Sales Order and the receivable."""

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.utils import getdate, now_datetime

from korus_crm import approvals
from korus_crm.boundary import CheckedDocument, whitelist
from korus_crm.exceptions import ApprovedOrderLockedError
from korus_crm.rules import locked_records
from korus_crm.selling import contract_orders as selling


class ContractOrder(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from korus_crm.korus_crm.doctype.contract_order_item.contract_order_item import ContractOrderItem

		amended_from: DF.Link | None
		company: DF.Link
		confirmed_by: DF.Link | None
		confirmed_on: DF.Datetime | None
		contact_person: DF.Link | None
		contract_owner: DF.Link | None
		currency: DF.Link | None
		customer: DF.Link
		effective_date: DF.Date
		expiry_date: DF.Date | None
		grand_total: DF.Currency
		items: DF.Table[ContractOrderItem]
		naming_series: DF.Literal["KOR-CO-.YYYY.-"]
		net_total: DF.Currency
		opportunity: DF.Link | None
		payment_terms_template: DF.Link | None
		price_offer: DF.Link | None
		sales_invoice: DF.Link | None
		sales_order: DF.Link | None
		sign_date: DF.Date
		signature: DF.Signature | None
		status: DF.Literal["Draft", "Pending Approval", "Approved", "Rejected", "Cancelled"]
		tax_policy: DF.Link | None
		terms: DF.TextEditor | None
		title: DF.Data | None
	# end: auto-generated types

	def onload(self) -> None:
		self.set_onload("fulfilment", selling.fulfilment(self))
		self.set_onload("actions", approvals.available_actions(self) if not self.is_new() else [])

	def validate(self) -> None:
		self._validate_mandatory()  # ERPNext prices the order below: what it needs must be there first
		self.title = self.title or self.customer
		self.validate_dates()
		if self.docstatus == 0:
			approvals.guard(self)
		selling.price_order(self)

	def before_submit(self) -> None:
		approvals.state_on_submit(self)
		approvals.guard(self)
		self.confirmed_by = frappe.session.user
		self.confirmed_on = now_datetime()

	def on_submit(self) -> None:
		selling.make_sales_documents(self)

	def before_update_after_submit(self) -> None:
		approvals.guard(self)
		self.refuse_changes_once_approved()

	def before_cancel(self) -> None:
		approvals.state_on_cancel(self)
		approvals.guard(self)

	def on_cancel(self) -> None:
		selling.cancel_sales_documents(self)

	def refuse_changes_once_approved(self) -> None:
		"""An approved order (docstatus 1) cannot be changed by anyone, whatever the field: standard,
		"allow on submit", or a custom field added later (seed 003). Korus's own follow-ups after the
		approval (its Sales Order and Sales Invoice) are written without a save; the order's way out is
		its cancellation."""
		before = self.get_doc_before_save()
		if before is None:
			return
		changed = locked_records.changed_fields(*self.lockable_values(before))
		if changed:
			labels = ", ".join(_(self.meta.get_label(f)) for f in changed)
			frappe.throw(
				_(
					"An approved contract order cannot be changed (tried: {0}). Cancel it and amend a copy instead."
				).format(labels),
				ApprovedOrderLockedError,
				title=_("Approved order"),
			)

	def lockable_values(self, before) -> tuple[dict, dict, list[str], dict[str, list[str]]]:
		"""Both versions' values of every field (cast as the database holds them), and the tables with
		their rows' fields."""
		fields = [df for df in self.meta.fields if df.fieldtype not in no_value_fields]
		plain = [df.fieldname for df in fields if df.fieldtype not in table_fields]
		tables = {
			df.fieldname: [
				child.fieldname
				for child in frappe.get_meta(df.options).fields
				if child.fieldtype not in no_value_fields
			]
			for df in fields
			if df.fieldtype in table_fields
		}

		def values(doc) -> dict:
			out = {f: doc.get_value(f) for f in plain}
			for table, row_fields in tables.items():
				out[table] = [
					{"name": row.name, **{f: row.get_value(f) for f in row_fields}} for row in doc.get(table)
				]
			return out

		return values(before), values(self), plain, tables

	def validate_dates(self) -> None:
		if self.expiry_date and getdate(self.expiry_date) < getdate(self.effective_date):
			frappe.throw(_("The contract cannot end before it starts."), frappe.ValidationError)


@whitelist()
def get_fulfilment(contract_order: str) -> dict:
	doc = frappe.get_doc("Contract Order", contract_order)
	doc.check_permission("read")
	return selling.fulfilment(doc)
