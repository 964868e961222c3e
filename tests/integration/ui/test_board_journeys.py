"""Desk journeys on the boards: a sales user drags a lead between statuses and a deal between
stages, reading the column headers after each drag; drags a deal to Lost and gives the reason in
the dialog; sees the headers follow a move made by someone else, without a reload; loads more cards
of a column than its first page."""

from __future__ import annotations

import frappe
from playwright.sync_api import Page

from tests.integration.factories import make_deal, make_lead, make_pipeline, stage_of, unique
from tests.integration.support import ApiClient, make_user
from tests.integration.ui.desk import dialog, dialog_field, goto_desk, messages, wait_idle, wait_until

LOST_REASON = "Price too high"  # seeded at install


def column(page: Page, key: str):
	return page.locator(f'.korus-board-column[data-column="{key}"]')


def header_count(page: Page, key: str) -> int:
	return int(column(page, key).locator(".korus-column-count").inner_text())


def wait_for_count(page: Page, key: str, count: int) -> None:
	page.wait_for_function(
		"""([key, count]) => {
			const el = document.querySelector(`.korus-board-column[data-column="${CSS.escape(key)}"] .korus-column-count`);
			return el && Number(el.textContent) === count;
		}""",
		arg=[key, count],
		timeout=15_000,
	)


def drag(page: Page, name: str, to_key: str) -> None:
	"""Drag a card onto another column with the mouse (the board uses Sortable.js)."""
	card = page.locator(f'.korus-card[data-name="{name}"]')
	target = column(page, to_key).locator(".korus-column-cards")
	card.scroll_into_view_if_needed()
	source_box, target_box = card.bounding_box(), target.bounding_box()
	page.mouse.move(source_box["x"] + source_box["width"] / 2, source_box["y"] + 10)
	page.mouse.down()
	page.mouse.move(target_box["x"] + target_box["width"] / 2, target_box["y"] + 30, steps=25)
	page.mouse.move(target_box["x"] + target_box["width"] / 2, target_box["y"] + 40, steps=5)
	page.mouse.up()
	wait_idle(page)


def open_board(page: Page, route: str) -> None:
	goto_desk(page, route)
	page.locator(".korus-board-column").first.wait_for()
	wait_idle(page)


def committed_pipeline(committed):
	pipeline = make_pipeline()
	frappe.db.commit()
	committed.add("Deal Pipeline", pipeline.name)
	return pipeline.name


def committed_deal(committed, pipeline: str, **values):
	deal = make_deal(deal_pipeline=pipeline, **values)
	frappe.db.commit()
	committed.add("Customer", deal.party_name)
	committed.add("Opportunity", deal.name)
	return deal.name


def test_a_sales_user_drags_a_lead_and_the_headers_follow(desk_as, committed):
	leads = [make_lead(first_name=unique("Board Lead"), estimated_value=10) for _ in range(2)]
	frappe.db.commit()
	for lead in leads:
		committed.add("Lead", lead.name)
	page = desk_as("Sales User")
	open_board(page, "/app/lead-board")
	new, qualified = header_count(page, "New"), header_count(page, "Qualified")
	assert page.locator(f'.korus-card[data-name="{leads[0].name}"]').is_visible()

	drag(page, leads[0].name, "Qualified")
	wait_for_count(page, "New", new - 1)
	wait_for_count(page, "Qualified", qualified + 1)
	frappe.db.rollback()
	assert frappe.db.get_value("Lead", leads[0].name, ["lead_status", "status"]) == (
		"Qualified",
		"Interested",
	)


def test_a_sales_user_drags_a_deal_through_stages_and_to_lost_with_a_reason(desk_as, committed):
	pipeline = committed_pipeline(committed)
	deal = committed_deal(committed, pipeline, amount=1000)
	committed_deal(committed, pipeline, amount=500)
	opened, proposal, lost = (stage_of(pipeline, s) for s in ("Open", "Proposal", "Lost"))
	page = desk_as("Sales User")
	open_board(page, f"/app/deal-board/{pipeline}")
	assert (header_count(page, opened), header_count(page, proposal)) == (2, 0)

	drag(page, deal, proposal)
	wait_for_count(page, opened, 1)
	wait_for_count(page, proposal, 1)
	weighted = column(page, proposal).locator(".korus-column-weighted").inner_text()
	assert "600" in weighted  # 1,000 at Proposal's 60%

	# to Lost without a reason: refused, the card goes back, the message offers the reason dialog
	drag(page, deal, lost)
	page.wait_for_function("() => frappe.msg_dialog && frappe.msg_dialog.$wrapper.is(':visible')")
	assert any("lost reason" in m.lower() for m in messages(page))
	assert page.locator(f'.korus-column-cards [data-name="{deal}"]').count() == 1
	assert header_count(page, lost) == 0
	page.locator(".modal.show .btn-primary", has_text="Give a lost reason").click()
	modal = dialog(page, "Why was this deal lost?")
	field = dialog_field(modal, "lost_reason")
	field.fill(LOST_REASON)
	modal.locator('[role="listbox"] [role="option"]', has_text=LOST_REASON).first.click()
	modal.locator(".btn-primary", has_text="Move to Lost").click()
	wait_for_count(page, lost, 1)
	wait_for_count(page, proposal, 0)
	frappe.db.rollback()
	row = frappe.db.get_value("Opportunity", deal, ["deal_stage", "status", "closed_on"], as_dict=True)
	assert (row.deal_stage, row.status) == (lost, "Lost") and row.closed_on
	assert frappe.get_all(
		"Opportunity Lost Reason Detail", filters={"parent": deal}, pluck="lost_reason"
	) == [LOST_REASON]


def test_the_headers_follow_a_move_made_by_someone_else(desk_as, committed):
	pipeline = committed_pipeline(committed)
	deal = committed_deal(committed, pipeline, amount=200)
	opened, proposal = stage_of(pipeline, "Open"), stage_of(pipeline, "Proposal")
	page = desk_as("Sales User")
	open_board(page, f"/app/deal-board/{pipeline}")
	assert header_count(page, opened) == 1
	page.wait_for_function(
		"() => frappe.realtime && frappe.realtime.socket && frappe.realtime.socket.connected", timeout=20_000
	)

	colleague, password = make_user(["Sales User"])
	committed.add("User", colleague)
	client = ApiClient(frappe.local.site)
	client.login(colleague, password)
	moved = client.post("/api/method/korus_crm.api.deals.move_deal", {"deal": deal, "stage": proposal})
	assert moved.status_code == 200, moved
	wait_for_count(page, proposal, 1)  # no reload: the board heard the move
	wait_for_count(page, opened, 0)
	assert page.locator(f'.korus-board-column[data-column="{proposal}"] [data-name="{deal}"]').count() == 1


def test_a_column_pages_further_than_its_first_page(desk_as, committed):
	pipeline = committed_pipeline(committed)
	names = [committed_deal(committed, pipeline, amount=10) for _ in range(23)]
	opened = stage_of(pipeline, "Open")
	page = desk_as("Sales User")
	open_board(page, f"/app/deal-board/{pipeline}")
	cards = column(page, opened).locator(".korus-card")
	assert header_count(page, opened) == 23
	wait_until(lambda: cards.count() >= 20, what="the first page of cards")
	load_more = column(page, opened).locator(".korus-load-more")
	if cards.count() < 23:  # scrolling to the column's end may have loaded the rest already
		load_more.click()
		wait_idle(page)
	wait_until(lambda: cards.count() == 23, what="the next page of cards")
	assert {cards.nth(i).get_attribute("data-name") for i in range(23)} == set(names)
	assert not load_more.is_visible()
