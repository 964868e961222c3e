"""Integration tier: every test here runs against a real Frappe site.

The bench is $FRAPPE_BENCH (default /home/frappe/frappe-bench), the site $KORUS_SITE (default
korus.localhost). Run with the bench's own Python (scripts/test does):

	$FRAPPE_BENCH/env/bin/python -m pytest tests/integration

Without a bench, a site or an importable frappe, every test here is skipped with the reason, and the
summary says so loudly. Each test's database work is rolled back; what a test must commit (users for
REST calls, records written through the API) is deleted again by the fixtures that made it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

BENCH = Path(os.environ.get("FRAPPE_BENCH", "/home/frappe/frappe-bench"))
SITE = os.environ.get("KORUS_SITE", "korus.localhost")
HERE = Path(__file__).resolve().parent


def _why_unavailable() -> str | None:
	if not (BENCH / "apps" / "frappe").is_dir():
		return f"no Frappe bench at {BENCH} (set FRAPPE_BENCH)"
	if not (BENCH / "sites" / SITE / "site_config.json").is_file():
		return f"no site {SITE!r} in {BENCH}/sites (set KORUS_SITE)"
	try:
		import frappe  # noqa: F401
	except ImportError:
		return (
			f"frappe is not importable from {sys.executable}; run this tier with "
			f"{BENCH}/env/bin/python -m pytest tests/integration (scripts/test does)"
		)
	return None


UNAVAILABLE = _why_unavailable()


def _is_integration(item: pytest.Item) -> bool:
	return HERE in Path(str(item.fspath)).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
	if not UNAVAILABLE:
		return
	skip = pytest.mark.skip(reason=f"INTEGRATION TIER NOT RUN: {UNAVAILABLE}")
	for item in items:
		if _is_integration(item):
			item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
	if UNAVAILABLE:
		terminalreporter.write_sep("!", "INTEGRATION TIER SKIPPED", red=True, bold=True)
		terminalreporter.write_line(f"    {UNAVAILABLE}", red=True, bold=True)
		terminalreporter.write_line("    Nothing that needs Frappe was tested.", red=True, bold=True)
	else:
		terminalreporter.write_line(f"integration tier ran against site {SITE!r} in {BENCH}")


@pytest.fixture(scope="session", autouse=True)
def frappe_site():
	"""Connect to the site once for the whole session (as bench does: from the sites folder)."""
	if UNAVAILABLE:
		yield None
		return
	import frappe

	cwd = os.getcwd()
	os.chdir(BENCH / "sites")
	frappe.init(site=SITE, sites_path=str(BENCH / "sites"))
	frappe.connect()
	frappe.flags.in_test = True  # as Frappe's own runner: no gravatar lookups, mails only queued
	frappe.set_user("Administrator")
	from unittest.mock import patch

	from frappe.email.doctype.email_queue.email_queue import EmailQueue

	from korus_crm.setup.site import ensure_setup_complete

	ensure_setup_complete()
	# Mails are queued, never sent: in test mode Frappe sends at once and commits the transaction,
	# which would keep the test's records (and mail the world when the site has an email account).
	no_sending = patch.object(EmailQueue, "send")
	no_sending.start()
	try:
		yield SITE
	finally:
		no_sending.stop()
		frappe.db.rollback()
		frappe.destroy()
		os.chdir(cwd)


@pytest.fixture(autouse=True)
def rollback(frappe_site, request):
	"""Roll back whatever a test wrote and did not commit; start every test as Administrator."""
	if frappe_site is None or request.node.get_closest_marker("uninstall"):
		yield
		return
	import frappe

	frappe.set_user("Administrator")
	before = _record_counts()
	yield
	frappe.db.rollback()
	frappe.set_user("Administrator")
	frappe.local.message_log = []
	after = _record_counts()
	assert after == before, f"the test left committed records behind: {before} -> {after}"


# Doctypes whose counts must be the same before and after every test (a test that commits by
# accident, or whose cleanup fails, is caught here rather than by the next test): every Korus doctype
# (found by module), and the ERPNext and Frappe doctypes Korus writes or makes ERPNext write.
WATCHED_DOCTYPES = (
	"Lead",
	"Customer",
	"Customer Group",
	"Contact",
	"Opportunity",
	"Pricing Rule",
	"User",
	"ToDo",
	"Notification Log",
	"Email Queue",
	"Opportunity Lost Reason",
	"Quotation",
	"Sales Order",
	"Sales Invoice",
	"Delivery Note",
	"Payment Entry",
	"Sales Taxes and Charges Template",
	"Kanban Board",
	"Journal Entry",
	"GL Entry",
	"Employee",
	"Branch",
	"Department",
	"Note",
	"File",
	"Task",
	"User Group",
	"Holiday List",
	"Document Follow",
	"Sales Person",
	"Monthly Distribution",
	# field service (issue 13)
	"Address",
	"Maintenance Schedule",
	"Maintenance Visit",
	"Stock Entry",
	"Stock Ledger Entry",
	# vehicles (issue 14)
	"Vehicle",
	# catalogue (issue 14)
	"Item",
	"Item Price",
	"Bin",
)


def _watched() -> list[str]:
	import frappe

	korus = frappe.get_all(
		"DocType", filters={"module": "Korus CRM", "istable": 0, "issingle": 0}, pluck="name"
	)
	# counter rows stay (at zero) when their column empties, like ERPNext's Sales Stages that mirror
	# a stage's name: neither is a record a test leaves behind
	return sorted({*WATCHED_DOCTYPES, *korus} - {"Board Column Count"})


def _record_counts() -> dict[str, int]:
	import frappe

	return {doctype: frappe.db.count(doctype) for doctype in _watched()}


@pytest.fixture
def committed(frappe_site):
	"""For tests that must commit (REST calls run in their own transaction): register each
	committed record with `committed.add(doctype, name)` and it is deleted after the test."""
	from tests.integration.support import CommittedRecords

	records = CommittedRecords()
	yield records
	records.delete_all()


@pytest.fixture
def api(frappe_site, committed):
	"""`api(*roles)` -> an ApiClient logged in as a fresh user with exactly those roles."""
	from tests.integration.support import ApiClient, make_user

	def login_as(*roles: str) -> ApiClient:
		user, password = make_user(roles)
		committed.add("User", user)
		client = ApiClient(frappe_site)
		client.login(user, password)
		return client

	return login_as


@pytest.fixture
def sales_user(frappe_site, committed):
	"""A committed user with the Sales User role (for assignments and notifications)."""
	from tests.integration.support import make_user

	user, _password = make_user(["Sales User"])
	committed.add("User", user)
	return user


@pytest.fixture
def outgoing_email_account(frappe_site):
	"""A default outgoing Email Account (uncommitted), so that Frappe queues emails (sending is
	switched off for the whole session: mails stay in the queue)."""
	import frappe

	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "Korus Test Outgoing",
			"email_id": "notifications@korus.invalid",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "127.0.0.1",
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)
	frappe.local.outgoing_email_account = {}
	yield account
	frappe.local.outgoing_email_account = {}


@pytest.fixture
def sales_manager(frappe_site, committed):
	"""A committed user with the Sales Manager (and Sales User) roles."""
	from tests.integration.support import make_user

	user, _password = make_user(["Sales User", "Sales Manager"])
	committed.add("User", user)
	return user
