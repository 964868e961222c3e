"""The recycle bin (seed 004 客户回收站; seed 003 soft delete and restore) of customers and deals.

Deleting a customer or a deal from the desk (the form's Delete, the list's bulk Delete, and
`frappe.client.delete`) moves it to the bin instead (`recycle`): the row stays, flagged
`korus_deleted`, with its contacts, follow-ups, tags, files and comments untouched, so that
`restore` gives it back whole. A customer's deals go to the bin with it (and come back with it).

- A binned record is hidden from every list, report, count and link search (the permission query
  condition `query_conditions`, ANDed by Frappe with the data scope's) and opens only for managers
  (`has_permission`); the bin view (`bin_list`, page /app/korus-recycle-bin) lists it for them.
- A customer with transactions (orders, invoices, delivery notes, payments, quotations, price
  offers, contract orders, ledger entries) cannot be deleted: it is disabled instead, and says so.
  A deal with an approved contract order, an accepted price offer or a submitted quotation cannot
  be binned (mark it lost instead).
- The daily `purge_due` deletes permanently what has been in the bin longer than Korus CRM
  Settings' recycle_bin_days, reading only due rows (index korus_deleted, korus_deleted_on) and
  deleting in background jobs of `PURGE_CHUNK` records.

`frappe.delete_doc` (server code, REST `DELETE /api/resource/...`) remains the permanent delete,
under the old rules (korus_crm.events.customer, korus_crm.events.opportunity).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Literal

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_datetime, now_datetime

from korus_crm import jobs
from korus_crm.boundary import whitelist
from korus_crm.exceptions import DealInUseError, RecycleBinError
from korus_crm.setup.recycle_bin import BIN_DOCTYPES

BinDoctype = Literal["Customer", "Opportunity"]

# who sees the bin, restores and deletes permanently
MANAGER_ROLES = frozenset(
	{"Sales Manager", "Sales Master Manager", "Korus CRM Manager", "Korus Administrator", "System Manager"}
)
SETTINGS = "Korus CRM Settings"
DEFAULT_DAYS = 30
PURGE_CHUNK = 200  # records per background purge job
BULK_IN_BACKGROUND = 20  # a list's bulk delete of more records runs as a job

# (doctype, {field: value of the customer}) of the records that make a customer's transactions
CUSTOMER_TRANSACTIONS: tuple[tuple[str, dict], ...] = (
	("GL Entry", {"party_type": "Customer", "party": None}),
	("Sales Invoice", {"customer": None}),
	("Sales Order", {"customer": None}),
	("Delivery Note", {"customer": None}),
	("Payment Entry", {"party_type": "Customer", "party": None}),
	("Quotation", {"quotation_to": "Customer", "party_name": None}),
	("Contract Order", {"customer": None}),
	("Price Offer", {"quotation_to": "Customer", "party_name": None}),
)


# --- permission hooks (hooks.py, with the data scope's) ---


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Binned rows are in no list, report, count or link search; inside `showing_bin()` only they are."""
	if getattr(frappe.local, "korus_showing_bin", False):
		return f"`tab{doctype}`.`korus_deleted` = 1"
	return f"`tab{doctype}`.`korus_deleted` = 0"


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""A binned record opens (read, delete) for managers only; nobody edits it until restored."""
	if doc.is_new() or not in_bin(doc):
		return None
	if ptype in ("read", "select", "print", "delete") and is_manager(user):
		return None
	return False


@contextmanager
def showing_bin():
	previous = getattr(frappe.local, "korus_showing_bin", False)
	frappe.local.korus_showing_bin = True
	try:
		yield
	finally:
		frappe.local.korus_showing_bin = previous


def in_bin(doc) -> bool:
	value = doc.get("korus_deleted")
	if value is None and doc.name:
		value = frappe.db.get_value(doc.doctype, doc.name, "korus_deleted")
	return bool(cint(value))


def is_manager(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(MANAGER_ROLES & set(frappe.get_roles(user)))


def check_manager() -> None:
	if not is_manager():
		frappe.throw(
			_("Only sales managers and administrators may open the recycle bin."), frappe.PermissionError
		)


# --- moving to the bin ---


@whitelist(methods=["POST"])
def recycle(doctype: BinDoctype, name: str) -> dict:
	"""Move a customer (with its deals) or a deal to the recycle bin; a customer with transactions
	is disabled instead. -> {"doctype", "name", "action": "recycled" | "disabled", "message",
	"deals": [deals binned with the customer]}"""
	doc = get_record(doctype, name)
	frappe.has_permission(doctype, "delete", doc=doc, throw=True)
	if in_bin(doc):
		frappe.throw(
			_("{0} {1} is already in the recycle bin.").format(_(doctype), frappe.bold(name)), RecycleBinError
		)
	if doctype == "Customer":
		transactions = customer_transactions(name)
		if transactions:
			return disable_customer(doc, transactions)
		deals = frappe.get_all(
			"Opportunity",
			filters={"opportunity_from": "Customer", "party_name": name, "korus_deleted": 0},
			pluck="name",
		)
		for deal in deals:
			check_deal_binnable(deal)
		for deal in deals:
			mark_binned(frappe.get_doc("Opportunity", deal), with_customer=name)
	else:
		check_deal_binnable(name)
		deals = []
	mark_binned(doc)
	message = _("{0} {1} was moved to the recycle bin.").format(_(doctype), frappe.bold(name))
	return {"doctype": doctype, "name": name, "action": "recycled", "message": message, "deals": deals}


def get_record(doctype: str, name: str):
	if doctype not in BIN_DOCTYPES:
		frappe.throw(_("{0} has no recycle bin.").format(_(doctype)), RecycleBinError)
	if not frappe.db.exists(doctype, name):
		frappe.throw(
			_("{0} {1} does not exist.").format(_(doctype), frappe.bold(name)), frappe.DoesNotExistError
		)
	return frappe.get_doc(doctype, name)


def customer_transactions(customer: str, limit: int = 5) -> list[tuple[str, str]]:
	"""[(doctype, name)] of some of the customer's transactions (each lookup by an indexed party column)."""
	found = []
	for doctype, template in CUSTOMER_TRANSACTIONS:
		filters = {k: (customer if v is None else v) for k, v in template.items()}
		names = frappe.get_all(doctype, filters=filters, pluck="name", limit=limit, order_by=None)
		found += [(doctype, n) for n in names]
		if len(found) >= limit:
			break
	return found[:limit]


