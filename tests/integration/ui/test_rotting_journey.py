"""Desk journey: a sales user opens a pipeline's Deal Board; a deal idle for longer than its stage's
idle days shows as rotting (coloured, "idle N days"), a fresh one does not (issue 12)."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, getdate, now_datetime, today

from tests.integration.factories import make_deal, make_pipeline
from tests.integration.ui.desk import goto_desk, snapshot, wait_idle


def test_a_rotting_deal_is_coloured_on_the_board(desk_as, committed):
	pipeline = make_pipeline(
		stages=[
			{"stage_name": "Open", "is_default": 1, "probability": 20, "idle_days": 7},
			{"stage_name": "Won", "is_won": 1, "probability": 100},
			{"stage_name": "Lost", "is_lost": 1, "probability": 0},
		]
	).name
	committed.add("Deal Pipeline", pipeline)
	stale, fresh = (make_deal(deal_pipeline=pipeline, title=t) for t in ("Stale deal", "Fresh deal"))
	for deal in (stale, fresh):
		committed.add("Customer", deal.party_name)
		committed.add("Opportunity", deal.name)
	ten_days_ago = add_days(now_datetime(), -10)
	frappe.db.set_value(
		"Opportunity",
		stale.name,
		{"korus_last_activity_at": ten_days_ago, "korus_rots_on": add_days(getdate(today()), -3)},
		update_modified=False,
	)
	frappe.db.commit()

	page = desk_as("Sales User")
	goto_desk(page, f"/app/deal-board/{pipeline}")
	page.locator(f'.korus-card[data-name="{fresh.name}"]').wait_for()
	wait_idle(page)
	stale_card = page.locator(f'.korus-card[data-name="{stale.name}"]')
	assert "korus-rotting" in (stale_card.get_attribute("class") or "")
	assert "idle 10 days" in stale_card.inner_text()
	fresh_card = page.locator(f'.korus-card[data-name="{fresh.name}"]')
	assert "korus-rotting" not in (fresh_card.get_attribute("class") or "")
	assert "idle" not in fresh_card.inner_text()
	snapshot(page, "rotting-deal-board")
