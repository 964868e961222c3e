"""Helpers for the integration tier: committed-record cleanup, test users, a REST client.

REST calls go through Frappe's own WSGI application (`frappe.app.application`) with werkzeug's test
client, in a thread of their own, as Frappe's API tests do (frappe/tests/test_api.py): the whole
request path (session cookie, permission checks, controllers, JSON errors) runs, without a server.
The request runs in its own database transaction, so what it should see must be committed first.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch

import frappe
from frappe.app import application
from werkzeug.test import Client, TestResponse


class CommittedRecords:
	def __init__(self) -> None:
		self._records: list[tuple[str, str]] = []
		self._afterwards: list = []

	def add(self, doctype: str, name: str) -> None:
		self._records.append((doctype, name))

	def afterwards(self, cleanup) -> None:
		"""A function run after the records are deleted (for rows no record owns, such as ledger
		entries or notifications)."""
		self._afterwards.append(cleanup)

	def delete_all(self) -> None:
		frappe.db.rollback()
		frappe.set_user("Administrator")
		for doctype, name in reversed(self._records):
			if doctype == "User":
				# Frappe makes a Contact for every new user and keeps it when the user goes
				for contact in frappe.get_all("Contact", filters={"user": name}, pluck="name"):
					frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
				# and keeps their bell: notifications to or from them that name no deleted record
				# (a login's or an assignment's, made by a request whose record outlives the test)
				frappe.db.delete("Notification Log", {"for_user": name})
				frappe.db.delete("Notification Log", {"from_user": name})
			if not frappe.db.exists(doctype, name):
				continue
			if frappe.db.get_value(doctype, name, "docstatus") == 1:
				doc = frappe.get_doc(doctype, name)
				doc.flags.ignore_permissions = True
				doc.cancel()
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		for cleanup in self._afterwards:
			cleanup()
		frappe.db.commit()


def new_user(*roles: str, first_name: str = "Korus Test") -> str:
	"""A system user with exactly these roles, in the test's transaction (rolled back with it)."""
	email = f"korus-test-{frappe.generate_hash(length=8)}@example.com"
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": first_name,
			"send_welcome_email": 0,
			"user_type": "System User",
			"roles": [{"role": r} for r in roles],
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	return email


def make_user(roles: tuple[str, ...] | list[str]) -> tuple[str, str]:
	"""A committed System User with exactly `roles`; returns (email, password)."""
	email = f"korus-test-{frappe.generate_hash(length=8)}@example.com"
	password = frappe.generate_hash(length=16)
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Korus Test",
			"send_welcome_email": 0,
			"user_type": "System User",
			"new_password": password,
			"roles": [{"role": r} for r in roles],
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	frappe.db.commit()
	return email, password


class ApiResponse:
	def __init__(self, response: TestResponse) -> None:
		self.status_code = response.status_code
		self.text = response.get_data(as_text=True)
		try:
			self.json: dict[str, Any] = json.loads(self.text) if self.text else {}
		except ValueError:
			self.json = {}

	@property
	def data(self) -> Any:
		return self.json.get("data", self.json.get("message"))

	@property
	def exc_type(self) -> str | None:
		return self.json.get("exc_type")

	@property
	def messages(self) -> list[str]:
		"""The server messages (frappe.throw texts) shown to the user."""
		out = []
		for raw in json.loads(self.json.get("_server_messages") or "[]"):
			try:
				out.append(json.loads(raw).get("message", raw))
			except ValueError:
				out.append(raw)
		return out

	def __repr__(self) -> str:
		return f"<ApiResponse {self.status_code} {self.text[:300]}>"


class ApiClient:
	"""A logged-in browser-like client of one site's REST API."""

	def __init__(self, site: str) -> None:
		self.site = site
		self.user: str | None = None
		self.client = Client(application, TestResponse)

	def _call(self, method: str, path: str, **kwargs: Any) -> ApiResponse:
		box: dict[str, Any] = {}

		def run() -> None:
			with patch("frappe.app.get_site_name", return_value=self.site):
				box["response"] = self.client.open(path, method=method, **kwargs)

		thread = threading.Thread(target=run)
		thread.start()
		thread.join()
		return ApiResponse(box["response"])

	def login(self, user: str, password: str) -> None:
		response = self._call("POST", "/api/method/login", data={"usr": user, "pwd": password})
		assert response.status_code == 200, response
		self.user = user

	def get(self, path: str, params: dict | None = None) -> ApiResponse:
		return self._call("GET", path, query_string=params or {})

	def post(self, path: str, data: dict | None = None) -> ApiResponse:
		return self._call("POST", path, json=data or {})

	def put(self, path: str, data: dict | None = None) -> ApiResponse:
		return self._call("PUT", path, json=data or {})

	def delete(self, path: str) -> ApiResponse:
		return self._call("DELETE", path)


@contextmanager
def moved_to(when: str):
	"""Time moved to `when` (the site's local time, as FrappeTestCase.freeze_time takes it: freezegun
	expects UTC)."""
	import pytz
	from frappe.utils import get_datetime, get_system_timezone
	from freezegun import freeze_time

	local = pytz.timezone(get_system_timezone()).localize(get_datetime(when))
	with freeze_time(local.astimezone(pytz.utc)):
		yield


def set_scope(role: str, level: str) -> None:
	"""`role`'s default data scope (korus_crm.rules.scope), in the test's transaction."""
	if frappe.db.exists("Korus Role Scope", role):
		frappe.delete_doc("Korus Role Scope", role)
	frappe.get_doc({"doctype": "Korus Role Scope", "role": role, "default_scope": level}).insert()
