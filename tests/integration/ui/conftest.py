"""UI tier: desk journeys in headless Chromium, driven by Playwright (sync API), against a served site.

It runs inside the integration tier (tests/integration/conftest.py connects this process to the site
as Administrator, rolls back each test and checks that no records leak). The browser talks to the
site over HTTP in requests of its own, so whatever a journey needs must be COMMITTED first and
deleted afterwards: register every committed record with `committed.add(doctype, name)` (records are
deleted in reverse order of registration, submitted ones cancelled first). To see what the browser
committed, call `frappe.db.rollback()` first (this process's transaction keeps its snapshot).

Environment:
	KORUS_TEST_URL      base URL of the served site, e.g. http://korus-ci-....localhost:41234 (scripts/test
	                    serves the throwaway site with tests/integration/ui/serve_site.py and sets it;
	                    the browser resolves the URL's host to 127.0.0.1)
	KORUS_CHROMIUM      the browser (default /usr/bin/chromium, Debian's package; `playwright install`
	                    is never needed)
	KORUS_UI_ARTIFACTS  folder for failure screenshots, page HTML and console logs (default: a new
	                    temporary folder, named in the summary)

Without KORUS_TEST_URL, Chromium or the playwright package, every test here is SKIPPED and the summary
says so loudly ("UI TIER SKIPPED"); none passes.

Fixtures:
	browser       (session) a Playwright Browser: Chromium, headless, a fresh profile
	ui_url        (session) the base URL; pages of these fixtures have it as base_url (page.goto("/app/lead"))
	desk_user     desk_user(*roles) -> (email, password): a committed System User with exactly those
	              roles, registered in `committed`
	desk_login    desk_login(email, password) -> Page: a new browser context (own cookies) logged in
	              through /login, on the desk, ready; set up after `committed` and closed before its
	              cleanup. On failure of the test each page's screenshot, HTML and browser console
	              are saved to the artifacts folder.
	desk_as       desk_as(*roles) -> Page: desk_user + desk_login in one call

Helpers for journeys are in tests/integration/ui/desk.py: goto_desk, wait_for_desk, wait_idle,
open_form, wait_for_form, form_doc, group_button ("Korus" > "Convert"), custom_button, dialog,
dialog_field, primary_action, submit_dialog (fails with the server's message), messages, fetch (a GET
from inside the page, with its session: Playwright's page.request runs outside the browser, where the
site's name does not resolve) and wait_until; tests/integration/ui/cleanup.py registers what a
journey made in the browser (register_lead_conversion, links_to: Korus records pointing at a record).
A board journey, for instance:

	def test_drag_a_deal(desk_as, committed):
		deal = make_deal(...); frappe.db.commit(); committed.add("Opportunity", deal.name)
		page = desk_as("Sales User")
		goto_desk(page, "/app/opportunity/view/kanban/<board>")
		card = page.locator(f'.kanban-card-wrapper[data-name="{deal.name}"]')
		card.drag_to(page.locator('.kanban-column[data-column-value="Proposal"] .kanban-cards'))
		wait_idle(page)
		frappe.db.rollback()
		assert frappe.db.get_value("Opportunity", deal.name, "deal_stage") == ...

(the desk's board uses Sortable.js: where drag_to does not move a card, drive page.mouse: move to the
card, down(), move(x, y, steps=20) over the target column, up(); then wait_idle.)

Run only this tier against a served site (as the bench's owner, from the checkout):
	KORUS_SITE=S KORUS_TEST_URL=http://S:PORT $FRAPPE_BENCH/env/bin/python -m pytest tests/integration/ui
and leave it out of a run with --ignore=tests/integration/ui.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

HERE = Path(__file__).resolve().parent
URL = os.environ.get("KORUS_TEST_URL", "").strip().rstrip("/")
CHROMIUM = os.environ.get("KORUS_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_MS = 30_000  # default timeout of every wait in a page


def _why_unavailable() -> str | None:
	if not URL:
		return "no served site: KORUS_TEST_URL is not set (scripts/test serves the site and sets it)"
	if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
		return (
			f"no Chromium at {CHROMIUM} (Debian's chromium: scripts/setup installs it; or set KORUS_CHROMIUM)"
		)
	try:
		import playwright.sync_api  # noqa: F401
	except ImportError:
		return f"the playwright package is not importable from {sys.executable} (scripts/setup installs it)"
	return None


UNAVAILABLE = _why_unavailable()
_collected: list[str] = []


def _is_ui(item: pytest.Item) -> bool:
	return HERE in Path(str(item.fspath)).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
	if UNAVAILABLE:
		skip = pytest.mark.skip(reason=f"UI TIER NOT RUN: {UNAVAILABLE}")
		for item in items:
			if _is_ui(item):
				item.add_marker(skip)


def pytest_collection_finish(session: pytest.Session) -> None:
	_collected[:] = [item.nodeid for item in session.items if _is_ui(item)]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
	if not _collected:
		return
	if UNAVAILABLE:
		terminalreporter.write_sep("!", "UI TIER SKIPPED", red=True, bold=True)
		terminalreporter.write_line(f"    {UNAVAILABLE}", red=True, bold=True)
		terminalreporter.write_line(
			f"    {len(_collected)} desk journey(s) were NOT run; nothing in the browser was tested.",
			red=True,
			bold=True,
		)
		return
	terminalreporter.write_line(f"UI tier: {len(_collected)} desk journey(s) against {URL} in {CHROMIUM}")
	for folder in _artifacts_dir:
		terminalreporter.write_line(f"UI tier: screenshots of failed journeys in {folder}", yellow=True)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
	"""Keeps each phase's report on the item, so that fixtures know whether the test failed."""
	outcome = yield
	report = outcome.get_result()
	setattr(item, f"_korus_report_{report.when}", report)


