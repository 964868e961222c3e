"""Telling people: an in-app notification (Frappe's Notification Log: the bell, in real time) and an
email through the queue (Email Queue, sent by the scheduler) to each user.

Frappe's Notification Log emails only some of its kinds; Korus's notices (an approval waiting, its
outcome, a reminder) are Alerts, which it does not email, so the email is queued here: when the
site has an outgoing email account and the user has not switched email notifications off."""

from __future__ import annotations

import frappe
from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
from frappe.desk.doctype.notification_settings.notification_settings import is_email_notifications_enabled
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import get_url_to_form


def tell(
	users: list[str] | str,
	doctype: str,
	name: str,
	subject: str,
	message: str | None = None,
	email: bool = True,
) -> list[str]:
	"""Notify `users` (not the current user) about a record; returns whom."""
	if isinstance(users, str):
		users = [users]
	me = frappe.session.user
	users = sorted({u for u in users if u and u not in (me, "Guest")})
	if not users:
		return []
	enqueue_create_notification(
		users,
		{
			"type": "Alert",
			"document_type": doctype,
			"document_name": name,
			"subject": subject,
			"email_content": message,
			"from_user": me,
		},
	)
	if email and EmailAccount.find_outgoing(match_by_doctype=doctype):
		link = get_url_to_form(doctype, name)
		for user in users:
			address = frappe.db.get_value("User", {"name": user, "enabled": 1}, "email")
			if address and is_email_notifications_enabled(user):
				frappe.sendmail(
					recipients=[address],
					subject=frappe.utils.strip_html(subject),
					message=f'<p>{subject}</p>{message or ""}<p><a href="{link}">{name}</a></p>',
					reference_doctype=doctype,
					reference_name=name,
				)
	return users
