"""Korus API Keys: several labelled, revocable, expiring keys per user for system-to-system access
(seed "API Key Management"; seed 004 "API接口权限 / Key Secret").

A client authenticates with Frappe's token authentication against this doctype:

	Authorization: token <api key>:<api secret>
	Frappe-Authorization-Source: Korus API Key

Frappe (frappe/auth.py, validate_api_key_secret) accepts any doctype with api_key, api_secret,
enabled and user fields and checks only `enabled`; `before_request` here runs first (Frappe runs the
before_request hooks before it authenticates) and refuses, with HTTP 401 and a clear message, a key
that is unknown, has a wrong secret, is revoked, has expired (at once, not only after the daily job)
or whose user is disabled; it records the key's last use (at most once a minute per key).

The secret is generated on the server and shown once: `create_api_key` returns it, and a record made
through REST or the desk's form carries it in its `__onload` in the answer to that save only. It is
stored encrypted with the site key (a Password field) and is never read back: the controller refuses
`get_password` (so `frappe.client.get_password` too), REST and exports show it masked.

Users manage their own keys; a System Manager or Korus Administrator lists and revokes anyone's
(`query_conditions`, `has_permission`). Revoking switches a key off and keeps it for audit.

Hooks (hooks.py): before_request `before_request`; permission_query_conditions and has_permission of
"Korus API Key"; daily `disable_expired_keys`.
"""

from __future__ import annotations

import datetime
import hmac

import frappe
from frappe import _
from frappe.utils import format_date, format_datetime, getdate, now_datetime, today
from frappe.utils.password import get_decrypted_password

from korus_crm.boundary import whitelist
from korus_crm.exceptions import ApiKeyRefusedError
from korus_crm.rules import api_keys as rules

DOCTYPE = "Korus API Key"
KEY_ADMIN_ROLES = ("System Manager", "Korus Administrator")


# --- permissions ---


def is_key_admin(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(set(KEY_ADMIN_ROLES) & set(frappe.get_roles(user)))


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions: a user lists their own keys; key administrators every key."""
	user = user or frappe.session.user
	if is_key_admin(user):
		return ""
	return f"`tab{DOCTYPE}`.`user` = {frappe.db.escape(user)}"


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	"""has_permission: a user reads, revokes (and creates) their own keys; key administrators read
	and revoke every key. A key is always created for its creator (the controller checks it)."""
	user = user or frappe.session.user
	if is_key_admin(user):
		return True
	owner = doc.get("user")
	if not owner:
		return ptype == "create"
	return owner == user


# --- whitelisted methods ---


@whitelist(methods=["POST"])
def create_api_key(label: str, expires_on: datetime.date | None = None) -> dict:
	"""A new key for the current user. The answer is the only time the secret is shown."""
	doc = frappe.get_doc(
		{"doctype": DOCTYPE, "label": label, "expires_on": expires_on, "user": frappe.session.user}
	)
	doc.insert()
	return {
		"name": doc.name,
		"label": doc.label,
		"user": doc.user,
		"expires_on": doc.expires_on,
		"api_key": doc.api_key,
		"api_secret": doc.new_secret(),
	}


@whitelist(methods=["POST"])
def revoke_api_key(name: str) -> dict:
	"""Switch a key off for good (its owner, or a key administrator). The record is kept."""
	doc = frappe.get_doc(DOCTYPE, name)
	doc.check_permission("write")
	doc.revoke()
	return {
		"name": doc.name,
		"enabled": doc.enabled,
		"revoked_on": doc.revoked_on,
		"revoked_by": doc.revoked_by,
	}


# --- requests made with a key ---


def before_request() -> None:
	"""before_request hook: a request authenticating with a Korus API Key is refused (HTTP 401, with
	the reason) unless the key is known, the secret right, the key neither revoked nor expired and its
	user enabled; a good key's last use is recorded."""
	request = getattr(frappe.local, "request", None)
	if request is None:
		return
	if frappe.get_request_header("Frappe-Authorization-Source") != rules.AUTHORIZATION_SOURCE:
		return
	credentials = rules.parse_authorization(frappe.get_request_header("Authorization"))
	if credentials is None:
		return  # no key pair: Frappe refuses the request itself
	api_key, api_secret = credentials
	key = frappe.db.get_value(
		DOCTYPE,
		{"api_key": api_key},
		["name", "user", "enabled", "expires_on", "revoked_on"],
		as_dict=True,
	)
	if not key or not _secret_matches(key.name, api_secret):
		_refuse(_("The API key or secret is not valid."))
	state = rules.key_state(
		key.enabled, key.revoked_on, key.expires_on and getdate(key.expires_on), getdate(today())
	)
	if state == rules.REVOKED:
		_refuse(
			_("This API key was revoked on {0}. Create a new key.").format(format_datetime(key.revoked_on))
		)
	if state == rules.EXPIRED:
		_refuse(_("This API key expired on {0}. Create a new key.").format(format_date(key.expires_on)))
	if state == rules.DISABLED:
		_refuse(_("This API key is disabled. Create a new key."))
	if not frappe.db.get_value("User", key.user, "enabled"):
		_refuse(_("The user of this API key is disabled."))
	record_use(key.name, api_key)


def _secret_matches(name: str, api_secret: str) -> bool:
	stored = get_decrypted_password(DOCTYPE, name, "api_secret", raise_exception=False) or ""
	return bool(stored) and hmac.compare_digest(stored.encode(), api_secret.encode())


def _refuse(message: str) -> None:
	frappe.throw(message, ApiKeyRefusedError, title=_("API Key Refused"))


def record_use(name: str, api_key: str) -> None:
	"""Set the key's last_used_on, at most once per key in USE_RECORD_INTERVAL seconds (a Redis key
	set only if absent decides), without touching `modified`, committed at once (the request itself
	may be a GET, which Frappe rolls back)."""
	if frappe.flags.read_only:
		return
	# keyed by the api key: record names can come back (a deleted last name of a series is reused)
	marker = frappe.cache.make_key(f"korus_api_key_used:{api_key}")
	if not frappe.cache.set(marker, 1, ex=rules.USE_RECORD_INTERVAL, nx=True):
		return
	try:
		frappe.db.set_value(DOCTYPE, name, "last_used_on", now_datetime(), update_modified=False)
		frappe.db.commit()
	except Exception:
		# bookkeeping must never fail the request it describes
		frappe.db.rollback()
		frappe.cache.delete(marker)
		frappe.log_error(title=f"Korus API Key {name}: last use not recorded")


# --- scheduler ---


def disable_expired_keys() -> list[str]:
	"""Daily: switch off the enabled keys whose expiry date has come (requests with them are already
	refused by before_request). Reads only the due rows, through the (enabled, expires_on) index. The
	scheduler commits after the job."""
	due = due_keys_query().run(pluck=True)
	for name in due:
		frappe.db.set_value(DOCTYPE, name, "enabled", 0)
	return due


def due_keys_query():
	"""The enabled keys whose expiry date has come. Plain comparisons (get_all would wrap the column
	in ifnull): the (enabled, expires_on) index serves them, and keys without a date (NULL) never
	match."""
	table = frappe.qb.DocType(DOCTYPE)
	return (
		frappe.qb.from_(table)
		.select(table.name)
		.where((table.enabled == 1) & (table.expires_on <= getdate(today())))
		.orderby(table.name)
	)


# --- uninstall ---


def remove_stored_secrets() -> None:
	"""On uninstall (before_uninstall): the keys' encrypted secrets in Frappe's __Auth table, which
	removing the doctype leaves behind."""
	frappe.db.sql("delete from `__Auth` where doctype = %s", DOCTYPE)
