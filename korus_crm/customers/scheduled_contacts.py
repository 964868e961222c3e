"""Scheduled contacts (seed 001 zaplanowane kontakty): marking one done, and the views "my open"
and "overdue" (docs/follow-ups.md). Who reads them: korus_crm.customers.follow_ups.

The views are index range scans: a user's own on (assigned_to, status, scheduled_at), everyone's
overdue on (status, scheduled_at); the permission condition narrows them further.
"""

from __future__ import annotations

from typing import Annotated

import frappe
from frappe import _
from frappe.utils import escape_html, now_datetime

from korus_crm.boundary import Between, whitelist
from korus_crm.exceptions import ContactStateError
from korus_crm.rules import follow_ups as rules
from korus_crm.rules.follow_ups import SCHEDULED_CONTACT

FIELDS = [
	"name",
	"customer",
	"customer_name",
	"contact",
	"deal",
	"scheduled_at",
	"assigned_to",
	"purpose",
	"status",
	"done_at",
]


@whitelist(methods=["POST"])
def mark_done(name: str) -> dict:
	"""Mark a scheduled contact done (again: nothing changes). Returns {"name", "status", "done_at"}."""
	if not frappe.db.exists(SCHEDULED_CONTACT, name):
		frappe.throw(
			_("Could not find {0}: {1}").format(_(SCHEDULED_CONTACT), escape_html(name)),
			frappe.DoesNotExistError,
		)
	doc = frappe.get_doc(SCHEDULED_CONTACT, name)
	doc.check_permission("write")
	if doc.status == rules.CANCELLED:
		frappe.throw(
			_("Scheduled contact {0} was cancelled: reopen it before marking it done.").format(
				escape_html(name)
			),
			ContactStateError,
		)
	if doc.status != rules.DONE:
		doc.status = rules.DONE
		doc.save()
	return {"name": doc.name, "status": doc.status, "done_at": doc.done_at}


def _page(filters: list, order_by: str, start: int, page_length: int) -> list[dict]:
	return frappe.get_list(
		SCHEDULED_CONTACT,
		filters=filters,
		fields=FIELDS,
		order_by=order_by,
		limit_start=start,
		limit_page_length=page_length,
	)


@whitelist(methods=["GET", "POST"])
def my_open(
	start: Annotated[int, Between(0, 10**6)] = 0,
	page_length: Annotated[int, Between(1, 500)] = 20,
) -> list[dict]:
	"""The user's open scheduled contacts, the soonest first (FIELDS of each)."""
	filters = [["assigned_to", "=", frappe.session.user], ["status", "=", rules.OPEN]]
	return _page(filters, "scheduled_at asc", start, page_length)


@whitelist(methods=["GET", "POST"])
def overdue(
	mine: bool = False,
	start: Annotated[int, Between(0, 10**6)] = 0,
	page_length: Annotated[int, Between(1, 500)] = 20,
) -> list[dict]:
	"""Open scheduled contacts past their time that the user reads (`mine`: assigned to the user),
	the longest overdue first (FIELDS of each)."""
	filters = [["status", "=", rules.OPEN], ["scheduled_at", "<", now_datetime()]]
	if mine:
		filters.append(["assigned_to", "=", frappe.session.user])
	return _page(filters, "scheduled_at asc", start, page_length)