def disable_customer(doc, transactions: list[tuple[str, str]]) -> dict:
	listed = ", ".join(f"{_(dt)} {n}" for dt, n in transactions)
	message = _("{0} has transactions ({1}) and cannot be deleted: it has been disabled instead.").format(
		frappe.bold(doc.name), listed
	)
	if not doc.disabled:
		from korus_crm.boards import counts

		old = counts.snapshot(counts.CUSTOMERS, doc)
		doc.db_set("disabled", 1)
		counts.record_moved(counts.CUSTOMERS, old, counts.snapshot(counts.CUSTOMERS, doc))
		doc.add_comment("Info", _("Disabled instead of deleted: it has transactions."))
	return {"doctype": "Customer", "name": doc.name, "action": "disabled", "message": message, "deals": []}


def check_deal_binnable(deal: str) -> None:
	"""A deal whose business went through (an approved contract order, an accepted price offer, a
	submitted quotation) stays: it can be marked lost."""
	blocking = [
		*[("Contract Order", n) for n in frappe.get_all("Contract Order", filters={"opportunity": deal, "docstatus": 1}, pluck="name", limit=3)],
		*[("Price Offer", n) for n in frappe.get_all("Price Offer", filters={"opportunity": deal, "docstatus": 1}, pluck="name", limit=3)],
		*[("Quotation", n) for n in frappe.get_all("Quotation", filters={"opportunity": deal, "docstatus": 1}, pluck="name", limit=3)],
	]  # fmt: skip
	if blocking:
		frappe.throw(
			_("Deal {0} cannot be deleted: it has {1}. Mark it as lost instead.").format(
				frappe.bold(deal), ", ".join(f"{_(dt)} {n}" for dt, n in blocking)
			),
			DealInUseError,
			title=_("Deal in use"),
		)


def mark_binned(doc, with_customer: str | None = None) -> None:
	values = {
		"korus_deleted": 1,
		"korus_deleted_on": now_datetime(),
		"korus_deleted_by": frappe.session.user,
	}
	if doc.doctype == "Opportunity":
		values["korus_binned_with"] = with_customer
	frappe.db.set_value(doc.doctype, doc.name, values, update_modified=False)
	from korus_crm.boards import counts

	# it leaves its board and the dashboard's counters
	counts.record_deleted(counts.primary_of(doc.doctype), {**doc.as_dict(), "korus_deleted": 0})
	if doc.doctype == "Opportunity":
		from korus_crm.analytics import stays

		stays.deal_binned(doc.name)
	doc.add_comment("Info", _("Moved to the recycle bin."))


# --- back from the bin ---


