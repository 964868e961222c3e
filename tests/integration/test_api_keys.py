"""Korus API Keys over REST: created by a user with the secret shown once, used through Frappe's
token authentication (`Frappe-Authorization-Source: Korus API Key`), refused once revoked, expired
or wrong, seen and revoked only by their owner or a key administrator; the daily expiry job."""

from __future__ import annotations

import base64
import json

import frappe
import pytest
from frappe.utils import add_days, today

from korus_crm.api_keys import (
	disable_expired_keys,
	due_keys_query,
	remove_stored_secrets,
)
from korus_crm.exceptions import ApiKeyChangeError, ApiKeyExpiryError
from tests.integration.support import ApiClient

DOCTYPE = "Korus API Key"
KEY_URL = "/api/resource/Korus API Key"
WHO_AM_I = "/api/method/frappe.auth.get_logged_user"
CREATE = "/api/method/korus_crm.api_keys.create_api_key"
REVOKE = "/api/method/korus_crm.api_keys.revoke_api_key"


class KeyClient(ApiClient):
	"""A client that authenticates every request with an API key pair instead of a session."""

	def __init__(self, site: str, api_key: str, api_secret: str, basic: bool = False) -> None:
		super().__init__(site)
		token = f"{api_key}:{api_secret}"
		self.headers = {
			"Authorization": f"Basic {base64.b64encode(token.encode()).decode()}"
			if basic
			else f"token {token}",
			"Frappe-Authorization-Source": DOCTYPE,
		}

	def _call(self, method, path, **kwargs):
		kwargs.setdefault("headers", self.headers)
		return super()._call(method, path, **kwargs)


def create_key(client: ApiClient, committed, label: str = "ERP sync", expires_on: str | None = None) -> dict:
	response = client.post(CREATE, {"label": label, "expires_on": expires_on or add_days(today(), 30)})
	assert response.status_code == 200, response
	key = response.data
	committed.add(DOCTYPE, key["name"])
	return key


def key_client(client: ApiClient, key: dict, secret: str | None = None, **kwargs) -> KeyClient:
	return KeyClient(client.site, key["api_key"], secret or key["api_secret"], **kwargs)


def stored(name: str, field: str):
	frappe.db.rollback()  # see what the requests committed
	return frappe.db.get_value(DOCTYPE, name, field)


