"""Financial Interface Settings: who may read and write them, secrets never read back, the Base URL
checked on save, and Test Connection against a stub provider on 127.0.0.1 (answering 200, 401 with a
JSON error, an HTML error page, or not at all) and against a closed port."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import frappe
import pytest
from frappe.utils.password import get_decrypted_password

from korus_crm.exceptions import FinancialSettingsError
from korus_crm.financial import get_credentials, remove_stored_secrets
from korus_crm.financial import test_connection as run_connection_test

DOCTYPE = "Financial Interface Settings"
URL = f"/api/resource/{DOCTYPE}/{DOCTYPE}"
TEST_CONNECTION = "/api/method/korus_crm.financial.test_connection"
FIELDS = ("enabled", "provider", "test_mode", "base_url", "timeout_seconds", "client_id")
SECRETS = ("client_secret", "webhook_secret")


class StubProvider(BaseHTTPRequestHandler):
	"""/ok/health: 200; /unauthorized/health: 401 with an OAuth-style JSON error; /broken/health: 500
	with an HTML page; /hang/health: answers only after HANG seconds."""

	HANG = 5
	seen: list[dict] = []

	def do_GET(self):
		StubProvider.seen.append({"path": self.path, "authorization": self.headers.get("Authorization")})
		if self.path == "/ok/health":
			self._answer(200, "application/json", json.dumps({"status": "ok"}))
		elif self.path == "/unauthorized/health":
			body = {"error": "invalid_client", "error_description": "Client authentication failed"}
			self._answer(401, "application/json", json.dumps(body))
		elif self.path == "/broken/health":
			self._answer(500, "text/html", "<html><body><h1>Internal Server Error</h1></body></html>")
		elif self.path == "/hang/health":
			time.sleep(self.HANG)
			self._answer(200, "application/json", "{}")
		else:
			self._answer(404, "application/json", json.dumps({"message": "No such endpoint"}))

	def _answer(self, status: int, content_type: str, body: str) -> None:
		try:
			self.send_response(status)
			self.send_header("Content-Type", content_type)
			self.send_header("Content-Length", str(len(body.encode())))
			self.end_headers()
			self.wfile.write(body.encode())
		except (BrokenPipeError, ConnectionResetError):
			pass  # the client gave up (the timeout test)

	def log_message(self, *args) -> None:
		pass


@pytest.fixture(scope="module")
def provider():
	server = ThreadingHTTPServer(("127.0.0.1", 0), StubProvider)
	server.daemon_threads = True
	thread = threading.Thread(target=server.serve_forever, daemon=True)
	thread.start()
	yield f"http://127.0.0.1:{server.server_address[1]}"
	server.shutdown()
	server.server_close()


@pytest.fixture
def closed_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def configure(**values) -> None:
	"""Save the settings in this test's transaction (rolled back after the test)."""
	settings = frappe.get_single(DOCTYPE)
	settings.update({"client_id": "korus", "client_secret": "s3cret-value", "timeout_seconds": 5, **values})
	settings.save()


@pytest.fixture
def committed_settings():
	"""For REST tests: settings saved and committed, then put back as they were."""
	before = frappe.get_single(DOCTYPE)
	original = {f: before.get(f) for f in FIELDS}
	original.update({f: get_decrypted_password(DOCTYPE, DOCTYPE, f, raise_exception=False) for f in SECRETS})

	def commit(**values):
		configure(**values)
		frappe.db.commit()

	versions = set(frappe.get_all("Version", filters={"ref_doctype": DOCTYPE}, pluck="name"))
	yield commit
	frappe.db.rollback()
	settings = frappe.get_single(DOCTYPE)
	settings.update(original)
	settings.flags.ignore_permissions = True
	settings.save()
	for name in set(frappe.get_all("Version", filters={"ref_doctype": DOCTYPE}, pluck="name")) - versions:
		frappe.delete_doc("Version", name, ignore_permissions=True, force=True)
	frappe.db.commit()


