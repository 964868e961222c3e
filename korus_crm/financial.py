"""Financial Interface Settings (seed "Financial Service Interface Settings"): the connection to the
financial service, and its Test Connection.

Secrets (client_secret, webhook_secret) are Password fields, stored encrypted with the site key;
REST and exports show them masked, and the controller refuses `get_password` on them (so
`frappe.client.get_password` cannot read them back). Server code that talks to the provider reads
them with `get_credentials()`.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import frappe
import requests
from frappe import _
from frappe.utils import cint, escape_html
from frappe.utils.password import get_decrypted_password

from korus_crm.boundary import whitelist
from korus_crm.exceptions import FinancialSettingsError

DOCTYPE = "Financial Interface Settings"
SECRET_FIELDS = ("client_secret", "webhook_secret")
HEALTH_PATH = "/health"
DEFAULT_TIMEOUT = 10
TIMEOUT_RANGE = (1, 120)
# keys of a provider's JSON error body that usually hold its message, most specific first
MESSAGE_KEYS = ("error_description", "message", "detail", "error", "title", "msg")


# --- settings ---


def url_problem(url: str) -> str | None:
	"""Why `url` cannot be the provider's Base URL (translated), or None."""
	try:
		parts = urlsplit(url)
		_port = parts.port  # raises ValueError for a port that is not a number
	except ValueError:
		parts = None
	if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
		return _(
			"The Base URL {0} is not a web address. Enter it as https://host/path, e.g. https://api.example.com/v1."
		).format(frappe.bold(escape_html(url[:200])))
	if parts.username or parts.password:
		return _(
			"Do not put a user name or password in the Base URL: enter them as Client ID and Client Secret."
		)
	if parts.query or parts.fragment:
		return _("The Base URL cannot contain a query (?…) or fragment (#…).")
	return None


def check_settings(doc) -> None:
	"""The controller's validate: a usable address and timeout; what an enabled connection needs."""
	doc.provider = (doc.provider or "").strip()
	doc.client_id = (doc.client_id or "").strip()
	doc.base_url = (doc.base_url or "").strip().rstrip("/")
	if doc.base_url and (problem := url_problem(doc.base_url)):
		frappe.throw(problem, FinancialSettingsError, title=_("Invalid Base URL"))
	if doc.timeout_seconds in (None, ""):
		doc.timeout_seconds = DEFAULT_TIMEOUT
	low, high = TIMEOUT_RANGE
	if not low <= cint(doc.timeout_seconds) <= high:
		frappe.throw(
			_("The timeout must be from {0} to {1} seconds.").format(low, high), FinancialSettingsError
		)
	if doc.enabled and not (doc.provider and doc.base_url):
		frappe.throw(
			_("To enable the financial interface, enter the provider and its Base URL."),
			FinancialSettingsError,
		)


def get_credentials() -> frappe._dict:
	"""The settings with their secrets decrypted, for server code that calls the provider. Never
	return this to a client."""
	settings = frappe.get_single(DOCTYPE)
	return frappe._dict(
		enabled=cint(settings.enabled),
		provider=settings.provider,
		test_mode=cint(settings.test_mode),
		base_url=settings.base_url,
		timeout_seconds=cint(settings.timeout_seconds) or DEFAULT_TIMEOUT,
		client_id=settings.client_id,
		**{f: get_decrypted_password(DOCTYPE, DOCTYPE, f, raise_exception=False) for f in SECRET_FIELDS},
	)


# --- Test Connection ---


@whitelist(methods=["POST"])
def test_connection() -> dict:
	"""Call the provider with the saved settings and say how it went.

	The request is `GET {base_url}/health` with `Accept: application/json`, authenticated with HTTP
	Basic authentication (Client ID as user name, Client Secret as password) when a Client ID is
	set, waiting at most Timeout (Seconds) to connect and as long again for the answer.

	Returns {"ok", "status_code", "message", "url"}: ok for a 2xx answer; otherwise the provider's
	status code and error message, or why no answer came (connection refused, unknown host, timeout,
	TLS failure), as a translated message. Problems with the provider are never raised as errors; only
	missing settings (no Base URL) are refused, with HTTP 417.
	"""
	frappe.has_permission(DOCTYPE, "write", throw=True)
	settings = get_credentials()
	if not settings.base_url:
		frappe.throw(
			_("Enter the provider's Base URL and save before testing the connection."), FinancialSettingsError
		)
	return probe(settings.base_url, settings.client_id, settings.client_secret, settings.timeout_seconds)


