"""The customer's detail page (seed 004 客户详情): what the customer form shows above its fields.

`overview(customer)` answers, for a customer the user may read, one section per kind of record
about it (contacts, follow-ups, scheduled contacts, deals, price offers, contract orders,
receivables, tasks, attachments), each with its count and its first rows, the activity feed and
the ownership log, and which quick actions the user may take (korus_crm/public/js/customer.js).

Every section is read with `frappe.get_list`, so the user's permissions and data scope apply: a
Sales User whose scope is Own counts and sees only the deals, offers and orders they own, and a
kind of record the user may not read at all is marked `restricted` (no count, no rows). A count is
a second query only when the first page is full. The feed is Frappe's own timeline (comments,
changes and emails) of the customer and of its latest deals and orders that the user may read,
read as Frappe's form does (the records' read permission is the gate), latest first, capped.
"""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt, getdate, nowdate, strip_html

from korus_crm.boundary import whitelist
from korus_crm.customers import pool
from korus_crm.customers.following import is_following

ROWS = 5  # the first rows of each section
FEED = 20  # the latest entries of the activity feed
FEED_RECORDS = 20  # the latest deals and orders whose timeline joins the customer's


@whitelist(methods=["GET", "POST"])
def overview(customer: str) -> dict:
	if not frappe.db.exists("Customer", customer):
		frappe.throw(
			_("Customer {0} not found.").format(frappe.bold(escape_html(customer))), frappe.DoesNotExistError
		)
	if not frappe.has_permission("Customer", "read", doc=customer):
		frappe.throw(_("You may not see customer {0}.").format(frappe.bold(customer)), frappe.PermissionError)
	doc = frappe.get_doc("Customer", customer)
	sections = [
		section
		for section in (
			contacts(customer),
			follow_ups(customer),
			scheduled_contacts(customer),
			deals(customer),
			price_offers(customer),
			contract_orders(customer),
			receivables(customer),
			tasks(customer),
			attachments(customer),
		)
		if section is not None
	]
	return {
		"customer": customer,
		"profile": profile(doc),
		"sections": sections,
		"feed": feed(customer),
		"owner_log": owner_log(customer),
		"actions": actions(doc),
	}


# --- sections ---


def section(
	key: str,
	label: str,
	doctype: str,
	filters: list | dict,
	fields: list[str],
	order_by: str,
	route_options: dict,
	count_field: str = "*",
	distinct: bool = False,
	**extra,
) -> dict | None:
	"""The first rows of `doctype` matching `filters`, as the user may read them, and their count."""
	out = {
		"key": key,
		"label": label,
		"doctype": doctype,
		"route_options": route_options,
		"can_create": bool(frappe.has_permission(doctype, "create")),
		**extra,
	}
	if not frappe.has_permission(doctype, "read"):
		return {**out, "restricted": True, "count": None, "rows": []}
	rows = frappe.get_list(
		doctype,
		filters=filters,
		fields=fields,
		order_by=order_by,
		limit_page_length=ROWS,
		distinct=distinct,
	)
	return {**out, "restricted": False, "count": count(doctype, filters, rows, count_field), "rows": rows}


def count(doctype: str, filters: list | dict, first_page: list, count_field: str = "*") -> int:
	"""How many records match, as the user may read them (the first page says so when not full)."""
	if len(first_page) < ROWS:
		return len(first_page)
	expression = "count(*)" if count_field == "*" else f"count(distinct {count_field})"
	result = frappe.get_list(doctype, filters=filters, fields=[f"{expression} as total"], order_by=None)
	return cint(result[0].total) if result else 0


