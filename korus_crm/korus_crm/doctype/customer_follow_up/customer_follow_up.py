# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A follow-up (seed 004 跟进记录; docs/follow-ups.md).

On every save the controller checks the customer (the user may read it), the contact and deal (the
customer's), the dates (not in the future; the next contact after it) and sets what the server
keeps: the author (default: the user), the time (default: now) and the reminder of the next contact
(read by korus_crm.customers.contact_reminders). Saved or deleted, it updates the customer's last
follow-up and next contact; a new one is told to the customer's followers.
"""

import frappe
from frappe import _
from frappe.utils import escape_html, format_datetime, get_datetime, get_fullname, now_datetime

from korus_crm.boundary import CheckedDocument
from korus_crm.customers import follow_ups, following
from korus_crm.exceptions import FollowUpDatesError
from korus_crm.rules import follow_ups as rules


class CustomerFollowup(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact: DF.Link | None
		content: DF.Text
		customer: DF.Link
		customer_name: DF.Data | None
		deal: DF.Link | None
		followed_up_at: DF.Datetime
		followed_up_by: DF.Link
		method: DF.Literal["Call", "Visit", "Email", "Message", "Other"]
		next_contact_at: DF.Datetime | None
		next_contact_topic: DF.SmallText | None
		remind_at: DF.Datetime | None
		reminder_sent: DF.Check
	# end: auto-generated types

	def validate(self):
		self.content = (self.content or "").strip()
		if not self.followed_up_at:
			self.followed_up_at = now_datetime()
		if not self.followed_up_by:
			self.followed_up_by = frappe.session.user
		follow_ups.check_customer(self)
		follow_ups.check_links(self)
		self.validate_dates()
		follow_ups.set_reminder(self, "next_contact_at", pending=True)

	def validate_dates(self):
		problem = rules.follow_up_dates_problem(
			get_datetime(self.followed_up_at),
			get_datetime(self.next_contact_at) if self.next_contact_at else None,
			now_datetime(),
		)
		if problem == "future":
			frappe.throw(
				_("A follow-up records a contact that took place: its time cannot be in the future."),
				FollowUpDatesError,
			)
		if problem == "next before":
			frappe.throw(
				_("The next contact must come after the follow-up ({0}).").format(
					format_datetime(self.followed_up_at)
				),
				FollowUpDatesError,
			)

	def on_update(self):
		before = self.get_doc_before_save()
		if before and before.customer != self.customer:
			follow_ups.update_customer_timing(before.customer)
		follow_ups.update_customer_timing(self.customer)
		if self.flags.in_insert:
			self.tell_followers()

	def after_delete(self):
		follow_ups.update_customer_timing(self.customer)

	def tell_followers(self):
		who = escape_html(get_fullname(frappe.session.user))
		customer = f"<b>{escape_html(self.customer_name or self.customer)}</b>"
		following.tell_followers(
			self.customer,
			lambda lang: _("{0} followed up with customer {1}", lang=lang).format(who, customer),
			message=escape_html(self.content[:300]),
			doctype=self.doctype,
			name=self.name,
		)


def on_doctype_update():
	"""The indexes of the customer's follow-ups (latest first) and of a user's own (docs/follow-ups.md)."""
	frappe.db.add_index("Customer Follow-up", ["customer", "followed_up_at"], "korus_follow_up_customer_time")
	frappe.db.add_index(
		"Customer Follow-up", ["followed_up_by", "followed_up_at"], "korus_follow_up_author_time"
	)
