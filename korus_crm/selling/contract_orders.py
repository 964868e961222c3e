"""Contract orders and the ERPNext documents behind them (docs/quote-to-cash.md):
made from an accepted offer or a won deal; on approval, ERPNext's Sales Order and Sales Invoice
(the receivable) are made with ERPNext's own mappers and submitted; fulfilment is read back."""

from __future__ import annotations

import frappe
from erpnext.selling.doctype.quotation.quotation import make_sales_order as quotation_to_sales_order
from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice
from frappe import _
from frappe.utils import flt, nowdate

from korus_crm.boards.pipeline_config import get_pipeline
from korus_crm.exceptions import DealInUseError, FulfilmentExistsError
from korus_crm.rules.scope import BRANCH_FIELD
from korus_crm.selling import pricing
from korus_crm.setup.finance import TEAM_FIELD

DOCTYPE = "Contract Order"


# --- making contract orders ---


def accept_offer(offer) -> str:
	"""An accepted offer: a draft Contract Order from it, and its deal to the won stage."""
	order = make_from_offer(offer)
	offer.db_set("contract_order", order, update_modified=False)
	if offer.opportunity:
		move_deal_to_won(offer.opportunity)
	return order


def make_from_offer(offer) -> str:
	existing = frappe.db.get_value(DOCTYPE, {"price_offer": offer.name, "docstatus": ("<", 2)})
	if existing:
		return existing
	quotation = frappe.get_doc("Quotation", offer.quotation)
	customer = offer.party_name if offer.quotation_to == "Customer" else customer_of_lead(offer.party_name)
	return insert_order(
		title=offer.title,
		customer=customer,
		company=offer.company,
		opportunity=offer.opportunity,
		currency=offer.currency,
		items=quotation.items,
		price_offer=offer.name,
		tax_policy=offer.tax_policy,
		terms=offer.terms,
	)


def insert_order(*, title, customer, company, opportunity, currency, items, **more) -> str:
	"""A draft Contract Order with these lines (item, quantity and agreed rate of each)."""
	owner = frappe.db.get_value("Opportunity", opportunity, "opportunity_owner") if opportunity else None
	order = frappe.get_doc(
		{
			"doctype": DOCTYPE,
			"title": title,
			"customer": customer,
			"company": company,
			"opportunity": opportunity,
			"contract_owner": owner or frappe.session.user,
			"currency": currency,
			"sign_date": nowdate(),
			"effective_date": nowdate(),
			"items": [{"item_code": i.item_code, "qty": i.qty, "rate": i.rate} for i in items],
			**more,
		}
	)
	order.flags.ignore_permissions = True
	order.insert()
	return order.name


def customer_of_lead(lead: str) -> str:
	customer = frappe.db.get_value("Lead Conversion", lead, "customer") or frappe.db.get_value(
		"Customer", {"lead_name": lead}
	)
	if not customer:
		frappe.throw(
			_("Lead {0} is not a customer yet: convert it before its offer is accepted.").format(
				frappe.bold(lead)
			),
			frappe.ValidationError,
		)
	return customer


def ensure_for_won_deal(deal) -> str | None:
	"""A deal in a won stage gets a draft Contract Order (seed 003: a won entry becomes an order),
	from its accepted offer if it has one; once per deal. A deal whose party is still a lead, or
	without items, gets none."""
	if frappe.db.exists(DOCTYPE, {"opportunity": deal.name, "docstatus": ("<", 2)}):
		return None
	offer = frappe.db.get_value(
		"Price Offer",
		{"opportunity": deal.name, "status": "Accepted", "docstatus": 1},
		"name",
		order_by="modified desc",
	)
	if offer:
		return make_from_offer(frappe.get_doc("Price Offer", offer))
	if deal.opportunity_from != "Customer" or not deal.get("items"):
		return None
	return insert_order(
		title=deal.title,
		customer=deal.party_name,
		company=deal.company,
		opportunity=deal.name,
		currency=deal.currency,
		items=deal.items,
	)


