"""Helpers for desk journeys: waiting for the desk, opening forms, buttons, dialogs, messages.

Every wait is on a condition in the page (a selector or a JavaScript predicate), never a sleep.
Each helper takes the Playwright `Page` that the `desk_login` / `desk_as` fixtures return.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Locator, Page

# The desk is ready: booted for a logged-in user, nothing frozen, no request in flight.
DESK_READY = """() => !!(window.frappe && frappe.boot && frappe.boot.user && frappe.session
	&& frappe.session.user && frappe.session.user !== 'Guest' && frappe.router && frappe.container
	&& frappe.container.page)"""
IDLE = """() => !!(window.frappe && frappe.dom && !(frappe.dom.freeze_count > 0)
	&& !document.querySelector('#freeze.in') && !(frappe.request && frappe.request.ajax_count > 0))"""


def slug(doctype: str) -> str:
	"""The route of a doctype, as frappe.router.slug makes it ("Price Offer" -> "price-offer")."""
	return doctype.lower().replace(" ", "-")


def wait_idle(page: Page, timeout: float | None = None) -> None:
	"""No freeze overlay (frappe.dom.freeze) and no desk request (frappe.call) in flight."""
	page.wait_for_function(IDLE, timeout=timeout)


def wait_for_desk(page: Page, timeout: float | None = None) -> None:
	"""`frappe.boot` is there for a logged-in user, the page container is up, the desk idle."""
	page.wait_for_function(DESK_READY, timeout=timeout)
	wait_idle(page, timeout=timeout)


def goto_desk(page: Page, route: str, timeout: float | None = None) -> None:
	"""Open a desk route ("/app/lead", "lead/CRM-LEAD-0001", ...) and wait until the desk is ready."""
	path = route if route.startswith("/") else f"/app/{route}"
	page.goto(path)
	wait_for_desk(page, timeout=timeout)


def open_form(page: Page, doctype: str, name: str, timeout: float | None = None) -> None:
	"""Open the form of an existing record and wait until it shows that record, loaded and idle."""
	goto_desk(page, f"/app/{slug(doctype)}/{quote(name, safe='')}", timeout=timeout)
	wait_for_form(page, doctype, name, timeout=timeout)


def wait_for_form(page: Page, doctype: str, name: str, timeout: float | None = None) -> None:
	"""`cur_frm` shows the saved record `name` of `doctype`, refreshed, and the desk is idle."""
	page.wait_for_function(
		"""([doctype, name]) => !!(window.cur_frm && cur_frm.doc && cur_frm.doctype === doctype
			&& cur_frm.doc.name === name && !cur_frm.is_new() && cur_frm.page
			&& cur_frm.page.wrapper && cur_frm.page.wrapper.is(':visible'))""",
		arg=[doctype, name],
		timeout=timeout,
	)
	wait_idle(page, timeout=timeout)


def form_doc(page: Page) -> dict[str, Any]:
	"""The document as the form currently holds it (cur_frm.doc)."""
	return page.evaluate("() => JSON.parse(JSON.stringify(cur_frm.doc))")


def group_button(page: Page, group: str, label: str) -> Locator:
	"""A button that frm.add_custom_button(label, fn, group) put in a group ("Korus" > "Convert"):
	opens the group's dropdown and returns the item (click it)."""
	toggle = page.locator(
		f'.page-actions .inner-group-button[data-label="{quote(group)}"] > button:visible'
	).first
	toggle.click()
	item = page.locator(
		f'.page-actions .inner-group-button[data-label="{quote(group)}"] '
		f'.dropdown-item[data-label="{quote(label)}"]'
	).first
	item.wait_for(state="visible")
	return item


def custom_button(page: Page, label: str) -> Locator:
	"""A button that frm.add_custom_button(label, fn) put in the toolbar (no group)."""
	return page.locator(f'.page-actions button[data-label="{quote(label)}"]:visible').first