def contacts(customer: str) -> dict | None:
	filters = [
		["Dynamic Link", "link_doctype", "=", "Customer"],
		["Dynamic Link", "link_name", "=", customer],
	]
	return section(
		"contacts",
		_("Contacts"),
		"Contact",
		filters,
		[
			"`tabContact`.`name`",
			"`tabContact`.`full_name`",
			"`tabContact`.`designation`",
			"`tabContact`.`email_id`",
			"`tabContact`.`mobile_no`",
			"`tabContact`.`phone`",
			"`tabContact`.`is_primary_contact`",
			"`tabContact`.`modified`",
		],
		"`tabContact`.`is_primary_contact` desc, `tabContact`.`modified` desc",
		{"Dynamic Link.link_doctype": "Customer", "Dynamic Link.link_name": customer},
		count_field="`tabContact`.`name`",
		distinct=True,
		new_values={"links": [{"link_doctype": "Customer", "link_name": customer}]},
	)


def follow_ups(customer: str) -> dict | None:
	result = section(
		"follow_ups",
		_("Follow-ups"),
		"Customer Follow-up",
		{"customer": customer},
		_present(
			"Customer Follow-up",
			"name",
			"followed_up_at",
			"method",
			"content",
			"next_contact_at",
			"followed_up_by",
		),
		"followed_up_at desc",
		{"customer": customer},
		new_values={"customer": customer},
	)
	for row in (result or {}).get("rows") or []:
		if "content" in row:
			row["content"] = _short(row.content, 120)
	return result


def scheduled_contacts(customer: str) -> dict | None:
	"""The customer's open scheduled contacts, the soonest first."""
	filters = {"customer": customer, "status": "Open"}
	return section(
		"scheduled_contacts",
		_("Scheduled Contacts"),
		"Scheduled Contact",
		filters,
		_present("Scheduled Contact", "name", "scheduled_at", "assigned_to", "purpose", "status"),
		"scheduled_at asc",
		filters,
		new_values={"customer": customer},
	)


def deals(customer: str) -> dict | None:
	filters = {"opportunity_from": "Customer", "party_name": customer}
	return section(
		"deals",
		_("Deals"),
		"Opportunity",
		filters,
		_present(
			"Opportunity",
			"name",
			"title",
			"deal_stage",
			"status",
			"opportunity_amount",
			"currency",
			"expected_closing",
			"opportunity_owner",
		),
		"creation desc",
		filters,
		new_values={"opportunity_from": "Customer", "party_name": customer},
	)


def price_offers(customer: str) -> dict | None:
	filters = {"quotation_to": "Customer", "party_name": customer}
	return section(
		"price_offers",
		_("Price Offers"),
		"Price Offer",
		filters,
		["name", "title", "status", "grand_total", "currency", "transaction_date", "valid_till"],
		"creation desc",
		filters,
		new_values={"quotation_to": "Customer", "party_name": customer},
	)


def contract_orders(customer: str) -> dict | None:
	filters = {"customer": customer}
	return section(
		"contract_orders",
		_("Contract Orders"),
		"Contract Order",
		filters,
		["name", "title", "status", "docstatus", "grand_total", "currency", "sign_date"],
		"creation desc",
		filters,
		new_values={"customer": customer},
	)


def receivables(customer: str) -> dict | None:
	"""ERPNext's receivables of the customer: its submitted Sales Invoices with an outstanding amount,
	the total outstanding and the overdue part of it per currency (the receivable account's: the
	company's, unless the customer is billed in another currency)."""
	filters = {"customer": customer, "docstatus": 1, "outstanding_amount": ("!=", 0)}
	result = section(
		"receivables",
		_("Receivables"),
		"Sales Invoice",
		filters,
		[
			"name",
			"posting_date",
			"due_date",
			"grand_total",
			"outstanding_amount",
			"party_account_currency as currency",
			"status",
		],
		"due_date asc",
		{"customer": customer, "docstatus": 1, "outstanding_amount": ["!=", 0]},
	)
	if result is None or result["restricted"]:
		return result
	totals = {
		row.currency: {"currency": row.currency, "outstanding": flt(row.outstanding), "overdue": 0.0}
		for row in frappe.get_list(
			"Sales Invoice",
			filters=filters,
			fields=["party_account_currency as currency", "sum(outstanding_amount) as outstanding"],
			group_by="party_account_currency",
			order_by=None,
		)
	}
	for row in frappe.get_list(
		"Sales Invoice",
		filters={**filters, "due_date": ("<", nowdate())},
		fields=["party_account_currency as currency", "sum(outstanding_amount) as overdue"],
		group_by="party_account_currency",
		order_by=None,
	):
		totals.setdefault(row.currency, {"currency": row.currency, "outstanding": 0.0, "overdue": 0.0})
		totals[row.currency]["overdue"] = flt(row.overdue)
	today = getdate(nowdate())
	for row in result["rows"]:
		row["overdue"] = bool(row.due_date and getdate(row.due_date) < today)
	result["totals"] = list(totals.values())
	return result


