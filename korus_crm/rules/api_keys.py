"""Rules of Korus API Keys (seed "API Key Management"; seed 004 "API接口权限 / Key Secret"): when a
key is usable, how a request presents one, which fields never change after creation.

A key is sent as Frappe's token authentication with the header
`Frappe-Authorization-Source: Korus API Key`, either `Authorization: token <api key>:<api secret>`
or `Authorization: Basic <base64 of api key:api secret>`.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from collections.abc import Iterable, Mapping

# The header that makes Frappe authenticate the request against this doctype instead of User.
AUTHORIZATION_SOURCE = "Korus API Key"

KEY_LENGTH = 20
SECRET_LENGTH = 40

# last_used_on is written at most once per key in this many seconds
USE_RECORD_INTERVAL = 60

ACTIVE = "Active"
EXPIRED = "Expired"
REVOKED = "Revoked"
DISABLED = "Disabled"

# set when the key is created, never changed afterwards (a caller trying is refused)
FIXED_FIELDS = ("user", "api_key", "api_secret", "expires_on")
# kept by the server only (a caller's value is ignored: the server's stays)
SERVER_FIELDS = ("revoked_on", "revoked_by", "last_used_on")


def is_expired(expires_on: datetime.date | None, today: datetime.date) -> bool:
	"""A key stops working on its expiry date (site time zone); no date: it does not expire."""
	return expires_on is not None and today >= expires_on


def expiry_is_valid(expires_on: datetime.date | None, today: datetime.date) -> bool:
	"""A new key's expiry date, when there is one, is after today."""
	return expires_on is None or expires_on > today


def key_state(
	enabled: bool, revoked_on: object, expires_on: datetime.date | None, today: datetime.date
) -> str:
	"""Revoked (by a person, kept for audit), Expired (past its date, whether or not the daily job
	has disabled it yet), Disabled (otherwise switched off) or Active."""
	if revoked_on:
		return REVOKED
	if is_expired(expires_on, today):
		return EXPIRED
	if not enabled:
		return DISABLED
	return ACTIVE


def parse_authorization(header: str | None) -> tuple[str, str] | None:
	"""(api key, api secret) of an `Authorization` header as Frappe reads it ("token key:secret" or
	"Basic base64(key:secret)"); None when the header carries no key pair (Frappe refuses those
	itself)."""
	parts = (header or "").split(" ")
	if len(parts) != 2:
		return None
	kind, token = parts
	if kind.lower() == "basic":
		try:
			token = base64.b64decode(token, validate=True).decode("utf-8")
		except (binascii.Error, ValueError):
			return None
	elif kind.lower() != "token":
		return None
	pair = token.split(":")
	if len(pair) != 2 or not pair[0] or not pair[1]:
		return None
	return pair[0], pair[1]


def _comparable(value: object) -> str:
	if value is None:
		return ""
	if isinstance(value, datetime.datetime):
		return value.isoformat(sep=" ")
	if isinstance(value, datetime.date):
		return value.isoformat()
	text = str(value).strip()
	# a date sent as text ("2030-01-31" or "2030-01-31 00:00:00") equals the stored date
	if len(text) >= 10 and text[4:5] == "-" and text[7:8] == "-" and text[10:].strip(" 0:") == "":
		return text[:10]
	return text


def changed_fields(before: Mapping, after: Mapping, fields: Iterable[str] = FIXED_FIELDS) -> list[str]:
	"""The `fields` whose value differs between the stored record and the one being saved."""
	return [f for f in fields if _comparable(before.get(f)) != _comparable(after.get(f))]


def may_enable(was_enabled: bool, now_enabled: bool) -> bool:
	"""A key that is off (revoked, or expired and disabled) is never switched on again: a new key is
	made instead."""
	return was_enabled or not now_enabled
