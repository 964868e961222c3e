"""Desk journeys in Chinese and Polish (issue 14): a sales user whose language (User.language) is zh,
and one whose language is pl, opens the Korus CRM workspace, a lead, a pipeline's deal board and an
approved offer's print view and PDF. Korus's own labels show in the user's language (the expected
words are read from korus_crm/translations/<lang>.csv, so they follow the catalogue), and none of a
list of Korus English labels is left on those screens. Each screen is snapshotted (KORUS_SCREENSHOTS)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlencode

import frappe
import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

import korus_crm
from tests.integration.factories import make_deal, make_lead, make_pipeline
from tests.integration.ui.desk import fetch, goto_desk, open_form, snapshot, wait_idle, wait_until
from tests.integration.ui.test_offer_pdf_journey import approved_offer

ROLES = ("Sales User", "Sales Manager")

# (English source, shown on the screen): each must show translated, and not in English
WORKSPACE = (
	"Open Deals", "Won Deals", "Qualified Leads", "Open Pipeline Value", "Weighted Pipeline",
	"Average Deal Value", "Revenue Won", "Deals by Month", "Pipeline Overview", "Open Leads",
	"Deal Board", "Lead Board", "Deal Forecast", "Scheduled Contacts", "Follow-ups", "Customer Pool",
	"Contract Order", "Price Offer",
)  # fmt: skip
LEAD = ("Estimated Value",)
BOARD = ("Deal Board", "Proposal", "Won", "Lost", "Rotting Deals", "Bulk Actions", "New Deal", "Weighted")
OFFER = ("Price Offer", "Revision", "Valid till", "List Price", "Discount", "Net Total", "Grand Total")
# English labels that must not be left on a screen (whole words, any case)
LEFTOVERS = {
	"workspace": (*WORKSPACE, "Knowledge Base", "Awaiting My Approval", "Customer Follow-up"),
	"lead": (*LEAD, "Convert Lead", "Where the lead stands"),
	"board": (*BOARD, "Load more", "Weighted by probability"),
	"offer": OFFER,
}


@cache
def catalogue(lang: str) -> dict[str, str]:
	"""source -> translation of korus_crm/translations/<lang>.csv (rows without a context)."""
	path = Path(korus_crm.__file__).resolve().parent / "translations" / f"{lang}.csv"
	rows: dict[str, str] = {}
	with path.open(newline="", encoding="utf-8") as f:
		for row in csv.reader(f):
			if len(row) >= 2 and row[0] and not (len(row) > 2 and row[2].strip()):
				rows.setdefault(row[0], row[1])
	return rows


def tr(lang: str, source: str) -> str:
	translation = catalogue(lang).get(source)
	assert translation, f"{source!r} has no {lang} translation in korus_crm/translations/{lang}.csv"
	assert translation.casefold() != source.casefold(), f"{source!r}: its {lang} translation is English"
	return translation


def screen_text(page: Page) -> str:
	"""The visible text of the navbar and the current desk page (earlier pages stay in the DOM, hidden)."""
	return page.evaluate(
		"""() => [document.querySelector('.navbar'), frappe.container.page]
			.filter(Boolean).map((el) => el.innerText).join('\\n')"""
	)


def check(lang: str, text: str, expected: tuple[str, ...], leftovers: tuple[str, ...], screen: str) -> None:
	folded = " ".join(text.split()).casefold()
	missing = [
		f"{s} -> {tr(lang, s)}" for s in expected if " ".join(tr(lang, s).split()).casefold() not in folded
	]
	english = [w for w in leftovers if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE)]
	assert not missing and not english, (
		f"{lang} {screen}: translations missing {missing}; English left {english}\n{' '.join(text.split())[:3000]}"
	)


def desk_in(lang: str, desk_user, desk_login) -> Page:
	user, password = desk_user(*ROLES)
	frappe.db.set_value("User", user, "language", lang)
	frappe.db.commit()
	frappe.clear_cache(user=user)
	page = desk_login(user, password)
	assert page.evaluate("() => frappe.boot.lang") == lang
	return page


def open_workspace(page: Page, lang: str) -> None:
	goto_desk(page, "/app/korus-crm")
	numbers = page.locator(".number-widget-box .widget-content .number")
	wait_until(lambda: numbers.count() >= 15, what="every number card's number", timeout=60)
	wait_until(
		lambda: page.locator(".dashboard-widget-box .frappe-chart, .dashboard-widget-box svg").count() >= 6,
		what="the charts drawn",
		timeout=60,
	)
	wait_until(lambda: page.locator(".korus-recent").count() > 0, what="the recent activity block")
	wait_idle(page)
	# the Recent Activity block draws in a shadow root: innerText of the page does not reach it
	text = screen_text(page) + "\n" + page.locator(".korus-recent").first.inner_text()
	snapshot(page, f"lang-{lang}-workspace")
	check(lang, text, WORKSPACE, LEFTOVERS["workspace"], "workspace")


def open_lead(page: Page, lang: str, lead: str) -> None:
	open_form(page, "Lead", lead)
	snapshot(page, f"lang-{lang}-lead")
	check(lang, screen_text(page), LEAD, LEFTOVERS["lead"], "lead form")
	# the Korus group's buttons
	page.locator('.page-actions .inner-group-button[data-label="Korus"] > button:visible').first.click()
	items = page.locator('.page-actions .inner-group-button[data-label="Korus"] .dropdown-item')
	labels = " ".join(items.all_inner_texts())
	for source in ("Price Offer", "Convert"):
		assert tr(lang, source) in labels, f"{lang} lead: {source} not translated in {labels!r}"
	page.keyboard.press("Escape")


def open_board(page: Page, lang: str, pipeline: str, deal: str) -> None:
	goto_desk(page, f"/app/deal-board/{quote(pipeline)}")
	page.locator(f'.korus-card[data-name="{deal}"]').wait_for()
	wait_idle(page)
	titles = page.locator(".korus-column-title").all_inner_texts()
	assert [t.strip() for t in titles] == [tr(lang, s) for s in ("Open", "Proposal", "Won", "Lost")], titles
	snapshot(page, f"lang-{lang}-board")
	check(lang, screen_text(page), BOARD, LEFTOVERS["board"], "deal board")


def open_offer(page: Page, lang: str, offer: str) -> None:
	"""The desk's print view (Print button of the form): its language, its preview, then its PDF
	downloaded the way its PDF button does (download_pdf with the chosen format and _lang)."""
	goto_desk(page, f"/app/print/Price%20Offer/{quote(offer)}")
	frame = page.frame_locator(".print-format-container")
	frame.locator(".korus-offer").wait_for()
	wait_idle(page)
	chosen = page.evaluate(
		"() => frappe.container.page.querySelector('input[data-fieldname=language]').value"
	)
	print_format = page.evaluate(
		"() => frappe.container.page.querySelector('input[data-fieldname=print_format]').value"
	)
	snapshot(page, f"lang-{lang}-offer-print-view")
	assert chosen == lang, f"{lang}: the print view of the offer chose the language {chosen!r}"
	preview = frame.locator(".korus-offer").inner_text()
	check(lang, preview, OFFER, OFFER, "offer print view")

	query = urlencode({"doctype": "Price Offer", "name": offer, "format": print_format, "_lang": chosen})
	pdf = fetch(page, f"/api/method/frappe.utils.print_format.download_pdf?{query}")
	assert pdf.ok and pdf.body.startswith(b"%PDF"), f"{pdf.status}: {pdf.body[:300]!r}"
	save_pdf_image(pdf.body, f"lang-{lang}-offer-pdf")
	text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.body)).pages)
	# the CJK font's ToUnicode map gives some characters as Kangxi radicals (⾄ for 至): NFKC folds them
	text = unicodedata.normalize("NFKC", text)
	assert offer in text, text[:1000]
	check(lang, text, OFFER, OFFER, "offer PDF")


def save_pdf_image(body: bytes, name: str) -> None:
	"""The PDF's first page as a PNG next to the screenshots (pdftoppm, when both are there)."""
	import os
	import shutil
	import subprocess
	import tempfile

	folder = os.environ.get("KORUS_SCREENSHOTS")
	if not folder or not shutil.which("pdftoppm"):
		return
	os.makedirs(folder, exist_ok=True)
	with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
		f.write(body)
		f.flush()
		subprocess.run(
			["pdftoppm", "-png", "-r", "80", "-singlefile", f.name, os.path.join(folder, name)], check=False
		)


@pytest.mark.parametrize("lang", ["zh", "pl"])
def test_a_sales_user_works_in_their_language(lang, desk_user, desk_login, committed):
	lead = make_lead(estimated_value=1200)
	frappe.db.commit()
	committed.add("Lead", lead.name)
	pipeline = make_pipeline()
	frappe.db.commit()
	committed.add("Deal Pipeline", pipeline.name)
	deal = make_deal(deal_pipeline=pipeline.name, amount=1000)
	frappe.db.commit()
	committed.add("Customer", deal.party_name)
	committed.add("Opportunity", deal.name)
	offer = approved_offer(committed)

	page = desk_in(lang, desk_user, desk_login)
	open_workspace(page, lang)
	open_lead(page, lang, lead.name)
	open_board(page, lang, pipeline.name, deal.name)
	open_offer(page, lang, offer.name)
