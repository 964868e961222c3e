"""Follow-ups (seed 004 跟进记录) and scheduled contacts: who reads them, what a follow-up changes on
its customer, and the checks both share (docs/follow-ups.md; the rules: korus_crm.rules.follow_ups).

Read access follows the customer's: a user reads a follow-up when they may read its customer
(the customer's data scope, user permissions and every permission query Customer has), and reads
their own follow-ups (as author) whatever became of the customer. A scheduled contact is read the
same way, and by its assignee. The condition is a semi-join on the indexed `customer` column:
`customer in (select name from tabCustomer where <the user's Customer condition>)`.

Saving or deleting a follow-up sets the customer's last follow-up and next contact (those of its
latest follow-up) through korus_crm.customers.pool.timing_changed, which also moves the customer's
pool return date.
"""

from __future__ import annotations

from typing import Annotated

import frappe
from frappe import _
from frappe.query_builder import DocType, Table
from frappe.utils import escape_html, get_datetime

from korus_crm.boundary import Between, whitelist
from korus_crm.exceptions import FollowUpLinkError
from korus_crm.permissions import parent_conditions
from korus_crm.rules import follow_ups as rules
from korus_crm.rules.follow_ups import FOLLOW_UP, SCHEDULED_CONTACT

SETTINGS = "Korus CRM Settings"
LEAD_MINUTES_FIELD = "contact_reminder_minutes"

# readers beyond the customer's: the doctype's columns naming its own people
OWN_COLUMNS: dict[str, tuple[str, ...]] = {
	FOLLOW_UP: ("followed_up_by", "owner"),
	SCHEDULED_CONTACT: ("assigned_to", "owner"),
}