def probe(base_url: str, client_id: str | None, client_secret: str | None, timeout: int) -> dict:
	url = base_url.rstrip("/") + HEALTH_PATH
	where = escape_html(url)
	try:
		response = requests.get(
			url,
			auth=(client_id, client_secret or "") if client_id else None,
			headers={"Accept": "application/json", "User-Agent": "Korus CRM"},
			timeout=timeout,
		)
	except requests.exceptions.Timeout:
		return _result(
			False,
			None,
			url,
			_(
				"The provider did not answer within {0} s ({1}). Check the service, or raise the timeout."
			).format(timeout, where),
		)
	except requests.exceptions.SSLError as e:
		return _result(
			False,
			None,
			url,
			_("The secure (TLS) connection to {0} failed: {1}").format(where, escape_html(_reason(e))),
		)
	except requests.exceptions.ConnectionError as e:
		host = escape_html(urlsplit(url).netloc)
		if _caused_by(e, ConnectionRefusedError):
			message = _(
				"Connection refused by {0}: nothing answers at that address. Check the Base URL and that the service is running."
			).format(host)
		elif _caused_by(e, socket.gaierror):
			message = _("The host {0} could not be found. Check the Base URL.").format(host)
		else:
			message = _("Could not connect to {0}: {1}").format(host, escape_html(_reason(e)))
		return _result(False, None, url, message)
	except requests.exceptions.RequestException as e:
		return _result(
			False, None, url, _("The request to {0} failed: {1}").format(where, escape_html(_reason(e)))
		)

	status = response.status_code
	if 200 <= status < 300:
		return _result(
			True,
			status,
			url,
			_("Connected: {0} answered {1} {2}.").format(where, status, escape_html(response.reason or "")),
		)
	message = _("The provider answered {0} {1}.").format(status, escape_html(response.reason or ""))
	if detail := provider_message(response):
		message += " " + _("Its message: {0}").format(escape_html(detail))
	if status in (401, 403):
		message += " " + _("Check the Client ID and Client Secret.")
	elif status == 404:
		message += " " + _("Check the Base URL.")
	return _result(False, status, url, message)


def provider_message(response: requests.Response) -> str:
	"""The error message of a provider's answer: from a JSON body ({"message": …}, {"error":
	{"message": …}}, {"error": "…", "error_description": "…"}), or its plain text; never HTML."""
	content_type = (response.headers.get("Content-Type") or "").lower()
	if "html" in content_type:
		return ""
	try:
		body = response.json()
	except ValueError:
		text = (response.text or "").strip()
		return text[:300]
	return _message_in(body)[:300]


def _message_in(body, depth: int = 0) -> str:
	if isinstance(body, str):
		return body.strip()
	if isinstance(body, dict) and depth < 3:
		for key in MESSAGE_KEYS:
			if key in body and (found := _message_in(body[key], depth + 1)):
				return found
	if isinstance(body, list) and body and depth < 3:
		return _message_in(body[0], depth + 1)
	return ""


def _caused_by(error: BaseException, kind: type) -> bool:
	seen: set[int] = set()
	stack: list = [error]
	while stack:
		current = stack.pop()
		if not isinstance(current, BaseException) or id(current) in seen:
			continue
		seen.add(id(current))
		if isinstance(current, kind) and current is not error:
			return True
		stack.extend(
			[current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]
		)
	return False


def _reason(error: BaseException) -> str:
	reason = error.args[0] if error.args else error
	reason = getattr(reason, "reason", reason)
	return str(reason)[:300]


def _result(ok: bool, status_code: int | None, url: str, message: str) -> dict:
	return {"ok": ok, "status_code": status_code, "url": url, "message": message}


def remove_stored_secrets() -> None:
	"""On uninstall (before_uninstall): the settings' encrypted secrets in Frappe's __Auth table,
	which removing the doctype leaves behind."""
	frappe.db.sql("delete from `__Auth` where doctype = %s", DOCTYPE)
