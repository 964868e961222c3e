# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

from typing import Literal

import frappe
from frappe import _
from frappe.utils import flt

from korus_crm.boundary import CheckedDocument, whitelist
from korus_crm.rules import taxes as rules


class TaxPolicy(CheckedDocument):
	"""A company's tax policy. On save it maintains an ERPNext Sales Taxes and Charges Template with
	the same rates (ERPNext applies them to offers, orders and invoices)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from korus_crm.korus_crm.doctype.tax_policy_rate.tax_policy_rate import TaxPolicyRate

		company: DF.Link
		is_default: DF.Check
		policy_name: DF.Data
		price_includes_tax: DF.Check
		rates: DF.Table[TaxPolicyRate]
		sales_taxes_template: DF.Link | None
	# end: auto-generated types

	def validate(self) -> None:
		self.validate_rates()
		self.validate_accounts()

	def on_update(self) -> None:
		self.sync_template()

	def on_trash(self) -> None:
		if self.sales_taxes_template and frappe.db.exists(
			"Sales Taxes and Charges Template", self.sales_taxes_template
		):
			frappe.db.set_value("Sales Taxes and Charges Template", self.sales_taxes_template, "disabled", 1)

	def validate_rates(self) -> None:
		if rules.invalid_rates([flt(r.rate) for r in self.rates]):
			frappe.throw(_("Tax rates must be between 0 and 100 percent."), frappe.ValidationError)

	def validate_accounts(self) -> None:
		for row in self.rates:
			company = frappe.db.get_value("Account", row.account_head, "company")
			if company != self.company:
				frappe.throw(
					_("Row {0}: account {1} does not belong to company {2}.").format(
						row.idx, frappe.bold(row.account_head), frappe.bold(self.company)
					),
					frappe.ValidationError,
				)

	def sync_template(self) -> None:
		name = (
			self.sales_taxes_template
			if self.sales_taxes_template
			and frappe.db.exists("Sales Taxes and Charges Template", self.sales_taxes_template)
			else None
		)
		template = (
			frappe.get_doc("Sales Taxes and Charges Template", name)
			if name
			else frappe.new_doc("Sales Taxes and Charges Template")
		)
		template.update(
			{"title": self.policy_name, "company": self.company, "is_default": self.is_default, "disabled": 0}
		)
		template.set("taxes", [])
		for row in self.rates:
			template.append(
				"taxes",
				{
					"charge_type": "On Net Total",
					"account_head": row.account_head,
					"description": row.description,
					"rate": row.rate,
					"included_in_print_rate": self.price_includes_tax,
				},
			)
		template.flags.ignore_permissions = True
		template.save()
		if self.sales_taxes_template != template.name:
			self.db_set("sales_taxes_template", template.name, update_modified=False)


@whitelist()
def convert(
	tax_policy: str, amount: float, direction: Literal["net_to_gross", "gross_to_net"] = "net_to_gross"
) -> dict:
	"""The gross/net calculator: `amount` converted at the policy's rates."""
	policy = frappe.get_doc("Tax Policy", tax_policy)
	policy.check_permission("read")
	rates = [flt(r.rate) for r in policy.rates]
	if direction == "net_to_gross":
		net = flt(amount)
		gross = rules.gross_from_net(net, rates)
	else:
		gross = flt(amount)
		net = rules.net_from_gross(gross, rates)
	precision = frappe.get_precision("Sales Invoice", "grand_total") or 2
	return {"net": flt(net, precision), "tax": flt(gross - net, precision), "gross": flt(gross, precision)}