@whitelist(methods=["POST"])
def restore(doctype: BinDoctype, name: str) -> dict:
	"""Take a customer (with the deals binned with it) or a deal out of the bin.
	-> {"doctype", "name", "action": "restored", "message", "deals": [deals restored with it]}"""
	check_manager()
	doc = get_binned(doctype, name)
	deals = []
	if doctype == "Opportunity":
		customer = doc.party_name if doc.opportunity_from == "Customer" else None
		if customer and frappe.db.get_value("Customer", customer, "korus_deleted"):
			frappe.throw(
				_("Restore customer {0} first: the deal belongs to it.").format(frappe.bold(customer)),
				RecycleBinError,
			)
	else:
		deals = frappe.get_all(
			"Opportunity", filters={"korus_binned_with": name, "korus_deleted": 1}, pluck="name"
		)
		for deal in deals:
			unmark_binned(frappe.get_doc("Opportunity", deal))
	unmark_binned(doc)
	message = _("{0} {1} was restored.").format(_(doctype), frappe.bold(name))
	return {"doctype": doctype, "name": name, "action": "restored", "message": message, "deals": deals}


def get_binned(doctype: str, name: str):
	doc = get_record(doctype, name)
	frappe.has_permission(doctype, "read", doc=doc, throw=True)  # the data scope still applies
	if not in_bin(doc):
		frappe.throw(
			_("{0} {1} is not in the recycle bin.").format(_(doctype), frappe.bold(name)), RecycleBinError
		)
	return doc


def unmark_binned(doc) -> None:
	values = {"korus_deleted": 0, "korus_deleted_on": None, "korus_deleted_by": None}
	if doc.doctype == "Opportunity":
		values["korus_binned_with"] = None
	frappe.db.set_value(doc.doctype, doc.name, values, update_modified=False)
	from korus_crm.boards import counts

	# back on its board and in the dashboard's counters
	counts.record_inserted(counts.primary_of(doc.doctype), {**doc.as_dict(), "korus_deleted": 0})
	if doc.doctype == "Opportunity":
		from korus_crm.analytics import stays

		stays.deal_restored(doc.name)
	doc.add_comment("Info", _("Restored from the recycle bin."))


# --- deleting permanently ---


@whitelist(methods=["POST"])
def purge(doctype: BinDoctype, name: str) -> dict:
	"""Delete a binned customer (with its binned deals) or deal permanently.
	-> {"doctype", "name", "action": "purged", "message"}"""
	check_manager()
	get_binned(doctype, name)
	purge_record(doctype, name)
	message = _("{0} {1} was deleted permanently.").format(_(doctype), frappe.bold(name))
	return {"doctype": doctype, "name": name, "action": "purged", "message": message}


def purge_record(doctype: str, name: str) -> None:
	"""The permanent delete of a binned record: a customer takes its binned deals with it; ERPNext
	deletes the contacts and addresses only it had (and unlinks the others)."""
	if doctype == "Customer":
		for deal in frappe.get_all(
			"Opportunity",
			filters={"opportunity_from": "Customer", "party_name": name, "korus_deleted": 1},
			pluck="name",
		):
			frappe.delete_doc("Opportunity", deal, ignore_permissions=True)
	frappe.delete_doc(doctype, name, ignore_permissions=True)


def retention_days() -> int:
	"""Korus CRM Settings' recycle_bin_days; DEFAULT_DAYS until the settings are saved (a Single's
	default is not stored, and get_single_value reads a missing Int as 0: "never")."""
	value = frappe.db.get_value(
		"Singles", {"doctype": SETTINGS, "field": "recycle_bin_days"}, "value", order_by=None
	)
	return DEFAULT_DAYS if value in (None, "") else cint(value)


def purge_due(now=None) -> dict[str, int]:
	"""Daily: queue the permanent delete of what has been in the bin longer than the retention
	days; reads only the due rows (index korus_deleted, korus_deleted_on). -> {doctype: queued}"""
	days = retention_days()
	if days <= 0:
		return {}
	cutoff = add_days(get_datetime(now or now_datetime()), -days)
	queued = {}
	for doctype in ("Opportunity", "Customer"):  # a customer's deals first
		names = frappe.get_all(
			doctype,
			filters={"korus_deleted": 1, "korus_deleted_on": ("<=", cutoff)},
			pluck="name",
			order_by="korus_deleted_on asc",
		)
		for start in range(0, len(names), PURGE_CHUNK):
			chunk = names[start : start + PURGE_CHUNK]
			if frappe.flags.in_test:
				purge_chunk(doctype, chunk)
				continue
			# a chunk still queued from an earlier run is not queued again
			jobs.enqueue(
				"korus_crm.customers.recycle_bin.purge_chunk",
				job_id=jobs.key("purge", doctype, chunk),
				doctype=doctype,
				names=chunk,
			)
		queued[doctype] = len(names)
	return queued