def tasks(customer: str) -> dict | None:
	"""The customer's open tasks (Korus Task about it), the soonest due first."""
	filters = {
		"reference_type": "Customer",
		"reference_name": customer,
		"status": ("in", ("Open", "Working")),
	}
	return section(
		"tasks",
		_("Tasks"),
		"Korus Task",
		filters,
		["name", "subject", "status", "priority", "assigned_to", "due_at"],
		"due_at asc",
		{"reference_type": "Customer", "reference_name": customer},
		new_values={"reference_type": "Customer", "reference_name": customer},
	)


def attachments(customer: str) -> dict | None:
	filters = {"attached_to_doctype": "Customer", "attached_to_name": customer}
	return section(
		"attachments",
		_("Attachments"),
		"File",
		filters,
		["name", "file_name", "file_url", "file_size", "is_private", "creation"],
		"creation desc",
		filters,
	)


def _present(doctype: str, *fieldnames: str) -> list[str]:
	"""The fields that the doctype has (a feature's doctype may still gain or lose some)."""
	meta = frappe.get_meta(doctype)
	return [f for f in fieldnames if f == "name" or meta.has_field(f)]


# --- the profile, the feed, the ownership log, the actions ---


def profile(doc) -> dict:
	following = bool(is_following(doc.name))
	return {
		"account_manager": doc.get("account_manager"),
		"account_manager_name": frappe.utils.get_fullname(doc.account_manager)
		if doc.get("account_manager")
		else None,
		"status": doc.get("korus_status"),
		"level": doc.get("korus_level"),
		"pool": doc.get("korus_pool"),
		"in_pool": cint(doc.get("korus_in_pool")),
		"owner_since": doc.get("korus_owner_since"),
		"return_due_on": doc.get("korus_return_due_on"),
		"last_followup_at": doc.get("korus_last_followup_at"),
		"next_contact_at": doc.get("korus_next_contact_at"),
		"following": following,
	}


