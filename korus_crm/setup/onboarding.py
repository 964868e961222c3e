"""The Korus setup checklist (issue 14, "First login"; docs/first-login.md).

The checklist is Frappe's Module Onboarding "Korus Setup" with its Onboarding Steps, shipped as
records of the module (korus_crm/korus_crm/module_onboarding/, onboarding_step/, form_tour/) and
synced by Frappe on install and migrate (which keeps each step's is_complete). It is shown on the
Korus CRM workspace (an "onboarding" block) to System Managers and Korus Administrators.

Frappe's desk ticks a step only when the administrator does it from the checklist itself; here a
step also ticks when the record that does it is saved by any path (desk, REST, bench commands):
`record_saved` runs on_update of each doctype in korus_crm.rules.onboarding.STEPS. Saves made by
install, migrate, patches or the setup wizard tick nothing (Korus's own default pipeline, statuses,
scopes and pool are not the administrator's work). Cost per save: one primary-key read of the step.
"""

from __future__ import annotations

import frappe
from frappe import _

from korus_crm.boundary import whitelist
from korus_crm.exceptions import EmailNotSentError
from korus_crm.rules import onboarding as rules


def record_saved(doc, method=None) -> None:
	"""doc_event on_update of the doctypes that do a step: tick the steps this save does."""
	if rules.by_the_system(frappe.flags):
		return
	for step in rules.done_steps(doc.doctype, doc):
		tick(step)


def tick(step: str) -> None:
	"""Mark an Onboarding Step done (once; a step that is not installed is left alone)."""
	if frappe.db.get_value("Onboarding Step", step, "is_complete") == 0:
		frappe.db.set_value("Onboarding Step", step, "is_complete", 1, update_modified=False)


def progress() -> list[dict]:
	"""The checklist's steps in order with whether each is done or skipped (docs, tests, doctor)."""
	names = [row.step for row in frappe.get_doc("Module Onboarding", rules.ONBOARDING).steps]
	rows = {
		row.name: row
		for row in frappe.get_all(
			"Onboarding Step",
			filters={"name": ("in", names)},
			fields=["name", "title", "action", "is_complete", "is_skipped"],
		)
	}
	return [rows[name] for name in names if name in rows]


@whitelist(methods=["POST"])
def send_test_email(email_account: str) -> dict:
	"""The "Send Test Email" button of an Email Account: a short email from it to the current user,
	sent at once; a refusal of the mail server is reported. Done, it ticks the checklist's email step."""
	frappe.has_permission("Email Account", "write", doc=email_account, throw=True)
	account = frappe.get_doc("Email Account", email_account)
	if not account.enable_outgoing:
		frappe.throw(
			_("The email account {0} does not send email: enable outgoing email first.").format(account.name),
			EmailNotSentError,
		)
	recipient = frappe.db.get_value("User", frappe.session.user, "email")
	if not recipient or "@" not in recipient:
		frappe.throw(_("Your user has no email address to send the test email to."), EmailNotSentError)
	try:
		queued = frappe.sendmail(
			recipients=[recipient],
			sender=account.email_id,
			subject=_("Korus CRM test email"),
			message=_("This is a test email from Korus CRM, sent through the email account {0}.").format(
				account.name
			),
			now=True,
		)
	except Exception as e:  # the mail server's refusal, whatever its class, is the answer
		_not_sent(str(e))
	if not queued:  # Frappe queues nothing for an address that unsubscribed from emails
		frappe.throw(
			_("No test email could be sent to {0}: the address has unsubscribed from emails.").format(
				recipient
			),
			EmailNotSentError,
		)
	status, error = frappe.db.get_value("Email Queue", queued.name, ["status", "error"]) or (None, None)
	if status == "Error":
		_not_sent((error or "").strip().splitlines()[-1] if error else "")
	tick(_email_step())
	return {"recipient": recipient}


def _not_sent(reason: str) -> None:
	frappe.throw(
		_("The test email was not sent: {0}").format(reason or _("the mail server refused it")),
		EmailNotSentError,
	)


def _email_step() -> str:
	return next(step.name for step in rules.STEPS if step.doctype == "Email Account")


def remove_records() -> None:
	"""before_uninstall: the checklist goes with the app (Frappe deletes the Module Onboarding of
	the module but not its Onboarding Steps, which have no module)."""
	if frappe.db.exists("Module Onboarding", rules.ONBOARDING):
		frappe.delete_doc("Module Onboarding", rules.ONBOARDING, ignore_permissions=True, force=True)
	for step in rules.STEP_NAMES:
		if frappe.db.exists("Onboarding Step", step):
			frappe.delete_doc("Onboarding Step", step, ignore_permissions=True, force=True)