def move_deal_to_won(deal_name: str) -> None:
	deal = frappe.get_doc("Opportunity", deal_name)
	pipeline = get_pipeline(deal.deal_pipeline)
	won = pipeline.won_stage if pipeline else None
	if won and deal.deal_stage != won.docname:
		deal.deal_stage = won.docname
		deal.flags.ignore_permissions = True
		deal.save()


def delete_drafts_of_deal(deal: str) -> None:
	"""A deal being deleted: its draft contract orders (made when it was won) go with it; an approved
	one keeps the deal."""
	orders = frappe.get_all(
		DOCTYPE, filters={"opportunity": deal, "docstatus": ("<", 2)}, fields=["name", "docstatus"]
	)
	approved = [o.name for o in orders if o.docstatus == 1]
	if approved:
		frappe.throw(
			_("Deal {0} has the approved contract order {1} and cannot be deleted.").format(
				frappe.bold(deal), ", ".join(approved)
			),
			DealInUseError,
		)
	for order in orders:
		frappe.delete_doc(DOCTYPE, order.name, ignore_permissions=True, force=True)


# --- pricing a contract order (ERPNext's Sales Order engine) ---


def build_sales_order(order):
	"""The Sales Order the contract order stands for, unsaved: from the offer's Quotation with
	ERPNext's mapper when the order came from an offer and kept its lines, else from the order's
	own lines priced by ERPNext."""
	if order.price_offer and lines_match_offer(order):
		quotation = frappe.db.get_value("Price Offer", order.price_offer, "quotation")
		if quotation and frappe.db.get_value("Quotation", quotation, "docstatus") == 1:
			# ERPNext's own mapper, with ERPNext's own checks (the approver may make Sales Orders)
			sales_order = quotation_to_sales_order(quotation)
			sales_order.delivery_date = order.effective_date
			for row in sales_order.items:
				row.delivery_date = row.delivery_date or order.effective_date
			sales_order.transaction_date = nowdate()
			sales_order.payment_terms_template = order.payment_terms_template
			return with_sales_team(sales_order, order)
	sales_order = frappe.new_doc("Sales Order")
	sales_order.update(
		{
			"customer": order.customer,
			"company": order.company,
			"currency": order.currency,
			"transaction_date": nowdate(),
			"delivery_date": order.effective_date,
			"payment_terms_template": order.payment_terms_template,
			"contact_person": order.contact_person,
			"campaign": frappe.db.get_value("Opportunity", order.opportunity, "campaign")
			if order.opportunity
			else None,
		}
	)
	for line in order.items:
		line.delivery_date = line.delivery_date or order.effective_date
	pricing.fill_lines(sales_order, order.items, "rate")
	pricing.set_taxes(sales_order, order.tax_policy)
	return with_sales_team(sales_order, order)


def with_sales_team(sales_order, order):
	if not sales_order.get("sales_team"):
		sales_order.set("sales_team", sales_team_for(order))
	return sales_order


# --- the sales team and its commission (ERPNext's Sales Team; docs/finance.md) ---


def fill_sales_team(order) -> None:
	"""An order without a sales team gets its owner's Sales Person at 100 % with the Sales Person's
	commission rate; the user may change or split it before approval."""
	if order.meta.has_field(TEAM_FIELD) and not order.get(TEAM_FIELD):
		order.set(TEAM_FIELD, owners_team(order.contract_owner))


def sales_team_for(order) -> list[dict]:
	"""The Sales Order's team: the order's own (its Sales Team table), else the owner's Sales Person
	(ERPNext's Sales Person targets, reports and commission read the team)."""
	if order.meta.has_field(TEAM_FIELD) and order.get(TEAM_FIELD):
		return [
			{
				"sales_person": row.sales_person,
				"allocated_percentage": row.allocated_percentage,
				"commission_rate": commission_rate(row.sales_person),
			}
			for row in order.get(TEAM_FIELD)
		]
	return owners_team(order.contract_owner)


