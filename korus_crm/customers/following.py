"""Followed customers (seed 004 关注客户): a user follows a customer, lists "customers I follow", and
is told in the bell when one of them changes or gets a follow-up (docs/follow-ups.md).

Following is Frappe's own Document Follow record (the form sidebar's "Follow" shows it, and Frappe's
digest emails apply to it when the user switched them on). Frappe's `follow_document` makes it only
for users who switched those emails on; following a customer here does not depend on them.

Cheap: the followers of a customer are read through the index on (ref_doctype, ref_docname), a
user's followed customers through (user, ref_doctype); one query per change of a customer.
"""

from __future__ import annotations

from typing import Annotated

import frappe
from frappe import _
from frappe.desk.form.document_follow import is_document_followed
from frappe.utils import escape_html, get_fullname

from korus_crm import notify
from korus_crm.boundary import Between, whitelist
from korus_crm.rules import follow_ups as rules

FOLLOW = "Document Follow"
CUSTOMER = "Customer"

# The Customer fields whose change is told to the followers (with their labels); other changes
# (e.g. the maintained timing and count columns) are not news.
TOLD_FIELDS = (
	"customer_name",
	"customer_type",
	"customer_group",
	"territory",
	"account_manager",
	"disabled",
	"korus_status",
	"korus_level",
	"korus_source",
	"korus_company_nature",
	"korus_company_size",
	"korus_in_pool",
	"office_email",
	"office_phone",
	"website",
	"customer_primary_contact",
	"industry",
	"tax_id",
	"customer_details",
)


def _check_readable(customer: str) -> None:
	if not frappe.db.exists(CUSTOMER, customer):
		frappe.throw(
			_("Could not find {0}: {1}").format(_(CUSTOMER), escape_html(customer)),
			frappe.DoesNotExistError,
		)
	frappe.has_permission(CUSTOMER, "read", doc=customer, throw=True)


@whitelist(methods=["POST"])
def follow(customer: str) -> dict:
	"""Follow a customer the user may read. Returns {"customer", "following": True}."""
	_check_readable(customer)
	user = frappe.session.user
	if not is_document_followed(CUSTOMER, customer, user):
		frappe.get_doc(
			{"doctype": FOLLOW, "ref_doctype": CUSTOMER, "ref_docname": customer, "user": user}
		).insert(ignore_permissions=True)
	return {"customer": customer, "following": True}


@whitelist(methods=["POST"])
def unfollow(customer: str) -> dict:
	"""Stop following a customer. Returns {"customer", "following": False}."""
	user = frappe.session.user
	for name in frappe.get_all(
		FOLLOW, filters={"ref_doctype": CUSTOMER, "ref_docname": customer, "user": user}, pluck="name"
	):
		frappe.delete_doc(FOLLOW, name, ignore_permissions=True)
	return {"customer": customer, "following": False}


@whitelist(methods=["GET", "POST"])
def is_following(customer: str) -> bool:
	"""Whether the user follows the customer."""
	return bool(is_document_followed(CUSTOMER, customer, frappe.session.user))


def followed_names(user: str) -> list[str]:
	"""The customers the user follows (index korus_follow_user)."""
	return frappe.get_all(
		FOLLOW,
		filters={"user": user, "ref_doctype": CUSTOMER},
		pluck="ref_docname",
		order_by="creation desc",
		limit_page_length=0,
	)


@whitelist(methods=["GET", "POST"])
def followed_customers(
	start: Annotated[int, Between(0, 10**6)] = 0,
	page_length: Annotated[int, Between(1, 500)] = 20,
) -> list[dict]:
	"""The customers the user follows and may still read, by name (a page): [{"name",
	"customer_name", "account_manager", "korus_status", "korus_level", "korus_next_contact_at",
	"korus_last_followup_at"}]."""
	names = followed_names(frappe.session.user)
	if not names:
		return []
	meta = frappe.get_meta(CUSTOMER)
	fields = ["name", "customer_name", "account_manager"] + [
		f
		for f in ("korus_status", "korus_level", "korus_next_contact_at", "korus_last_followup_at")
		if meta.has_field(f)
	]
	return frappe.get_list(
		CUSTOMER,
		filters={"name": ("in", names)},
		fields=fields,
		order_by="customer_name asc",
		limit_start=start,
		limit_page_length=page_length,
	)


@whitelist(methods=["GET", "POST"])
def followed_customer_names() -> list[str]:
	"""The names of the customers the user follows (the Customer list's "Customers I Follow" filter)."""
	return followed_names(frappe.session.user)


# --- telling the followers ---


def followers(customer: str) -> list[str]:
	"""Who follows the customer (index korus_follow_ref)."""
	return frappe.get_all(FOLLOW, filters={"ref_doctype": CUSTOMER, "ref_docname": customer}, pluck="user")


def tell_followers(
	customer: str, subject, message=None, doctype: str = CUSTOMER, name: str | None = None
) -> list[str]:
	"""An in-app notification to each follower of the customer but the user acting."""
	users = rules.followers_to_tell(followers(customer), frappe.session.user)
	if not users:
		return []
	return notify.tell(users, doctype, name or customer, subject, message, email=False)


def customer_changed(doc, method=None) -> None:
	"""Customer on_update: its followers are told what changed (by whom)."""
	if doc.flags.in_insert:
		return
	before = doc.get_doc_before_save()
	if before is None:
		return
	meta = frappe.get_meta(CUSTOMER)
	labels = {f: meta.get_label(f) for f in TOLD_FIELDS if meta.has_field(f)}
	changed = rules.changed_fields(before.as_dict(), doc.as_dict(), labels)
	if not changed:
		return
	users = rules.followers_to_tell(followers(doc.name), frappe.session.user)
	if not users:
		return
	who = escape_html(get_fullname(frappe.session.user))
	title = f"<b>{escape_html(doc.customer_name or doc.name)}</b>"

	def subject(lang: str) -> str:
		fields = ", ".join(_(label, lang=lang) for label in changed)
		return _("{0} changed customer {1}: {2}", lang=lang).format(who, title, escape_html(fields))

	notify.tell(users, CUSTOMER, doc.name, subject, email=False)
