# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A user's API key for system-to-system access (korus_crm.api_keys says how it is used).

The server generates the key and its secret when the record is created, whatever the caller sent;
the secret is handed back once (`new_secret`, and `__onload.api_secret` in the answer to the save
that created it) and is never read back afterwards. User, key, secret and expiry never change; a key
that is switched off (revoked, or expired) stays off.
"""

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import ApiKeyChangeError, ApiKeyExpiryError
from korus_crm.rules import api_keys as rules


class KorusAPIKey(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		api_key: DF.Data | None
		api_secret: DF.Password | None
		enabled: DF.Check
		expires_on: DF.Date | None
		label: DF.Data
		last_used_on: DF.Datetime | None
		revoked_by: DF.Link | None
		revoked_on: DF.Datetime | None
		user: DF.Link
	# end: auto-generated types

	def before_insert(self):
		session_user = frappe.session.user
		self.user = self.user or session_user
		if self.user != session_user and not self.flags.ignore_permissions:
			frappe.throw(_("You can only create API keys for yourself."), frappe.PermissionError)
		if self.user == "Guest":
			frappe.throw(_("Log in to create an API key."), frappe.PermissionError)
		self.api_key = frappe.generate_hash(length=rules.KEY_LENGTH)
		self._new_secret = frappe.generate_hash(length=rules.SECRET_LENGTH)
		self.api_secret = self._new_secret
		self.enabled = 1
		self.revoked_on = self.revoked_by = self.last_used_on = None

	def validate(self):
		self.label = (self.label or "").strip()
		if not self.label:
			frappe.throw(_("Give the API key a label, e.g. the system that uses it."), frappe.MandatoryError)
		if self.is_new():
			if not rules.expiry_is_valid(self.expires_on and getdate(self.expires_on), getdate(today())):
				frappe.throw(_("An API key's expiry date must be after today."), ApiKeyExpiryError)
			return
		before = self.get_doc_before_save()
		if before is None:
			return
		changed = rules.changed_fields(before.as_dict(), self.as_dict())
		if changed:
			labels = ", ".join(_(self.meta.get_label(f)) for f in changed)
			frappe.throw(
				_("{0} of an API key cannot be changed. Create a new key instead.").format(labels),
				ApiKeyChangeError,
			)
		if not rules.may_enable(bool(before.enabled), bool(self.enabled)):
			frappe.throw(
				_(
					"An API key that was revoked or has expired cannot be switched on again. Create a new key instead."
				),
				ApiKeyChangeError,
			)
		# kept by the server: a caller's (or a stale form's) values are ignored
		for field in rules.SERVER_FIELDS:
			self.set(field, before.get(field))
		if before.enabled and not self.enabled:
			self.revoked_on = now_datetime()
			self.revoked_by = frappe.session.user

	def after_insert(self):
		self.set_onload("api_secret", self._new_secret)

	def onload(self):
		# the answer to the save that created the key (the desk's form shows it once in a dialog)
		if getattr(self, "_new_secret", None):
			self.set_onload("api_secret", self._new_secret)

	def new_secret(self) -> str | None:
		"""The secret of a key created in this request; None for any other key."""
		return getattr(self, "_new_secret", None)

	def revoke(self) -> None:
		"""Switch the key off for good, recording who and when (an expired key that the daily job
		switched off is marked revoked too)."""
		if self.revoked_on:
			return
		if self.enabled:
			self.enabled = 0
			self.save()
			return
		self.db_set({"revoked_on": now_datetime(), "revoked_by": frappe.session.user}, notify=True)

	def get_password(self, fieldname="password", raise_exception=True):
		if fieldname == "api_secret":
			frappe.throw(
				_("An API key's secret is shown only once, when the key is created; it cannot be read back."),
				frappe.PermissionError,
			)
		return super().get_password(fieldname, raise_exception)


def on_doctype_update():
	# the daily job reads the enabled keys that are due
	frappe.db.add_index("Korus API Key", ["enabled", "expires_on"])
