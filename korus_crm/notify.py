"""Telling people about a record, one way for every Korus feature (an approval waiting or decided, a
task's reminder, a work report, an announcement): an in-app notification (Frappe's Notification
Log: the bell, pushed in real time) and an email through the queue (Email Queue, sent by the
scheduler), each in the recipient's language.

Frappe's Notification Log emails only some of its kinds; Korus's notices are Alerts, which it does
not email, so the email is queued here, when asked for, when the site has an outgoing email account
and the recipient has not switched email notifications off. A user who switched notifications off
gets none. The notifications are written in the caller's transaction: rolled back with it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import frappe
from frappe.desk.doctype.notification_settings.notification_settings import (
	is_email_notifications_enabled,
	is_notifications_enabled,
)
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import escape_html, get_url_to_form, strip_html

Text = str | Callable[[str], str]  # a text, or a function of the recipient's language that gives it


def tell(
	users: list[str] | str,
	doctype: str,
	name: str,
	subject: Text,
	message: Text | None = None,
	*,
	from_user: str | None = None,
	email: bool = True,
	include_current_user: bool = False,
	kind: str = "Alert",
) -> list[str]:
	"""Notify `users` about a record; returns who got the in-app notification. The current user is
	left out (they did what is notified) unless `include_current_user` (a scheduled job's notice).
	`kind` "Assignment" (a record given to someone): Frappe's Notification Log emails it itself, by
	the user's settings for assignments, so no email is queued here."""
	if isinstance(users, str):
		users = [users]
	me = frappe.session.user
	wanted = {u for u in users if u and u != "Guest" and (include_current_user or u != me)}
	if not wanted:
		return []
	recipients = frappe.get_all(
		"User",
		filters={"name": ("in", sorted(wanted)), "enabled": 1},
		fields=["name", "email", "language"],
		order_by="name asc",
	)
	default_lang = frappe.db.get_default("lang") or "en"
	in_lang = lambda text, lang: text(lang) if callable(text) else text  # noqa: E731
	sending = email and kind == "Alert" and bool(EmailAccount.find_outgoing(match_by_doctype=doctype))
	told, mails = [], {}
	for user in recipients:
		lang = user.language or default_lang
		if is_notifications_enabled(user.name):
			frappe.get_doc(
				{
					"doctype": "Notification Log",
					"type": kind,
					"for_user": user.name,
					"from_user": from_user or me,
					"document_type": doctype,
					"document_name": name,
					"subject": in_lang(subject, lang),
					"email_content": in_lang(message, lang) if message else None,
				}
			).insert(ignore_permissions=True)
			told.append(user.name)
		if sending and user.email and is_email_notifications_enabled(user.name):
			mails.setdefault(lang, []).append(user.email)
	link = get_url_to_form(doctype, name)
	for lang, addresses in mails.items():
		text = in_lang(subject, lang)
		body = in_lang(message, lang) if message else ""
		frappe.sendmail(
			recipients=addresses,
			subject=strip_html(text),
			message=f'<p>{text}</p>{body}<p><a href="{link}">{escape_html(name)}</a></p>',
			reference_doctype=doctype,
			reference_name=name,
		)
	return told


@contextmanager
def one_notice(savepoint: str, title: str, doctype: str, name: str, commit: bool) -> Iterator[None]:
	"""One notice of a scheduled job, under a savepoint: when the job commits (a scheduled run), a
	notice that fails is rolled back, logged and skipped so that the others go out; called in a
	test or a request (not committing), the failure is raised. Deadlocks and lock timeouts always
	raise (the run is retried)."""
	frappe.db.savepoint(savepoint)
	try:
		yield
	except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
		raise
	except Exception:
		if not commit:
			raise
		frappe.db.rollback(save_point=savepoint)
		frappe.log_error(title=title, reference_doctype=doctype, reference_name=name)