class TestUsingAKey:
	def test_a_sales_user_creates_a_key_and_calls_the_api_with_it(self, api, committed):
		me = api("Sales User")
		key = create_key(me, committed)
		assert key["user"] == me.user
		assert key["api_key"] and len(key["api_secret"]) >= 32
		assert stored(key["name"], "last_used_on") is None

		for client in (key_client(me, key), key_client(me, key, basic=True)):
			answer = client.get(WHO_AM_I)
			assert answer.status_code == 200, answer
			assert answer.data == me.user
		assert stored(key["name"], "last_used_on") is not None

	def test_last_use_is_written_at_most_once_a_minute(self, api, committed):
		me = api("Sales User")
		key = create_key(me, committed)
		client = key_client(me, key)
		assert client.get(WHO_AM_I).status_code == 200
		first = stored(key["name"], "last_used_on")
		modified = stored(key["name"], "modified")
		assert client.get(WHO_AM_I).status_code == 200
		assert stored(key["name"], "last_used_on") == first
		assert stored(key["name"], "modified") == modified  # bookkeeping, not an edit

	def test_a_wrong_secret_or_unknown_key_is_refused(self, api, committed):
		me = api("Sales User")
		key = create_key(me, committed)
		for client in (
			key_client(me, key, secret="0" * 40),
			KeyClient(me.site, "no-such-key", key["api_secret"]),
		):
			answer = client.get(WHO_AM_I)
			assert answer.status_code == 401, answer
			assert "The API key or secret is not valid." in answer.messages
		assert stored(key["name"], "last_used_on") is None

	def test_a_revoked_key_is_refused_and_kept(self, api, committed):
		me = api("Sales User")
		key = create_key(me, committed)
		client = key_client(me, key)
		assert client.get(WHO_AM_I).status_code == 200

		revoked = me.post(REVOKE, {"name": key["name"]})
		assert revoked.status_code == 200, revoked
		answer = client.get(WHO_AM_I)
		assert answer.status_code == 401, answer
		assert any("revoked" in m for m in answer.messages), answer
		frappe.db.rollback()
		row = frappe.db.get_value(DOCTYPE, key["name"], ["enabled", "revoked_by", "revoked_on"], as_dict=True)
		assert row.enabled == 0 and row.revoked_by == me.user and row.revoked_on

		# off for good: it cannot be switched on again
		again = me.put(f"{KEY_URL}/{key['name']}", {"enabled": 1})
		assert again.status_code == 417, again
		assert again.exc_type == "ApiKeyChangeError"

	def test_an_expired_key_is_refused_at_once(self, api, committed):
		me = api("Sales User")
		key = create_key(me, committed)
		# the key's date has come; the daily job has not run yet (enabled is still 1)
		frappe.db.set_value(DOCTYPE, key["name"], "expires_on", today())
		frappe.db.commit()
		answer = key_client(me, key).get(WHO_AM_I)
		assert answer.status_code == 401, answer
		assert any("expired" in m for m in answer.messages), answer
		assert stored(key["name"], "enabled") == 1

	def test_a_key_of_a_disabled_user_is_refused(self, api, committed):
		me = api("Sales User")
		key = create_key(me, committed)
		frappe.db.set_value("User", me.user, "enabled", 0)
		frappe.db.commit()
		answer = key_client(me, key).get(WHO_AM_I)
		assert answer.status_code == 401, answer
		assert "The user of this API key is disabled." in answer.messages