def _failed(request: pytest.FixtureRequest) -> bool:
	return any(
		getattr(getattr(request.node, f"_korus_report_{when}", None), "failed", False)
		for when in ("setup", "call")
	)


def chromium_args(host: str) -> list[str]:
	args = [
		"--headless=new",
		"--no-sandbox",
		"--disable-gpu",
		"--disable-quic",
		"--no-first-run",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
	]
	if host and not re.fullmatch(r"[\d.]+|localhost", host):
		args.append(f"--host-resolver-rules=MAP {host} 127.0.0.1")
	return args


@pytest.fixture(scope="session")
def ui_url(frappe_site) -> str:
	"""The served site's base URL; fails (not skips) when the server does not answer."""
	try:
		with urllib.request.urlopen(
			urllib.request.Request(
				f"http://127.0.0.1:{urlparse(URL).port or 80}/api/method/ping",
				headers={"Host": urlparse(URL).netloc},
			),
			timeout=30,
		) as response:
			assert json.load(response).get("message") == "pong"
	except (OSError, urllib.error.URLError, AssertionError) as e:
		pytest.fail(f"the site at KORUS_TEST_URL={URL} does not answer /api/method/ping: {e}")
	return URL


@pytest.fixture(scope="session")
def browser(ui_url):
	"""Chromium (headless, fresh profile: Playwright's launch() makes a new temporary user-data dir
	and removes it afterwards), shared by the session; each login gets its own context."""
	from playwright.sync_api import sync_playwright

	playwright = sync_playwright().start()
	try:
		chromium = playwright.chromium.launch(
			executable_path=CHROMIUM, args=chromium_args(urlparse(ui_url).hostname or ""), timeout=60_000
		)
		try:
			yield chromium
		finally:
			chromium.close()
	finally:
		playwright.stop()


_artifacts_dir: list[Path] = []


def artifacts_folder() -> Path:
	"""The folder for failure artifacts, made on first use (a run without failures leaves none)."""
	if not _artifacts_dir:
		folder = os.environ.get("KORUS_UI_ARTIFACTS")
		if folder:
			path = Path(folder)
			path.mkdir(parents=True, exist_ok=True)
		else:
			path = Path(tempfile.mkdtemp(prefix="korus-ui-"))
		_artifacts_dir.append(path)
	return _artifacts_dir[0]


@pytest.fixture
def desk_user(committed):
	"""desk_user(*roles) -> (email, password) of a committed System User with exactly those roles."""
	from tests.integration.support import make_user

	def make(*roles: str) -> tuple[str, str]:
		user, password = make_user(list(roles))
		committed.add("User", user)
		return user, password

	return make


@pytest.fixture
def desk_login(browser, ui_url, committed, request):
	"""desk_login(email, password) -> a Page in a fresh context, logged in through /login, with the
	desk booted and idle."""
	from tests.integration.ui.desk import wait_for_desk

	opened = []  # (context, page, console lines)

	def login(user: str, password: str):
		context = browser.new_context(base_url=ui_url, viewport={"width": 1440, "height": 900})
		context.set_default_timeout(TIMEOUT_MS)
		page = context.new_page()
		console: list[str] = []
		page.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
		page.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
		opened.append((context, page, console))
		page.goto("/login")
		page.locator("#login_email").fill(user)
		page.locator("#login_password").fill(password)
		page.locator("form.form-login button.btn-login[type=submit]").first.click()
		page.wait_for_url(re.compile(r"/app(/.*)?([?#].*)?$"))
		wait_for_desk(page)
		return page

	yield login

	failed = _failed(request)
	for i, (context, page, console) in enumerate(opened):
		try:
			if failed and not page.is_closed():
				folder = artifacts_folder()
				stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-120:] + (f"-{i}" if i else "")
				page.screenshot(path=str(folder / f"{stem}.png"), full_page=True)
				(folder / f"{stem}.html").write_text(page.content())
				(folder / f"{stem}.console.txt").write_text(f"URL: {page.url}\n" + "\n".join(console))
		finally:
			context.close()


@pytest.fixture
def desk_as(desk_user, desk_login):
	"""desk_as(*roles) -> a logged-in Page of a fresh committed user with exactly those roles."""

	def open_desk(*roles: str):
		return desk_login(*desk_user(*roles))

	return open_desk
