# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A scheduled contact (seed 001 zaplanowane kontakty; docs/follow-ups.md).

On every save the controller checks the customer (the user may read it), the contact and deal (the
customer's) and the assignee (an enabled user; default: the user), and sets what the server keeps:
the completion time and the reminder (read by korus_crm.customers.contact_reminders). A new
assignee other than the user is told.
"""

import frappe
from frappe import _
from frappe.utils import escape_html, format_datetime, get_datetime, get_fullname, now_datetime

from korus_crm import notify
from korus_crm.boundary import CheckedDocument
from korus_crm.customers import follow_ups
from korus_crm.exceptions import ContactAssigneeError
from korus_crm.rules import follow_ups as rules


class ScheduledContact(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assigned_to: DF.Link
		contact: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		deal: DF.Link | None
		done_at: DF.Datetime | None
		purpose: DF.SmallText | None
		remind_at: DF.Datetime | None
		reminder_sent: DF.Check
		scheduled_at: DF.Datetime
		status: DF.Literal["Open", "Done", "Cancelled"]
	# end: auto-generated types

	def validate(self):
		if not self.assigned_to:
			self.assigned_to = frappe.session.user
		if not self.status:
			self.status = rules.OPEN
		follow_ups.check_customer(self)
		follow_ups.check_links(self)
		self.validate_assignee()
		before = self.get_doc_before_save()
		self.done_at = rules.done_at(
			self.status,
			before.status if before else None,
			get_datetime(before.done_at) if before and before.done_at else None,
			now_datetime(),
		)
		follow_ups.set_reminder(self, "scheduled_at", pending=self.status == rules.OPEN)

	def validate_assignee(self):
		enabled = frappe.db.get_value("User", self.assigned_to, "enabled")
		if enabled is None:
			return  # Frappe's link validation names it
		if not enabled:
			frappe.throw(
				_("{0} is not an enabled user: a contact cannot be assigned to them.").format(
					escape_html(self.assigned_to)
				),
				ContactAssigneeError,
			)

	def on_update(self):
		before = self.get_doc_before_save()
		if (before is None or before.assigned_to != self.assigned_to) and self.status == rules.OPEN:
			who = escape_html(get_fullname(frappe.session.user))
			customer = f"<b>{escape_html(self.customer_name or self.customer)}</b>"
			when = format_datetime(self.scheduled_at)
			notify.tell(
				self.assigned_to,
				self.doctype,
				self.name,
				lambda lang: _("{0} asked you to contact {1} at {2}", lang=lang).format(who, customer, when),
				message=escape_html(self.purpose or ""),
			)


def on_doctype_update():
	"""The indexes of the views "my open" and "overdue" and of the customer's contacts."""
	frappe.db.add_index(
		"Scheduled Contact", ["assigned_to", "status", "scheduled_at"], "korus_contact_assignee_status"
	)
	frappe.db.add_index("Scheduled Contact", ["status", "scheduled_at"], "korus_contact_status_time")
	frappe.db.add_index(
		"Scheduled Contact", ["customer", "status", "scheduled_at"], "korus_contact_customer_status"
	)
