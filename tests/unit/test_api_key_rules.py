"""Rules of Korus API Keys: expiry, state, the Authorization header, fields fixed at creation."""

import base64
from datetime import date, datetime

import pytest

from korus_crm.rules import api_keys as rules

TODAY = date(2026, 6, 15)


class TestExpiry:
	def test_a_key_stops_working_on_its_expiry_date(self):
		assert not rules.is_expired(date(2026, 6, 16), TODAY)
		assert rules.is_expired(date(2026, 6, 15), TODAY)
		assert rules.is_expired(date(2026, 1, 1), TODAY)

	def test_a_key_without_a_date_never_expires(self):
		assert not rules.is_expired(None, TODAY)

	def test_a_new_keys_date_is_after_today(self):
		assert rules.expiry_is_valid(None, TODAY)
		assert rules.expiry_is_valid(date(2026, 6, 16), TODAY)
		assert not rules.expiry_is_valid(TODAY, TODAY)
		assert not rules.expiry_is_valid(date(2020, 1, 1), TODAY)


class TestState:
	@pytest.mark.parametrize(
		("enabled", "revoked_on", "expires_on", "state"),
		[
			(1, None, None, rules.ACTIVE),
			(1, None, date(2026, 7, 1), rules.ACTIVE),
			(1, None, TODAY, rules.EXPIRED),  # before the daily job has switched it off
			(0, None, TODAY, rules.EXPIRED),
			(0, datetime(2026, 6, 1, 9, 0), date(2026, 7, 1), rules.REVOKED),
			(0, datetime(2026, 6, 1, 9, 0), date(2026, 1, 1), rules.REVOKED),  # revoked wins
			(0, None, None, rules.DISABLED),
		],
	)
	def test_state(self, enabled, revoked_on, expires_on, state):
		assert rules.key_state(enabled, revoked_on, expires_on, TODAY) == state


class TestAuthorizationHeader:
	def test_token(self):
		assert rules.parse_authorization("token abc:def") == ("abc", "def")
		assert rules.parse_authorization("Token abc:def") == ("abc", "def")

	def test_basic(self):
		encoded = base64.b64encode(b"abc:def").decode()
		assert rules.parse_authorization(f"Basic {encoded}") == ("abc", "def")

	@pytest.mark.parametrize(
		"header",
		[
			None,
			"",
			"token",
			"token abc",
			"token abc:",
			"token :def",
			"token a:b:c",
			"token abc:def extra",
			"Bearer abc:def",
			"Basic not-base64!",
			"Basic " + base64.b64encode(b"no-colon").decode(),
			"Basic " + base64.b64encode(b"\xff\xfe:x").decode(),
		],
	)
	def test_anything_else_carries_no_key(self, header):
		assert rules.parse_authorization(header) is None


class TestFixedFields:
	BEFORE = {
		"user": "a@example.com",
		"api_key": "k",
		"api_secret": "*****",
		"expires_on": date(2026, 7, 1),
		"label": "Old",
	}

	def test_the_label_may_change(self):
		assert rules.changed_fields(self.BEFORE, {**self.BEFORE, "label": "New"}) == []

	def test_a_date_sent_as_text_is_the_same_date(self):
		assert rules.changed_fields(self.BEFORE, {**self.BEFORE, "expires_on": "2026-07-01"}) == []
		assert rules.changed_fields(self.BEFORE, {**self.BEFORE, "expires_on": "2026-07-01 00:00:00"}) == []

	@pytest.mark.parametrize(
		("field", "value"),
		[
			("user", "b@example.com"),
			("api_key", "other"),
			("api_secret", "new-secret"),
			("api_secret", None),
			("expires_on", "2027-07-01"),
			("expires_on", None),
		],
	)
	def test_the_fixed_fields_may_not(self, field, value):
		assert rules.changed_fields(self.BEFORE, {**self.BEFORE, field: value}) == [field]

	def test_an_off_key_stays_off(self):
		assert rules.may_enable(True, True)
		assert rules.may_enable(True, False)
		assert rules.may_enable(False, False)
		assert not rules.may_enable(False, True)