@jobs.job
def purge_chunk(doctype: str, names: list[str]) -> list[str]:
	"""Delete the given binned records permanently, each in a savepoint: one that cannot go (a
	transaction made since it was binned) stays in the bin and is logged. -> the purged names"""
	purged = []
	for index, name in enumerate(names):
		if not frappe.db.get_value(doctype, name, "korus_deleted"):
			continue  # restored (or gone) since it was queued
		frappe.db.savepoint("korus_purge")
		try:
			purge_record(doctype, name)
		except Exception:
			frappe.db.rollback(save_point="korus_purge")
			frappe.log_error(title=f"Recycle bin: {doctype} {name} could not be deleted")
		else:
			purged.append(name)
		frappe.publish_progress(
			(index + 1) * 100 / len(names), title=_("Emptying the recycle bin"), description=name
		)
	return purged


# --- the bin view ---


@whitelist()
def bin_list(doctype: BinDoctype, start: int = 0, page_length: int = 20, search: str | None = None) -> dict:
	"""The binned customers or deals the manager may read, newest first.
	-> {"rows": [{"name", "title", "deleted_on", "deleted_by", "purge_on"}], "total": int}"""
	check_manager()
	title_field = "customer_name" if doctype == "Customer" else "title"
	filters = {"korus_deleted": 1}
	if search:
		filters["name" if doctype == "Opportunity" else title_field] = ("like", f"%{search}%")
	with showing_bin():
		rows = frappe.get_list(
			doctype,
			filters=filters,
			fields=[
				"name",
				f"{title_field} as title",
				"korus_deleted_on as deleted_on",
				"korus_deleted_by as deleted_by",
			],
			order_by="korus_deleted_on desc",
			limit_start=max(0, start),
			limit_page_length=min(max(1, page_length), 500),
		)
		total = frappe.get_list(doctype, filters=filters, fields=["count(*) as total"], order_by=None)
	days = retention_days()
	for row in rows:
		row["purge_on"] = add_days(row.deleted_on, days) if days > 0 and row.deleted_on else None
	return {"rows": rows, "total": int(total[0].total) if total else 0}


# --- the desk's delete calls (override_whitelisted_methods) ---


@whitelist(methods=["POST", "DELETE"])
def delete(doctype: str, name: str):
	"""frappe.client.delete (the form's Delete): customers and deals go to the recycle bin."""
	if doctype not in BIN_DOCTYPES:
		from frappe.client import delete as frappe_delete

		return frappe_delete(doctype, name)
	result = recycle(doctype=doctype, name=name)
	frappe.msgprint(result["message"], alert=result["action"] == "recycled", indicator="orange")
	return result


@whitelist(methods=["POST"])
def delete_items(doctype: str, items: list[str]):
	"""frappe.desk.reportview.delete_items (the list's bulk Delete): customers and deals go to the
	recycle bin (in a background job above BULK_IN_BACKGROUND records)."""
	if doctype not in BIN_DOCTYPES:
		from frappe.desk.reportview import delete_items as frappe_delete_items

		return frappe_delete_items()  # it reads the request's form_dict
	names = list(items)
	if len(names) > BULK_IN_BACKGROUND:
		jobs.enqueue(
			"korus_crm.customers.recycle_bin.recycle_many",
			job_id=jobs.selection_key("recycle", frappe.session.user, doctype, names),
			doctype=doctype,
			names=names,
		)
		frappe.msgprint(
			_("{0} records are being moved to the recycle bin in the background.").format(len(names)),
			alert=True,
		)
		return None
	result = recycle_many(doctype, names)
	frappe.msgprint("<br>".join(r["message"] for r in result["done"] + result["failed"]))
	return result


@jobs.job
def recycle_many(doctype: str, names: list[str]) -> dict:
	"""recycle() each record, each in a savepoint, with a progress bar.
	-> {"done": [recycle results], "failed": [{"name", "message"}]}"""
	done, failed = [], []
	for index, name in enumerate(names):
		frappe.db.savepoint("korus_recycle")
		try:
			done.append(recycle(doctype=doctype, name=name))
		except Exception as e:
			frappe.db.rollback(save_point="korus_recycle")
			frappe.clear_last_message()
			failed.append({"name": name, "message": frappe.utils.strip_html(str(e)) or _("Not permitted")})
		if len(names) >= 5:
			frappe.publish_progress(
				(index + 1) * 100 / len(names), title=_("Moving to the recycle bin"), description=name
			)
	return {"done": done, "failed": failed}
