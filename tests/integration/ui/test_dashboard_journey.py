"""Desk journey (issue 12): a Sales Manager opens the Korus CRM workspace; its dashboard's number
cards show their numbers, its charts draw, and the "Recent Activity" block lists the newest records.
Prints the time to first contentful paint and until every card has its number."""

from __future__ import annotations

import time

import frappe

from tests.integration.factories import make_customer, make_deal, make_pipeline
from tests.integration.ui.desk import goto_desk, snapshot, wait_idle, wait_until

CARDS = (
	"Companies", "Active Companies", "Customers", "Leads", "Qualified Leads", "Deals", "Open Deals",
	"Won Deals", "Tasks", "Pending Tasks", "Completed Tasks", "Revenue Won", "Open Pipeline Value",
	"Weighted Pipeline", "Average Deal Value",
)  # fmt: skip


def test_the_dashboard_shows_cards_charts_and_recent_activity(desk_as, committed):
	pipeline = make_pipeline().name
	committed.add("Deal Pipeline", pipeline)
	customer = make_customer(customer_name="Dashboard Journey Company")
	deal = make_deal(customer=customer.name, deal_pipeline=pipeline, title="Dashboard journey deal")
	committed.add("Customer", customer.name)
	committed.add("Opportunity", deal.name)
	frappe.db.commit()

	page = desk_as("Sales User", "Sales Manager")
	started = time.monotonic()
	goto_desk(page, "/app/korus-crm")
	numbers = page.locator(".number-widget-box .widget-content .number")
	wait_until(lambda: numbers.count() >= len(CARDS), what="every number card's number", timeout=60)
	all_numbers_s = time.monotonic() - started
	paint_ms = page.evaluate(
		"() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
	)
	titles = page.locator(".number-widget-box .widget-title").all_inner_texts()
	for card in CARDS:
		assert any(card.lower() == t.strip().lower() for t in titles), f"card {card} missing: {titles}"
	values = numbers.all_inner_texts()
	assert all(v.strip() for v in values), values
	charts = page.locator(".dashboard-widget-box")
	wait_until(
		lambda: page.locator(".dashboard-widget-box .frappe-chart, .dashboard-widget-box svg").count() >= 6,
		what="the six charts drawn",
		timeout=60,
	)
	assert charts.count() >= 6
	# the deal made above is this month's: Deals by Month draws a bar for it (frappe-charts animates)
	deals_chart = charts.filter(has_text="Deals by Month").first
	wait_until(
		lambda: deals_chart.evaluate(
			"el => [...el.querySelectorAll('rect')].some(r => r.classList.contains('bar') && r.getBBox().height > 0)"
		),
		what="a bar in Deals by Month",
		timeout=30,
	)
	recent = page.locator(".korus-recent")  # inside the block's shadow root (Playwright pierces it)
	wait_until(lambda: "Dashboard journey deal" in recent.inner_text(), what="recent deals", timeout=30)
	assert "Dashboard Journey Company" in recent.inner_text()
	wait_idle(page)
	print(
		f"\ndashboard: first contentful paint {paint_ms:.0f} ms, every card's number after "
		f"{all_numbers_s * 1000:.0f} ms (from navigation)"
	)
	snapshot(page, "crm-dashboard")