def owners_team(user: str | None) -> list[dict]:
	from korus_crm.analytics.targets import sales_team_of

	return [{**row, "commission_rate": commission_rate(row["sales_person"])} for row in sales_team_of(user)]


def commission_rate(sales_person: str | None):
	"""The Sales Person's commission rate, as ERPNext's Sales Team fetches it."""
	return frappe.db.get_value("Sales Person", sales_person, "commission_rate") if sales_person else None


def lines_match_offer(order) -> bool:
	quotation = frappe.db.get_value("Price Offer", order.price_offer, "quotation")
	if not quotation:
		return False
	offered = sorted(
		(r.item_code, flt(r.qty), flt(r.rate, 6))
		for r in frappe.get_all(
			"Quotation Item", filters={"parent": quotation}, fields=["item_code", "qty", "rate"]
		)
	)
	ordered = sorted((r.item_code, flt(r.qty), flt(r.rate, 6)) for r in order.items)
	return offered == ordered


def price_order(order) -> None:
	"""Copy ERPNext's figures onto the contract order (its lines' amounts, the totals, and its sales
	team's allocated amounts and incentives)."""
	fill_sales_team(order)
	sales_order = build_sales_order(order)
	sales_order.run_method("calculate_taxes_and_totals")
	for row, line in zip(sales_order.items, order.items, strict=True):
		line.rate = row.rate
		line.amount = row.amount
	if order.meta.has_field(TEAM_FIELD):
		for member, row in zip(sales_order.get("sales_team"), order.get(TEAM_FIELD), strict=False):
			row.allocated_amount = member.allocated_amount
			row.incentives = member.incentives
	order.net_total = sales_order.net_total
	order.grand_total = sales_order.grand_total
	order.currency = order.currency or sales_order.currency


# --- approval: the ERPNext documents ---


def make_sales_documents(order) -> None:
	"""Approval: the Sales Order is made and submitted; with invoicing on approval (the default),
	the Sales Invoice too, with the contract's payment terms: the receivable exists. Both carry the
	order's branch (an Accounting Dimension), and so do their ledger entries."""
	sales_order = build_sales_order(order)  # with the order's sales team (sales_team_for)
	if sales_order.meta.has_field(BRANCH_FIELD) and order.get(BRANCH_FIELD):
		sales_order.set(BRANCH_FIELD, order.get(BRANCH_FIELD))
	sales_order.flags.ignore_permissions = True
	sales_order.insert()
	sales_order.submit()
	order.db_set("sales_order", sales_order.name, update_modified=False)
	if invoice_on_approval():
		order.db_set(
			"sales_invoice",
			make_invoice(sales_order.name, order.payment_terms_template),
			update_modified=False,
		)


def make_invoice(sales_order: str, payment_terms_template: str | None) -> str:
	return submit_invoice(make_sales_invoice(sales_order, ignore_permissions=True), payment_terms_template)


def submit_invoice(invoice, payment_terms_template: str | None) -> str:
	"""A Sales Invoice made by ERPNext's mapper (from the Sales Order, or from a Delivery Note), with
	the contract's payment terms, submitted: the receivable exists."""
	if payment_terms_template:
		invoice.payment_terms_template = payment_terms_template
		invoice.set("payment_schedule", [])
	invoice.flags.ignore_permissions = True
	invoice.insert()
	invoice.submit()
	return invoice.name


def invoice_on_approval() -> bool:
	return (frappe.db.get_single_value("Korus CRM Settings", "invoicing") or "On Approval") == "On Approval"


