"""Duplicate detection of leads and customers (issue 11; the keys: korus_crm.rules.duplicates).

Each lead and customer carries its keys in indexed columns, set on every save (`set_keys`,
before_validate): the name key (`korus_name_key`), the phone key (`korus_phone_key`) and, for
customers, the email key of the primary contact's email (`korus_email_key`; the office email is
already stored normalised in its unique column, and a lead's in `email_normalized`). A check
(`find_duplicates`) is a handful of equality lookups on those indexes, never a scan.

- Lead: name = the organisation name, else the person's name; phone = mobile, else phone, else
  WhatsApp.
- Customer: name = customer_name; phone = office phone, else the primary contact's mobile.
- Numbers written without a country code take Korus CRM Settings' default_phone_country_code, else
  the calling code of System Settings' country.

`merge` folds one record into another with Frappe's rename-merge (every link follows), for
managers.
"""

from __future__ import annotations

from typing import Literal

import frappe
from frappe import _
from frappe.model.rename_doc import rename_doc
from frappe.utils import cint

from korus_crm import jobs
from korus_crm.boundary import whitelist
from korus_crm.exceptions import DuplicateMergeError
from korus_crm.rules import duplicates as rules

KeyDoctype = Literal["Lead", "Customer"]
MERGE_ROLES = frozenset({"Sales Manager", "System Manager", "Korus Administrator"})
SETTINGS = "Korus CRM Settings"
MATCH_LIMIT = 20  # per key and doctype

# the columns each key is looked up in, per doctype
KEY_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
	"Lead": {"email": ("email_normalized",), "phone": ("korus_phone_key",), "name": ("korus_name_key",)},
	"Customer": {
		"email": ("office_email", "korus_email_key"),
		"phone": ("korus_phone_key",),
		"name": ("korus_name_key",),
	},
}
TITLE_FIELD = {"Lead": "lead_name", "Customer": "customer_name"}


# --- the keys of a record ---


def default_country_code() -> str:
	"""Korus CRM Settings' default phone country code, else System Settings' country's (once a request)."""
	cached = getattr(frappe.local, "korus_default_country_code", None)
	if cached is not None:
		return cached
	code = frappe.db.get_single_value(SETTINGS, "default_phone_country_code") or ""
	if not code:
		country = frappe.db.get_single_value("System Settings", "country")
		if country:
			from frappe.geo.country_info import get_country_info

			code = (get_country_info(country) or {}).get("isd") or ""
	frappe.local.korus_default_country_code = rules.country_code_digits(code)
	return frappe.local.korus_default_country_code


def values_of(doctype: str, values: dict) -> dict[str, list]:
	"""The names, emails and phones of a lead's or customer's values."""
	get = values.get
	if doctype == "Lead":
		person = get("lead_name") or " ".join(filter(None, [get("first_name"), get("last_name")]))
		return {
			"names": [get("company_name") or person],
			"emails": [get("email_id")],
			"phones": [get("mobile_no"), get("phone"), get("whatsapp_no")],
		}
	return {
		"names": [get("customer_name")],
		"emails": [get("office_email"), get("email_id")],
		"phones": [get("office_phone"), get("mobile_no")],
	}


def keys_of(doctype: str, values: dict) -> dict[str, list[str]]:
	return rules.keys_of(**values_of(doctype, values), default_country_code=default_country_code())


def set_keys(doc, method=None) -> None:
	"""before_validate of Lead and Customer: the record's keys, as stored."""
	found = values_of(doc.doctype, doc)
	country = default_country_code()
	doc.korus_name_key = rules.name_key(next(iter(found["names"]), None))
	doc.korus_phone_key = next((k for k in (rules.phone_key(p, country) for p in found["phones"]) if k), None)
	if doc.doctype == "Customer":
		doc.korus_email_key = rules.email_key(doc.get("email_id"))


# --- looking for duplicates ---


@whitelist()
def find_duplicates(doctype: KeyDoctype, values: dict) -> dict:
	"""Leads and customers that may be the same as a lead or customer with these values (the
	record itself, `values["name"]`, excluded).
	-> {"matches": [{"doctype", "name", "title", "matched_on": ["email" | "phone" | "name"]}],
	    "hidden": the number of other matches the user may not read, "keys": {key: [values]}}"""
	frappe.has_permission(doctype, "read", throw=True)
	values = {k: v for k, v in values.items() if isinstance(v, str)}
	keys = keys_of(doctype, values)
	own = values.get("name")
	matches: dict[tuple[str, str], dict] = {}
	others: set[tuple[str, str]] = set()
	for target, columns in KEY_COLUMNS.items():
		can_read = frappe.has_permission(target, "read")
		for key, column_names in columns.items():
			if not keys[key]:
				continue
			for column in column_names:
				filters = {column: ("in", keys[key])}
				if target == "Lead":
					filters["status"] = ("!=", "Converted")  # its customer is the record now
				every = set(
					frappe.get_all(target, filters=filters, pluck="name", limit=MATCH_LIMIT, order_by=None)
				)
				readable = (
					frappe.get_list(
						target,
						filters=filters,
						fields=["name", f"{TITLE_FIELD[target]} as title"],
						limit=MATCH_LIMIT,
						order_by=None,
					)
					if can_read
					else []
				)
				for row in readable:
					if (target, row.name) == (doctype, own):
						continue
					match = matches.setdefault(
						(target, row.name),
						{"doctype": target, "name": row.name, "title": row.title, "matched_on": []},
					)
					if key not in match["matched_on"]:
						match["matched_on"].append(key)
				others |= {(target, n) for n in every if (target, n) != (doctype, own)}
	hidden = len(others - set(matches))
	return {"matches": list(matches.values()), "hidden": hidden, "keys": keys}