class TestTheSecret:
	def test_the_secret_is_never_returned_after_creation(self, api, committed):
		me = api("Sales User")
		admin = api("Korus Administrator")
		system_manager = api("System Manager")
		key = create_key(me, committed)
		secret = key["api_secret"]
		for client in (me, admin, system_manager):
			single = client.get(f"{KEY_URL}/{key['name']}")
			assert single.status_code == 200, single
			assert single.data["api_key"] == key["api_key"]
			assert secret not in single.text
			assert set(single.data.get("api_secret") or "*") == {"*"}
			listed = client.get(
				KEY_URL, {"fields": '["name", "api_key", "api_secret"]', "limit_page_length": 0}
			)
			assert listed.status_code == 200, listed
			assert secret not in listed.text
		# the list's Export (Report Builder) carries the masked value only
		exported = system_manager.post(
			"/api/method/frappe.desk.reportview.export_query",
			{
				"doctype": DOCTYPE,
				"file_format_type": "CSV",
				"fields": json.dumps([f"`tab{DOCTYPE}`.`name`", f"`tab{DOCTYPE}`.`api_secret`"]),
				"filters": json.dumps([[DOCTYPE, "name", "=", key["name"]]]),
			},
		)
		frappe.db.rollback()
		for log in frappe.get_all("Access Log", filters={"user": system_manager.user}, pluck="name"):
			committed.add("Access Log", log)
		assert exported.status_code == 200, exported
		assert key["name"] in exported.text and "****" in exported.text
		assert secret not in exported.text
		# Frappe lets a System Manager read Password fields back; not this one
		read_back = system_manager.post(
			"/api/method/frappe.client.get_password",
			{"doctype": DOCTYPE, "name": key["name"], "fieldname": "api_secret"},
		)
		assert read_back.status_code == 403, read_back
		assert secret not in read_back.text

	def test_a_key_made_through_rest_returns_its_secret_once(self, api, committed):
		me = api("Sales User")
		made = me.post(KEY_URL, {"label": "Desk-made", "api_key": "mine", "api_secret": "chosen-by-me"})
		assert made.status_code == 200, made
		committed.add(DOCTYPE, made.data["name"])
		# the server chose the key and secret, whatever the caller sent
		assert made.data["api_key"] != "mine"
		secret = made.data["__onload"]["api_secret"]
		assert secret != "chosen-by-me"
		assert key_client(me, made.data, secret=secret).get(WHO_AM_I).data == me.user
		assert secret not in me.get(f"{KEY_URL}/{made.data['name']}").text

	def test_the_desks_form_gets_the_secret_in_the_answer_to_its_first_save_only(self, api, committed):
		me = api("Sales User")
		new = {"doctype": DOCTYPE, "name": "new-korus-api-key-1", "__islocal": 1, "label": "From the form"}
		saved = me.post(
			"/api/method/frappe.desk.form.save.savedocs", {"doc": json.dumps(new), "action": "Save"}
		)
		assert saved.status_code == 200, saved
		doc = saved.json["docs"][0]
		committed.add(DOCTYPE, doc["name"])
		secret = doc["__onload"]["api_secret"]
		assert key_client(me, doc, secret=secret).get(WHO_AM_I).data == me.user

		loaded = me.get("/api/method/frappe.desk.form.load.getdoc", {"doctype": DOCTYPE, "name": doc["name"]})
		assert loaded.status_code == 200, loaded
		assert secret not in loaded.text
		resaved = me.post(
			"/api/method/frappe.desk.form.save.savedocs",
			{"doc": json.dumps({**loaded.json["docs"][0], "label": "Renamed"}), "action": "Save"},
		)
		assert resaved.status_code == 200, resaved
		assert secret not in resaved.text
		# the form sent the masked secret back: the key still works
		assert key_client(me, doc, secret=secret).get(WHO_AM_I).status_code == 200

	def test_the_secret_key_user_and_expiry_cannot_be_changed(self, api, committed):
		me = api("Sales User")
		key = create_key(me, committed)
		for change in (
			{"api_secret": "my-own-secret"},
			{"api_key": "my-own-key"},
			{"expires_on": add_days(today(), 3650)},
		):
			answer = me.put(f"{KEY_URL}/{key['name']}", change)
			assert answer.status_code == 417, (change, answer)
			assert answer.exc_type == "ApiKeyChangeError"
		assert key_client(me, key).get(WHO_AM_I).status_code == 200
		# the label can be changed
		relabelled = me.put(f"{KEY_URL}/{key['name']}", {"label": "Warehouse sync"})
		assert relabelled.status_code == 200, relabelled
		assert relabelled.data["label"] == "Warehouse sync"


class TestWhoManagesKeys:
	def test_another_user_can_neither_see_nor_revoke_my_key(self, api, committed):
		me = api("Sales User")
		other = api("Sales User", "Sales Manager")
		key = create_key(me, committed)
		mine = create_key(other, committed, label="Other's own")

		assert other.get(f"{KEY_URL}/{key['name']}").status_code == 403
		listed = other.get(KEY_URL, {"fields": '["name", "user"]', "limit_page_length": 0})
		assert [row["name"] for row in listed.data] == [mine["name"]]
		assert other.post(REVOKE, {"name": key["name"]}).status_code == 403
		assert other.put(f"{KEY_URL}/{key['name']}", {"enabled": 0}).status_code == 403
		assert stored(key["name"], "enabled") == 1
		assert key_client(me, key).get(WHO_AM_I).status_code == 200

	def test_a_key_is_made_only_for_oneself(self, api, committed):
		me = api("Sales User")
		other = api("Sales User")
		made = me.post(KEY_URL, {"label": "For someone else", "user": other.user})
		assert made.status_code == 403, made
		frappe.db.rollback()
		assert not frappe.db.exists(DOCTYPE, {"user": other.user})

	@pytest.mark.parametrize("role", ["Korus Administrator", "System Manager"])
	def test_a_key_administrator_lists_and_revokes_anyones_key(self, api, committed, role):
		me = api("Sales User")
		admin = api(role)
		key = create_key(me, committed)
		listed = admin.get(KEY_URL, {"fields": '["name", "user"]', "limit_page_length": 0})
		assert {"name": key["name"], "user": me.user} in listed.data
		revoked = admin.post(REVOKE, {"name": key["name"]})
		assert revoked.status_code == 200, revoked
		assert revoked.data["revoked_by"] == admin.user
		assert key_client(me, key).get(WHO_AM_I).status_code == 401

	def test_an_expiry_in_the_past_is_refused(self, api):
		me = api("Sales User")
		answer = me.post(CREATE, {"label": "Too late", "expires_on": today()})
		assert answer.status_code == 417, answer
		assert answer.exc_type == "ApiKeyExpiryError"
		assert "An API key's expiry date must be after today." in answer.messages

	def test_a_user_without_a_crm_role_cannot_create_keys(self, api):
		answer = api("Blogger").post(CREATE, {"label": "Nope"})
		assert answer.status_code == 403, answer


