"""Reminders of contacts to make (seed 004 下次联系时间, seed 001 zaplanowane kontakty): a scheduler
job (every 5 minutes, hooks.py) tells, once, `contact_reminder_minutes` (Korus CRM Settings) before

- a follow-up's next contact time: its author (followed_up_by; else the customer's owner), when it
  is still the customer's next contact (a later follow-up replaced the plan otherwise);
- a scheduled contact's time: its assignee, while it is open;

with an in-app notification and an email (korus_crm.notify).

As korus_crm.tasks.reminders: each record stores when its pending reminder falls due (`remind_at`,
indexed; NULL when none is pending), so a run reads an index range of due rows, never the table;
each reminder is claimed by an UPDATE that clears `remind_at` while still pending (exactly once when
runs overlap); claim and notification are committed together, record by record.
"""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import escape_html, format_datetime, get_datetime

from korus_crm import notify
from korus_crm.rules import follow_ups as rules
from korus_crm.rules.follow_ups import FOLLOW_UP, SCHEDULED_CONTACT

BATCH = 500  # records per doctype and run; the rest are read by the next run

# doctype: (the time of the contact, the columns read)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
	FOLLOW_UP: (
		"next_contact_at",
		("name", "customer", "customer_name", "followed_up_by", "next_contact_at", "next_contact_topic"),
	),
	SCHEDULED_CONTACT: (
		"scheduled_at",
		("name", "customer", "customer_name", "assigned_to", "scheduled_at", "purpose", "status"),
	),
}


def send_due_reminders() -> None:
	"""The scheduler job (hooks.py, cron): each reminder committed with its claim."""
	run(frappe.utils.now_datetime(), commit=True)


def run(now: datetime.datetime, commit: bool = False) -> dict[str, int]:
	"""Send every contact reminder due at `now`; returns how many were sent, per doctype. With
	`commit`, each claim and its notification are committed together (the job); without, the
	caller's transaction holds them (tests, benchmarks)."""
	sent = dict.fromkeys(KINDS, 0)
	for doctype in KINDS:
		rows = due_rows(doctype, now)
		if not rows:
			continue
		owners = customer_owners(rows) if doctype == FOLLOW_UP else {}
		for row in rows:
			if not claim(doctype, row.name, now):
				continue  # another run has it
			recipient = recipient_of(doctype, row, owners)
			if recipient:
				with notify.one_notice(
					"korus_contact_reminder", _("Contact reminder"), doctype, row.name, commit
				):
					tell(doctype, row, recipient)
					sent[doctype] += 1
			if commit:
				frappe.db.commit()
	return sent


def due_rows(doctype: str, now: datetime.datetime) -> list[frappe._dict]:
	return due_rows_query(doctype, now).run(as_dict=True)


def due_rows_query(doctype: str, now: datetime.datetime):
	"""An index range scan on `remind_at` (NULL, none pending, is outside the range)."""
	table = DocType(doctype)
	_when, columns = KINDS[doctype]
	return (
		frappe.qb.from_(table)
		.select(*(table[c] for c in columns))
		.where(table.remind_at <= now)
		.orderby(table.remind_at)
		.limit(BATCH)
	)


def claim(doctype: str, name: str, now: datetime.datetime) -> bool:
	"""Mark the record's reminder sent if it is still pending; True when this call did."""
	table = DocType(doctype)
	frappe.qb.update(table).set(table.reminder_sent, 1).set(table.remind_at, None).where(
		(table.name == name) & (table.remind_at <= now)
	).run()
	return frappe.db._cursor.rowcount == 1


def customer_owners(rows: list[frappe._dict]) -> dict[str, frappe._dict]:
	"""The customers of follow-ups: their owner and next contact time (one query per batch)."""
	names = list({row.customer for row in rows if row.customer})
	return {
		c.name: c
		for c in frappe.get_all(
			"Customer",
			filters={"name": ("in", names)},
			fields=["name", "account_manager", "korus_next_contact_at"],
		)
	}


def recipient_of(doctype: str, row: frappe._dict, owners: dict[str, frappe._dict]) -> str | None:
	if doctype == SCHEDULED_CONTACT:
		return row.assigned_to if row.status == rules.OPEN else None
	customer = owners.get(row.customer)
	if customer is None:
		return None
	planned = customer.korus_next_contact_at
	if not planned or get_datetime(planned) != get_datetime(row.next_contact_at):
		return None  # a later follow-up replaced this plan
	return rules.follow_up_reminder_recipient(row.followed_up_by, customer.account_manager)


def message(doctype: str, row: frappe._dict, lang: str | None) -> str:
	customer = f"<b>{escape_html(row.customer_name or row.customer)}</b>"
	if doctype == FOLLOW_UP:
		return _("Reminder: contact customer {0} at {1}.", lang=lang).format(
			customer, format_datetime(row.next_contact_at)
		)
	return _("Reminder: scheduled contact with customer {0} at {1}.", lang=lang).format(
		customer, format_datetime(row.scheduled_at)
	)


def tell(doctype: str, row: frappe._dict, recipient: str) -> None:
	detail = row.next_contact_topic if doctype == FOLLOW_UP else row.purpose
	notify.tell(
		recipient,
		doctype,
		row.name,
		lambda lang: message(doctype, row, lang),
		message=escape_html(detail) if detail else None,
		include_current_user=True,  # the job's own user too
	)