# --- merging ---


@whitelist(methods=["POST"])
def merge(doctype: KeyDoctype, source: str, target: str) -> dict:
	"""Fold `source` into `target` (Frappe's rename with merge: every link to the source now points
	at the target, and the source is gone). Sales managers and administrators only.
	-> {"doctype", "name": target, "merged": source, "message"}"""
	if not MERGE_ROLES & set(frappe.get_roles()) and frappe.session.user != "Administrator":
		frappe.throw(_("Only sales managers and administrators may merge records."), frappe.PermissionError)
	if source == target:
		frappe.throw(_("A record cannot be merged into itself."), DuplicateMergeError)
	for name in (source, target):
		if not frappe.db.exists(doctype, name):
			frappe.throw(
				_("{0} {1} does not exist.").format(_(doctype), frappe.bold(name)), DuplicateMergeError
			)
		frappe.has_permission(doctype, "read", doc=name, throw=True)
	# the source is deleted by the merge: its delete right is needed (ERPNext gives Customer's to
	# Sales Master Manager; Korus to Korus Administrator)
	frappe.has_permission(doctype, "delete", doc=source, throw=True)
	if doctype == "Customer" and any(
		cint(frappe.db.get_value("Customer", n, "korus_deleted")) for n in (source, target)
	):
		frappe.throw(_("Restore the customer from the recycle bin before merging it."), DuplicateMergeError)
	group = frappe.db.get_value("Customer", source, "customer_group") if doctype == "Customer" else None
	# write rights on both are not asked (Sales Managers only read ERPNext's Customer)
	frappe.flags.korus_merging = True  # the source's links have moved: the deletion rules are met
	try:
		rename_doc(doctype, source, target, merge=True, ignore_permissions=True)
	finally:
		frappe.flags.korus_merging = False
	if doctype == "Customer":
		from korus_crm.events.contact import refresh_contact_counts
		from korus_crm.events.customer_group import refresh_customer_counts

		refresh_contact_counts([target])
		refresh_customer_counts([group])
	message = _("{0} was merged into {1}.").format(frappe.bold(source), frappe.bold(target))
	return {"doctype": doctype, "name": target, "merged": source, "message": message}


# --- filling the keys of existing records (patch korus_crm.patches.v0_3.duplicate_keys) ---

BACKFILL_CHUNK = 1000
BACKFILL_FIELDS = {
	"Lead": [
		"name",
		"lead_name",
		"first_name",
		"last_name",
		"company_name",
		"mobile_no",
		"phone",
		"whatsapp_no",
	],
	"Customer": ["name", "customer_name", "office_phone", "mobile_no", "email_id"],
}


@jobs.job
def backfill_keys(commit: bool = False) -> dict[str, int]:
	"""Set the keys of every lead and customer, in pages of BACKFILL_CHUNK by name (each page one
	read and one update per changed row). -> {doctype: rows updated}"""
	country = default_country_code()
	updated = {}
	for doctype, fields in BACKFILL_FIELDS.items():
		updated[doctype] = 0
		last = ""
		while True:
			rows = frappe.get_all(
				doctype,
				filters={"name": (">", last)},
				fields=[*fields, "korus_name_key", "korus_phone_key"]
				+ (["korus_email_key"] if doctype == "Customer" else []),
				order_by="name asc",
				limit=BACKFILL_CHUNK,
			)
			if not rows:
				break
			for row in rows:
				found = values_of(doctype, row)
				new = {
					"korus_name_key": rules.name_key(found["names"][0]),
					"korus_phone_key": next(
						(k for k in (rules.phone_key(p, country) for p in found["phones"]) if k), None
					),
				}
				if doctype == "Customer":
					new["korus_email_key"] = rules.email_key(row.email_id)
				if any(row.get(k) != v for k, v in new.items()):
					frappe.db.set_value(doctype, row.name, new, update_modified=False)
					updated[doctype] += 1
			last = rows[-1].name
			if commit:
				frappe.db.commit()  # a background job or a patch, never a request
	return updated


def queue_backfill() -> None:
	"""after_migrate: when leads or customers lack their keys (a site from before, rows written by
	raw SQL), fill them in a background job (an IS NULL lookup on the key's index)."""
	missing = any(
		frappe.db.sql(f"select 1 from `tab{doctype}` where `korus_name_key` is null limit 1")
		for doctype in BACKFILL_FIELDS
	)
	if missing:
		jobs.enqueue(
			"korus_crm.customers.duplicates.backfill_keys",
			job_id=jobs.key("duplicate-keys"),
			timeout=3600,
			commit=True,
		)


def existing_with_keys(doctype: str, values: dict) -> dict[str, list[tuple[str, str]]]:
	"""{key: [(doctype, name)]} of every lead (not converted) and customer sharing a key with these
	values, whatever the user may read (for imports, which report them). Index lookups only."""
	keys = keys_of(doctype, {k: v for k, v in values.items() if isinstance(v, str)})
	found: dict[str, list[tuple[str, str]]] = {}
	for target, columns in KEY_COLUMNS.items():
		for key, column_names in columns.items():
			for column in column_names if keys[key] else ():
				filters = {column: ("in", keys[key])}
				if target == "Lead":
					filters["status"] = ("!=", "Converted")
				for name in frappe.get_all(target, filters=filters, pluck="name", limit=5, order_by=None):
					if (target, name) not in found.setdefault(key, []):
						found[key].append((target, name))
	return found