class TestInProcess:
	def test_the_daily_job_disables_the_keys_that_are_due(self, sales_user):
		def make(expires_on):
			doc = frappe.get_doc(
				{"doctype": DOCTYPE, "label": "Job", "user": sales_user, "expires_on": expires_on}
			)
			return doc.insert(ignore_permissions=True)

		due = make(add_days(today(), 1))
		later = make(add_days(today(), 2))
		never = make(None)
		frappe.db.set_value(DOCTYPE, due.name, "expires_on", today())
		disabled = disable_expired_keys()
		assert due.name in disabled
		assert {later.name, never.name}.isdisjoint(disabled)
		assert frappe.db.get_value(DOCTYPE, due.name, "enabled") == 0
		assert frappe.db.get_value(DOCTYPE, later.name, "enabled") == 1
		assert disable_expired_keys() == []
		# revoking an expired key records who did it
		doc = frappe.get_doc(DOCTYPE, due.name)
		doc.revoke()
		assert frappe.db.get_value(DOCTYPE, due.name, "revoked_by") == "Administrator"

	def test_the_job_reads_the_due_rows_through_an_index(self):
		indexes = frappe.db.sql(f"show index from `tab{DOCTYPE}`", as_dict=True)
		columns = {}
		for row in indexes:
			columns.setdefault(row.Key_name, []).append(row.Column_name)
		assert ["enabled", "expires_on"] in columns.values()
		assert any(cols == ["api_key"] for name, cols in columns.items() if name != "PRIMARY")
		plan = frappe.db.sql(f"explain {due_keys_query().get_sql()}", as_dict=True)
		assert "enabled_expires_on_index" in (plan[0].possible_keys or ""), plan

	def test_changes_are_refused_in_process_too(self, sales_user):
		doc = frappe.get_doc(
			{"doctype": DOCTYPE, "label": "Job", "user": sales_user, "expires_on": add_days(today(), 5)}
		).insert(ignore_permissions=True)
		doc.user = "Administrator"
		with pytest.raises(ApiKeyChangeError):
			doc.save()
		with pytest.raises(ApiKeyExpiryError):
			frappe.get_doc(
				{"doctype": DOCTYPE, "label": "Old", "user": sales_user, "expires_on": add_days(today(), -1)}
			).insert(ignore_permissions=True)

	def test_uninstall_forgets_the_stored_secrets(self, sales_user):
		frappe.get_doc({"doctype": DOCTYPE, "label": "Gone", "user": sales_user}).insert(
			ignore_permissions=True
		)
		count = "select count(*) from `__Auth` where doctype = %s"
		assert frappe.db.sql(count, DOCTYPE)[0][0] >= 1
		remove_stored_secrets()  # rolled back after the test
		assert frappe.db.sql(count, DOCTYPE)[0][0] == 0