def is_manager(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or rules.is_manager(frappe.get_roles(user))


# --- who reads ---


def customer_condition(user: str) -> str | None:
	"""SQL on `tabCustomer` of the customers the user reads: "" for all, None for none."""
	try:
		return parent_conditions("Customer", user)
	except frappe.PermissionError:
		return None


def query_conditions(doctype: str, user: str | None = None) -> str:
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	customers = customer_condition(user)
	if customers == "":
		return ""
	table = f"`tab{doctype}`"
	me = frappe.db.escape(user)
	own = " or ".join(f"{table}.`{column}` = {me}" for column in OWN_COLUMNS[doctype])
	if customers is None:
		return f"({own})"
	return (
		f"({table}.`customer` in (select `tabCustomer`.`name` from `tabCustomer` where {customers}) or {own})"
	)


def follow_up_conditions(user: str | None = None) -> str:
	"""permission_query_conditions of Customer Follow-up."""
	return query_conditions(FOLLOW_UP, user)


def scheduled_contact_conditions(user: str | None = None) -> str:
	"""permission_query_conditions of Scheduled Contact."""
	return query_conditions(SCHEDULED_CONTACT, user)


def reads_customer(customer: str | None, user: str) -> bool:
	return bool(customer) and bool(frappe.has_permission("Customer", "read", doc=customer, user=user))


READ_PTYPES = {"read", "select", "print", "email", "report", "export", "share"}


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""has_permission of both doctypes: a record is read by who reads its customer and by its own
	people (a follow-up's author, a scheduled contact's assignee and maker); changed and deleted only
	by its own people, the customer's owner (scheduled contacts) and managers who read it. A record
	being made is checked by its controller."""
	user = user or frappe.session.user
	if ptype == "create" or doc.is_new() or user == "Administrator":
		return None
	own_columns = OWN_COLUMNS[doc.doctype]
	stored = frappe.db.get_value(doc.doctype, doc.name, ["customer", *own_columns], as_dict=True)
	if stored is None:
		return None
	own = user in {stored.get(c) for c in own_columns}
	readable = own or reads_customer(stored.customer, user)
	if (ptype or "read") in READ_PTYPES or not readable:
		return None if readable else False
	manager = is_manager(user)
	if doc.doctype == FOLLOW_UP:
		allowed = rules.may_change(user, user if own else None, manager)
	else:
		customer_owner = frappe.db.get_value("Customer", stored.customer, "account_manager")
		allowed = rules.may_change_scheduled(user, stored.owner, stored.assigned_to, customer_owner, manager)
	return None if allowed else False


# --- checks both doctypes share ---


def check_customer(doc) -> None:
	"""A new record, or one moved to another customer, names a customer that exists (Frappe's link
	validation lets a missing one through when a field fetches from it) and the user may read."""
	if not doc.customer or not (doc.is_new() or doc.has_value_changed("customer")):
		return
	if not frappe.db.exists("Customer", doc.customer):
		frappe.throw(
			_("Could not find {0}: {1}").format(_("Customer"), escape_html(doc.customer)),
			frappe.LinkValidationError,
		)
	if doc.flags.ignore_permissions:
		return
	if not frappe.has_permission("Customer", "read", doc=doc.customer):
		frappe.throw(
			_("You cannot add a {0} to customer {1}: you may not read it.").format(
				_(doc.doctype), escape_html(doc.customer)
			),
			frappe.PermissionError,
		)


def check_links(doc) -> None:
	"""The contact is one of the customer's contacts; the deal is the customer's (or a lead's)."""
	if doc.contact and (
		doc.is_new() or doc.has_value_changed("contact") or doc.has_value_changed("customer")
	):
		link = DocType("Dynamic Link")
		linked = (
			frappe.qb.from_(link)
			.select(link.name)
			.where(
				(link.parenttype == "Contact")
				& (link.parent == doc.contact)
				& (link.link_doctype == "Customer")
				& (link.link_name == doc.customer)
			)
			.limit(1)
			.run()
		)
		if not linked and frappe.db.exists("Contact", doc.contact):
			frappe.throw(
				_("Contact {0} is not a contact of customer {1}.").format(
					escape_html(doc.contact), escape_html(doc.customer)
				),
				FollowUpLinkError,
			)
	if doc.deal and (doc.is_new() or doc.has_value_changed("deal") or doc.has_value_changed("customer")):
		deal = frappe.db.get_value("Opportunity", doc.deal, ["opportunity_from", "party_name"], as_dict=True)
		if deal and deal.opportunity_from == "Customer" and deal.party_name != doc.customer:
			frappe.throw(
				_("Deal {0} is not a deal of customer {1}.").format(
					escape_html(doc.deal), escape_html(doc.customer)
				),
				FollowUpLinkError,
			)


def lead_minutes() -> int:
	"""Korus CRM Settings' reminder lead time (minutes); the default until it is set."""
	singles = Table("tabSingles")
	row = (
		frappe.qb.from_(singles)
		.select(singles.value)
		.where((singles.doctype == SETTINGS) & (singles.field == LEAD_MINUTES_FIELD))
		.run()
	)
	if not row or row[0][0] in (None, ""):
		return rules.DEFAULT_LEAD_MINUTES
	return min(max(int(float(row[0][0])), 0), rules.MAX_LEAD_MINUTES)


def set_reminder(doc, when_field: str, pending: bool) -> None:
	"""The reminder columns of a follow-up's next contact or a scheduled contact (the server's own,
	read under a row lock so that a reminder the job is sending is not sent again)."""
	sent, when_changed = False, True
	if not doc.is_new():
		stored = frappe.db.get_value(
			doc.doctype, doc.name, ["reminder_sent", when_field], as_dict=True, for_update=True
		)
		if stored:
			sent = bool(stored.reminder_sent)
			old, new = stored.get(when_field), doc.get(when_field)
			when_changed = (get_datetime(old) if old else None) != (get_datetime(new) if new else None)
	when = doc.get(when_field)
	state = rules.reminder_state(
		when=get_datetime(when) if when else None,
		pending=pending,
		lead_minutes=lead_minutes(),
		reminder_sent=sent,
		when_changed=when_changed,
		now=frappe.utils.now_datetime(),
	)
	doc.remind_at = state.remind_at
	doc.reminder_sent = int(state.reminder_sent)


# --- what a follow-up changes on its customer ---


def latest_follow_up(customer: str) -> frappe._dict | None:
	"""The customer's latest follow-up (index korus_follow_up_customer_time)."""
	rows = frappe.get_all(
		FOLLOW_UP,
		filters={"customer": customer},
		fields=["name", "followed_up_at", "next_contact_at", "creation"],
		order_by="followed_up_at desc, creation desc",
		limit=1,
	)
	return rows[0] if rows else None


def update_customer_timing(customer: str | None) -> None:
	"""The customer's last follow-up and next contact from its latest follow-up (written only when
	they change, through the pool, which moves the return date)."""
	if not customer:
		return
	stored = frappe.db.get_value(
		"Customer", customer, ["korus_last_followup_at", "korus_next_contact_at"], as_dict=True
	)
	if stored is None:
		return
	last = latest_follow_up(customer)
	times = (
		[rules.FollowUpTimes(get_datetime(last.followed_up_at), _dt(last.next_contact_at))] if last else []
	)
	last_at, next_at = rules.customer_timing(times)
	if (_dt(stored.korus_last_followup_at), _dt(stored.korus_next_contact_at)) == (last_at, next_at):
		return
	from korus_crm.customers import pool

	pool.timing_changed(customer, korus_last_followup_at=last_at, korus_next_contact_at=next_at)


def _dt(value):
	return get_datetime(value) if value else None


# --- for the customer page ---


@whitelist(methods=["GET", "POST"])
def customer_follow_ups(
	customer: str,
	start: Annotated[int, Between(0, 10**6)] = 0,
	page_length: Annotated[int, Between(1, 100)] = 20,
) -> list[dict]:
	"""The customer's follow-ups the user may read, newest first (a page)."""
	frappe.has_permission("Customer", "read", doc=customer, throw=True)
	return frappe.get_list(
		FOLLOW_UP,
		filters={"customer": customer},
		fields=[
			"name",
			"followed_up_at",
			"method",
			"content",
			"contact",
			"deal",
			"next_contact_at",
			"next_contact_topic",
			"followed_up_by",
		],
		order_by="followed_up_at desc, creation desc",
		limit_start=start,
		limit_page_length=page_length,
	)