def feed(customer: str) -> list[dict]:
	"""The latest comments, changes and emails of the customer and of its latest readable deals and
	contract orders (the form's timeline of each: readable because the record is)."""
	records = [("Customer", customer)]
	for doctype, filters in (
		("Opportunity", {"opportunity_from": "Customer", "party_name": customer}),
		("Contract Order", {"customer": customer}),
	):
		if frappe.has_permission(doctype, "read"):
			records += [
				(doctype, name)
				for name in frappe.get_list(
					doctype,
					filters=filters,
					pluck="name",
					order_by="creation desc",
					limit_page_length=FEED_RECORDS,
				)
			]
	wanted = set(records)
	names = sorted({name for _doctype, name in records})
	entries: list[dict] = []
	for row in frappe.get_all(
		"Comment",
		filters={"reference_name": ("in", names), "comment_type": ("not in", ("Like", "Bot"))},
		fields=[
			"name",
			"reference_doctype",
			"reference_name",
			"comment_type",
			"content",
			"comment_email",
			"owner",
			"creation",
		],
		order_by="creation desc",
		limit_page_length=FEED,
	):
		if (row.reference_doctype, row.reference_name) in wanted:
			entries.append(
				_entry(
					"comment",
					row.reference_doctype,
					row.reference_name,
					row.comment_email or row.owner,
					row.creation,
					_short(row.content),
					comment_type=row.comment_type,
				)
			)
	for row in frappe.get_all(
		"Version",
		filters={"docname": ("in", names)},
		fields=["name", "ref_doctype", "docname", "data", "owner", "creation"],
		order_by="creation desc",
		limit_page_length=FEED,
	):
		if (row.ref_doctype, row.docname) in wanted:
			entries.append(
				_entry(
					"version",
					row.ref_doctype,
					row.docname,
					row.owner,
					row.creation,
					"",
					changes=_changes(row.ref_doctype, row.data),
				)
			)
	for row in frappe.get_all(
		"Communication",
		filters={
			"reference_name": ("in", names),
			"communication_type": ("in", ("Communication", "Automated Message")),
		},
		fields=["name", "reference_doctype", "reference_name", "subject", "sender", "owner", "creation"],
		order_by="creation desc",
		limit_page_length=FEED,
	):
		if (row.reference_doctype, row.reference_name) in wanted:
			entries.append(
				_entry(
					"communication",
					row.reference_doctype,
					row.reference_name,
					row.owner,
					row.creation,
					_short(row.subject),
					communication=row.name,
				)
			)
	entries.sort(key=lambda e: e["at"], reverse=True)
	return entries[:FEED]


def _entry(kind: str, doctype: str, name: str, by: str, at, text: str, **extra) -> dict:
	return {
		"kind": kind,
		"doctype": doctype,
		"name": name,
		"by": by,
		"by_name": frappe.utils.get_fullname(by) if by else "",
		"at": at,
		"text": text,
		**extra,
	}


def _short(html: str | None, length: int = 200) -> str:
	text = " ".join(strip_html(html or "").split())
	return text if len(text) <= length else text[: length - 1] + "…"


def _changes(doctype: str, data: str | None) -> list[dict]:
	"""The first fields a Version changed, with their labels."""
	try:
		changed = (json.loads(data or "{}") or {}).get("changed") or []
	except (TypeError, ValueError):
		return []
	meta = frappe.get_meta(doctype)
	out = []
	for change in changed[:3]:
		if not isinstance(change, list | tuple) or len(change) != 3:
			continue
		fieldname, old, new = change
		out.append(
			{
				"label": _(meta.get_label(fieldname)),
				"from": _short(str(old)) if old not in (None, "") else "",
				"to": _short(str(new)) if new not in (None, "") else "",
			}
		)
	return out


def owner_log(customer: str) -> list[dict]:
	"""The customer's ownership changes (claims, releases, assignments, transfers, returns), as the
	pool keeps them."""
	rows = pool.owner_log(customer) or []
	out = []
	for row in list(rows)[:10]:
		row = frappe._dict(row)
		for who in ("from_user", "to_user", "done_by"):
			if row.get(who):
				row[f"{who}_name"] = frappe.utils.get_fullname(row[who])
		out.append(row)
	return out


def actions(doc) -> dict:
	"""The quick actions the user may take, by the pool's own rules (which decide again on each)."""
	user = frappe.session.user
	follow_up = frappe.has_permission("Customer Follow-up", "create")
	out = {
		"follow_up": bool(follow_up),
		"follow": True,
		"claim": False,
		"release": False,
		"transfer": False,
		"assign": False,
	}
	config = pool.pool(doc.get("korus_pool"))
	owner = doc.get("account_manager")
	if cint(doc.get("korus_in_pool")) or not owner:
		out["claim"] = bool(
			config and config["enabled"] and (pool.serves(config, user) or user in config["administrators"])
		)
		out["assign"] = bool(pool.administers(config, user))
	else:
		may = bool(doc.get("korus_pool")) and bool(pool.may_transfer(doc.korus_pool, owner, user))
		out["release"] = out["transfer"] = may
	return out