class TestTestConnection:
	def test_a_healthy_provider(self, provider):
		StubProvider.seen.clear()
		configure(base_url=f"{provider}/ok/")
		result = run_connection_test()
		assert result["ok"] is True
		assert result["status_code"] == 200
		assert result["url"] == f"{provider}/ok/health"
		assert "Connected" in result["message"]
		# Client ID and Client Secret went as HTTP Basic authentication
		sent = StubProvider.seen[-1]["authorization"]
		assert base64.b64decode(sent.split(" ")[1]).decode() == "korus:s3cret-value"

	def test_the_providers_error_is_reported(self, provider):
		configure(base_url=f"{provider}/unauthorized")
		result = run_connection_test()
		assert result["ok"] is False
		assert result["status_code"] == 401
		assert "401" in result["message"]
		assert "Client authentication failed" in result["message"]
		assert "Check the Client ID and Client Secret." in result["message"]

	def test_an_html_error_page_is_not_shown(self, provider):
		configure(base_url=f"{provider}/broken")
		result = run_connection_test()
		assert result["ok"] is False and result["status_code"] == 500
		assert "500" in result["message"] and "<h1>" not in result["message"]

	def test_a_provider_that_does_not_answer_times_out(self, provider):
		configure(base_url=f"{provider}/hang", timeout_seconds=1)
		started = time.monotonic()
		result = run_connection_test()
		assert time.monotonic() - started < StubProvider.HANG
		assert result["ok"] is False and result["status_code"] is None
		assert "did not answer within 1 s" in result["message"]

	def test_a_closed_port_is_connection_refused(self, closed_port):
		configure(base_url=f"http://127.0.0.1:{closed_port}/api")
		result = run_connection_test()
		assert result["ok"] is False and result["status_code"] is None
		assert "Connection refused" in result["message"]

	def test_an_unknown_host(self):
		configure(base_url="http://korus-no-such-host.invalid")
		result = run_connection_test()
		assert result["ok"] is False
		assert "could not be found" in result["message"]

	def test_without_a_base_url_it_asks_for_one(self):
		configure(base_url="")
		with pytest.raises(FinancialSettingsError):
			run_connection_test()


class TestSettings:
	@pytest.mark.parametrize(
		"base_url",
		[
			"not a url",
			"ftp://files.example.com",
			"https://",
			"https://user:pw@api.example.com",
			"api.example.com",
		],
	)
	def test_a_base_url_that_is_not_a_web_address_is_refused(self, base_url):
		with pytest.raises(FinancialSettingsError):
			configure(base_url=base_url)

	def test_the_timeout_is_bounded_and_enabling_needs_the_essentials(self):
		with pytest.raises(FinancialSettingsError):
			configure(base_url="https://api.example.com", timeout_seconds=600)
		with pytest.raises(frappe.ValidationError):
			configure(enabled=1, provider="", base_url="")

	def test_the_secrets_are_stored_encrypted_and_readable_only_by_server_code(self):
		configure(
			base_url="https://api.example.com/v1/", provider="Example Pay", webhook_secret="hook-secret"
		)
		assert frappe.db.get_single_value(DOCTYPE, "client_secret") != "s3cret-value"
		stored = frappe.db.sql(
			"select password from `__Auth` where doctype=%s and fieldname='client_secret'", DOCTYPE
		)
		assert stored and stored[0][0] != "s3cret-value"  # encrypted with the site key
		credentials = get_credentials()
		assert credentials.client_secret == "s3cret-value"
		assert credentials.webhook_secret == "hook-secret"
		assert credentials.base_url == "https://api.example.com/v1"  # trailing slash dropped
		with pytest.raises(frappe.PermissionError):
			frappe.get_single(DOCTYPE).get_password("client_secret")
		remove_stored_secrets()  # on uninstall; rolled back after the test
		assert get_credentials().client_secret is None


class TestOverRest:
	def test_bad_base_url_gets_a_validation_message(self, api):
		admin = api("Korus Administrator")
		answer = admin.put(URL, {"base_url": "not a url"})
		assert answer.status_code == 417, answer
		assert answer.exc_type == "FinancialSettingsError"
		assert any("is not a web address" in m for m in answer.messages), answer

	def test_only_administrators_read_write_and_test(self, api, committed_settings, provider):
		committed_settings(base_url=f"{provider}/ok", provider="Example Pay", webhook_secret="hook-secret")
		for role in ("Sales User", "Sales Manager", "Korus CRM Manager"):
			client = api(role)
			assert client.get(URL).status_code == 403, role
			assert client.put(URL, {"provider": "Hijacked"}).status_code == 403, role
			assert client.post(TEST_CONNECTION).status_code == 403, role
		for role in ("Korus Administrator", "System Manager"):
			client = api(role)
			read = client.get(URL)
			assert read.status_code == 200, read
			assert read.data["provider"] == "Example Pay"
			for secret in ("s3cret-value", "hook-secret"):
				assert secret not in read.text
			assert set(read.data.get("client_secret") or "*") == {"*"}
			tested = client.post(TEST_CONNECTION)
			assert tested.status_code == 200, tested
			assert tested.data["ok"] is True
		read_back = api("System Manager").post(
			"/api/method/frappe.client.get_password",
			{"doctype": DOCTYPE, "name": DOCTYPE, "fieldname": "client_secret"},
		)
		assert read_back.status_code == 403, read_back
		assert "s3cret-value" not in read_back.text

	def test_a_provider_problem_is_an_answer_not_a_server_error(self, api, committed_settings, closed_port):
		committed_settings(base_url=f"http://127.0.0.1:{closed_port}")
		answer = api("Korus Administrator").post(TEST_CONNECTION)
		assert answer.status_code == 200, answer
		assert answer.data["ok"] is False
		assert "Connection refused" in answer.data["message"]