def cancel_sales_documents(order) -> None:
	"""Cancel what the approval made (invoices, then the Sales Order), or refuse with the reason when
	ERPNext has recorded what cannot be undone from here (a payment, a delivery)."""
	if not order.sales_order:
		return
	invoices = invoices_of(order.sales_order)
	payments = payments_of(invoices)
	if payments:
		frappe.throw(
			_(
				"Contract Order {0} cannot be cancelled: payments {1} were received against its invoice. Cancel them first."
			).format(frappe.bold(order.name), ", ".join(payments)),
			FulfilmentExistsError,
		)
	deliveries = deliveries_of(order.sales_order)
	if deliveries:
		frappe.throw(
			_(
				"Contract Order {0} cannot be cancelled: goods were delivered ({1}). Cancel the deliveries first."
			).format(frappe.bold(order.name), ", ".join(deliveries)),
			FulfilmentExistsError,
		)
	for name in invoices:
		invoice = frappe.get_doc("Sales Invoice", name)
		invoice.flags.ignore_permissions = True
		invoice.cancel()
	sales_order = frappe.get_doc("Sales Order", order.sales_order)
	if sales_order.docstatus == 1:
		sales_order.flags.ignore_permissions = True
		sales_order.cancel()


def invoices_of(sales_order: str) -> list[str]:
	return sorted(
		set(
			frappe.get_all(
				"Sales Invoice Item", filters={"sales_order": sales_order, "docstatus": 1}, pluck="parent"
			)
		)
	)


def deliveries_of(sales_order: str) -> list[str]:
	return sorted(
		set(
			frappe.get_all(
				"Delivery Note Item",
				filters={"against_sales_order": sales_order, "docstatus": 1},
				pluck="parent",
			)
		)
	)


def payments_of(invoices: list[str]) -> list[str]:
	if not invoices:
		return []
	return sorted(
		set(
			frappe.get_all(
				"Payment Entry Reference",
				filters={
					"reference_doctype": "Sales Invoice",
					"reference_name": ("in", invoices),
					"docstatus": 1,
				},
				pluck="parent",
			)
		)
	)


# --- fulfilment, read from ERPNext ---


def fulfilment(order) -> dict:
	"""Delivered %, billed %, received and outstanding, read from ERPNext's documents now, as the
	user may read them (docs/permissions.md): the percentages come from the Sales Order; amounts,
	invoices and payments only from what the user may open (a Sales User may open none of them in
	ERPNext: the amounts are then None and the counts of hidden documents are given)."""
	if not order.sales_order or not frappe.has_permission("Sales Order", "read", doc=order.sales_order):
		return {}
	so = frappe.db.get_value(
		"Sales Order",
		order.sales_order,
		["per_delivered", "per_billed", "grand_total", "currency", "status"],
		as_dict=True,
	)
	invoices, hidden_invoices = readable("Sales Invoice", invoices_of(order.sales_order))
	payments, hidden_payments = readable("Payment Entry", payments_of(invoices_of(order.sales_order)))
	deliveries, hidden_deliveries = readable("Delivery Note", deliveries_of(order.sales_order))
	money = {"invoiced": None, "received": None, "outstanding": None}
	if not hidden_invoices:
		billed = frappe.get_all(
			"Sales Invoice",
			filters={"name": ("in", invoices or [""])},
			fields=["grand_total", "outstanding_amount"],
		)
		invoiced = sum(flt(i.grand_total) for i in billed)
		outstanding = sum(flt(i.outstanding_amount) for i in billed)
		money = {"invoiced": invoiced, "received": invoiced - outstanding, "outstanding": outstanding}
	return {
		"sales_order": order.sales_order,
		"sales_order_status": so.status,
		"per_delivered": flt(so.per_delivered),
		"per_billed": flt(so.per_billed),
		**money,
		"currency": so.currency,
		"invoices": invoices,
		"deliveries": deliveries,
		"payments": payments,
		"hidden": {
			"Sales Invoice": hidden_invoices,
			"Delivery Note": hidden_deliveries,
			"Payment Entry": hidden_payments,
		},
	}


def readable(doctype: str, names: list[str]) -> tuple[list[str], int]:
	"""The documents the user may open, and how many others there are."""
	shown = [name for name in names if frappe.has_permission(doctype, "read", doc=name)]
	return shown, len(names) - len(shown)