def dialog(page: Page, title: str | None = None) -> Locator:
	"""The open frappe.ui.Dialog (the last one shown), optionally the one whose title contains `title`."""
	modals = page.locator(".modal.show")
	if title:
		modals = modals.filter(has=page.locator(".modal-title", has_text=title))
	modal = modals.last
	modal.wait_for(state="visible")
	return modal


def dialog_field(modal: Locator, fieldname: str) -> Locator:
	"""The input/select/textarea of a dialog field by its fieldname."""
	return modal.locator(
		f'input[data-fieldname="{fieldname}"], select[data-fieldname="{fieldname}"], '
		f'textarea[data-fieldname="{fieldname}"]'
	).first


def primary_action(modal: Locator) -> Locator:
	return modal.locator(".modal-footer .btn-primary:visible").first


def submit_dialog(page: Page, modal: Locator, timeout: float | None = None) -> None:
	"""Click the dialog's primary button and wait until the dialog closes and the desk is idle; when
	a message dialog (a validation or a server error) shows instead, fail with its text."""
	if messages(page):
		raise AssertionError(f"a message is already showing: {messages(page)}")
	handle = modal.element_handle()
	primary_action(modal).click()
	page.wait_for_function(
		"""(el) => !el.classList.contains('show')
			|| !!(window.frappe && frappe.msg_dialog && frappe.msg_dialog.$wrapper.is(':visible'))""",
		arg=handle,
		timeout=timeout,
	)
	if handle.evaluate("(el) => el.classList.contains('show')"):
		raise AssertionError(f"the dialog did not close: {messages(page) or 'no message'}")
	wait_idle(page, timeout=timeout)


def messages(page: Page) -> list[str]:
	"""The text of the message dialog (frappe.msgprint / frappe.throw) when it is showing."""
	text = page.evaluate(
		"""() => (window.frappe && frappe.msg_dialog && frappe.msg_dialog.$wrapper.is(':visible'))
			? frappe.msg_dialog.$wrapper.find('.modal-body').text() : null"""
	)
	return [" ".join(text.split())] if text else []


@dataclass
class Fetched:
	status: int
	content_type: str
	body: bytes

	@property
	def ok(self) -> bool:
		return 200 <= self.status < 300


def fetch(page: Page, path: str, timeout: float = 120_000) -> Fetched:
	"""GET `path` from inside the page (window.fetch: the browser's session cookie and host mapping;
	Playwright's page.request runs outside the browser, where the site's name does not resolve)."""
	result = page.evaluate(
		"""async ([path, timeout]) => {
			const controller = new AbortController();
			const timer = setTimeout(() => controller.abort(), timeout);
			const response = await fetch(path, { credentials: "same-origin", signal: controller.signal });
			const bytes = new Uint8Array(await response.arrayBuffer());
			clearTimeout(timer);
			let binary = "";
			for (let i = 0; i < bytes.length; i += 0x8000) {
				binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
			}
			return { status: response.status, type: response.headers.get("content-type") || "", body: btoa(binary) };
		}""",
		[path, timeout],
	)
	return Fetched(result["status"], result["type"], base64.b64decode(result["body"]))


def wait_until(
	predicate: Callable[[], Any], timeout: float = 30.0, interval: float = 0.2, what: str = "condition"
) -> Any:
	"""Poll a server-side condition (e.g. a committed record) until it holds; returns its value.
	For what the browser caused in its own transactions: call frappe.db.rollback() inside the
	predicate to see what they committed."""
	deadline = time.monotonic() + timeout
	while True:
		value = predicate()
		if value:
			return value
		if time.monotonic() > deadline:
			raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
		time.sleep(interval)


def snapshot(page: Page, name: str) -> None:
	"""A screenshot of the page under $KORUS_SCREENSHOTS (when set; for reviewing a journey by eye)."""
	folder = os.environ.get("KORUS_SCREENSHOTS")
	if folder:
		os.makedirs(folder, exist_ok=True)
		page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
