"""The CRM dashboard (issue 12): its maintained aggregates stay equal to a full recount through a
random mix of writes (inserts, stage moves incl. won and lost, deletes, renames, imports, the recycle
bin, ERPNext's own status change), the daily repair job fixes drift made by raw SQL, and every card
and chart shows the hand-computed figures, to an administrator and to a Sales User with scope Own."""

from __future__ import annotations

import random

import frappe
import pytest
from frappe.utils import add_days, add_to_date, flt, now_datetime, nowdate

from korus_crm.analytics import dashboard, stays
from korus_crm.api import cards
from korus_crm.boards import counts
from korus_crm.cli import doctor
from korus_crm.cli.doctor import maintained, recounted
from korus_crm.customers import recycle_bin
from korus_crm.imports.leads import ImportResult, import_row
from korus_crm.rules.counts import month_key
from korus_crm.rules.scope import OWN
from tests.integration.factories import (
	lost_reason,
	make_customer,
	make_deal,
	make_lead,
	make_lead_source,
	make_pipeline,
	stage_of,
	unique,
)
from tests.integration.support import make_user, moved_to, set_scope

ALL_SPECS = [s for primary in counts.COUNTED for s in counts.family(primary)]


def recounted_stays(open_stays: bool = False) -> dict:
	deltas = stays.open_counted_from_table() if open_stays else stays.counted_from_table()
	return doctor.recounted_stays(deltas)


def assert_exact() -> None:
	for spec in ALL_SPECS:
		assert maintained(spec) == recounted(spec), f"{spec.doctype} by {spec.group_field} drifted"
	assert maintained(stays.STAYS) == recounted_stays(), "the closed stage stays' totals drifted"
	assert maintained(stays.OPEN_STAYS) == recounted_stays(open_stays=True), "the open stays' totals drifted"


def make_task(status: str = "Open", **values):
	doc = frappe.get_doc(
		{
			"doctype": "Korus Task",
			"subject": unique("Dashboard task"),
			"assigned_to": values.pop("assigned_to", frappe.session.user),
			"due_at": values.pop("due_at", f"{add_days(nowdate(), 3)} 10:00:00"),
			**values,
		}
	).insert()
	if status != "Open":
		doc.status = status
		doc.save()
	return doc


# --- exactness ---


def test_the_aggregates_equal_a_recount_after_a_random_mix_of_writes():
	assert_exact()  # as migrate left them
	rng = random.Random(12)
	pipeline = make_pipeline()
	stages = [stage_of(pipeline.name, s) for s in ("Open", "Proposal", "Won", "Lost")]
	sources = [make_lead_source().name for _ in range(2)]
	customer = make_customer().name
	reason = lost_reason()
	deals, leads, customers, tasks = [], [], [customer], []

	def new_deal():
		deal = make_deal(
			customer=customer,
			amount=rng.randint(1, 50) * 100,
			deal_pipeline=pipeline.name,
			expected_closing=add_days(nowdate(), rng.randint(-60, 120)),
		)
		deals.append(deal.name)

	def move_deal():
		if not deals:
			return
		# days or hours later (or earlier: a stay closed before it began counts 0 seconds), so that
		# the closed stays fill several months and histogram buckets
		with moved_to(str(add_to_date(now_datetime(), hours=rng.randint(-48, 24 * 90)))):
			doc = frappe.get_doc("Opportunity", rng.choice(deals))
			doc.deal_stage = rng.choice(stages)
			if doc.deal_stage == stages[3]:
				doc.set("lost_reasons", [{"lost_reason": reason}])
			doc.save()

	def erpnext_declares_lost():
		if not deals:
			return
		doc = frappe.get_doc("Opportunity", rng.choice(deals))
		if doc.deal_stage in stages[2:]:
			return
		doc.db_set("status", "Lost")  # as ERPNext's own documents do: on_change follows it

	def new_lead():
		lead = make_lead(
			source=rng.choice([*sources, None]),
			qualification_status=rng.choice(["Unqualified", "In Process", "Qualified"]),
			estimated_value=rng.randint(0, 20) * 50,
		)
		leads.append(lead.name)

	def qualify_lead():
		if leads:
			doc = frappe.get_doc("Lead", rng.choice(leads))
			doc.qualification_status = "Qualified"
			doc.source = rng.choice(sources)
			doc.save()

	def import_lead():
		result = ImportResult(ignored_columns=[])
		import_row(2, {"first_name": unique("Imported"), "source": rng.choice(sources)}, result)
		assert result.imported == 1

	def new_customer():
		customers.append(make_customer(customer_type=rng.choice(["Company", "Individual"])).name)

	def toggle_customer():
		if len(customers) < 2:
			return
		doc = frappe.get_doc("Customer", rng.choice(customers[1:]))  # the deals' customer stays enabled
		doc.disabled = 0 if doc.disabled else 1
		doc.save()

	def new_task():
		tasks.append(make_task(rng.choice(["Open", "Working", "Completed"])).name)

	def finish_task():
		if tasks:
			doc = frappe.get_doc("Korus Task", rng.choice(tasks))
			doc.status = rng.choice(["Completed", "Cancelled", "Working"])
			doc.save()

	def delete_one():
		pool, doctype = rng.choice([(deals, "Opportunity"), (leads, "Lead"), (tasks, "Korus Task")])
		if pool:
			frappe.delete_doc(doctype, pool.pop(rng.randrange(len(pool))), force=True)

	def rename_one():
		pool, doctype = rng.choice([(deals, "Opportunity"), (leads, "Lead"), (customers, "Customer")])
		first = 1 if pool is customers else 0  # the deals' customer keeps its name
		if len(pool) > first:
			i = rng.randrange(first, len(pool))
			pool[i] = frappe.rename_doc(doctype, pool[i], unique("Renamed").replace(" ", "-"), force=True)

	def bin_and_restore_deal():
		if deals:
			name = rng.choice(deals)
			recycle_bin.mark_binned(frappe.get_doc("Opportunity", name))
			if rng.random() < 0.5:
				recycle_bin.unmark_binned(frappe.get_doc("Opportunity", name))
			else:
				deals.remove(name)

	operations = [
		new_deal, new_deal, move_deal, move_deal, erpnext_declares_lost, new_lead, qualify_lead, import_lead,
		new_customer, toggle_customer, new_task, finish_task, delete_one, rename_one, bin_and_restore_deal,
	]  # fmt: skip
	for _ in range(120):
		rng.choice(operations)()
	assert len(deals) > 5 and len(leads) > 3
	assert_exact()


def test_the_daily_repair_fixes_drift_made_behind_the_apps_back():
	pipeline = make_pipeline()
	deal = make_deal(deal_pipeline=pipeline.name)
	lead = make_lead(source=make_lead_source().name)
	assert_exact()
	frappe.db.sql(
		"update `tabOpportunity` set deal_stage=%s, creation=%s where name=%s",
		(stage_of(pipeline.name, "Proposal"), "2020-01-15 10:00:00", deal.name),
	)
	frappe.db.sql("update `tabLead` set source=null where name=%s", lead.name)
	frappe.db.sql(  # the deal's stay closed behind the app's back
		"update `tabDeal Stage History` set left_at=%s where deal=%s",
		(add_days(now_datetime(), 3), deal.name),
	)
	assert maintained(stays.STAYS) != recounted_stays()
	assert maintained(stays.OPEN_STAYS) != recounted_stays(open_stays=True)
	assert maintained(counts.DEALS) != recounted(counts.DEALS)
	assert maintained(counts.DEALS_BY_MONTH) != recounted(counts.DEALS_BY_MONTH)
	assert maintained(counts.LEADS_BY_SOURCE) != recounted(counts.LEADS_BY_SOURCE)
	counts.recount_all()  # the daily job
	assert_exact()


# --- the figures, by hand ---


def figures() -> dict:
	card = {
		name: getattr(cards, name)()["value"]
		for name in (
			"get_companies_card", "get_active_companies_card", "get_customers_card", "get_leads_card",
			"get_qualified_leads_card", "get_deals_card", "get_open_deals_card", "get_won_deals_card",
			"get_revenue_won_card", "get_open_pipeline_card", "get_weighted_pipeline_card",
			"get_tasks_card", "get_pending_tasks_card", "get_done_tasks_card",
		)
	}  # fmt: skip
	by_month = dashboard.deals_by_month()
	this_month = by_month["labels"].index(month_key(nowdate()))
	return {
		**card,
		"created": by_month["created"][this_month],
		"won": by_month["won"][this_month],
		"lost": by_month["lost"][this_month],
		"revenue": by_month["revenue"][this_month],
		"sources": dashboard.leads_by_source(),
		"tasks": dict(
			zip(
				*(lambda c: (c["labels"], c["datasets"][0]["values"]))(dashboard.tasks_by_status_chart()),
				strict=True,
			)
		),
	}


def make_known_data(owner: str) -> frappe._dict:
	"""What the hand-computed figures are of, all owned by `owner`."""
	pipeline = make_pipeline()
	company = make_customer(account_manager=owner)
	make_customer(account_manager=owner, disabled=1)
	make_customer(account_manager=owner, customer_type="Individual")
	s1, s2 = make_lead_source().name, make_lead_source().name
	make_lead(lead_owner=owner, source=s1, qualification_status="Qualified", estimated_value=100)
	make_lead(lead_owner=owner, source=s1)
	make_lead(lead_owner=owner, source=s2)
	make_lead(lead_owner=owner)

	def deal(stage: str, amount: float):
		doc = make_deal(
			customer=company.name, amount=amount, deal_pipeline=pipeline.name, opportunity_owner=owner
		)
		if stage != "Open":
			doc.deal_stage = stage_of(pipeline.name, stage)
			if stage == "Lost":
				doc.set("lost_reasons", [{"lost_reason": lost_reason()}])
			doc.save()
		return doc

	deal("Open", 1000)
	deal("Proposal", 2000)
	deal("Won", 3000)
	deal("Lost", 500)
	for status in ("Open", "Working", "Completed", "Cancelled"):
		make_task(status, assigned_to=owner)
	return frappe._dict(pipeline=pipeline.name, sources=(s1, s2))


EXPECTED = {
	"get_companies_card": 2, "get_active_companies_card": 1, "get_customers_card": 1,
	"get_leads_card": 4, "get_qualified_leads_card": 1,
	"get_deals_card": 4, "get_open_deals_card": 2, "get_won_deals_card": 1,
	"get_revenue_won_card": 3000.0, "get_open_pipeline_card": 3000.0,
	"get_weighted_pipeline_card": 1000 * 0.2 + 2000 * 0.6,
	"get_tasks_card": 4, "get_pending_tasks_card": 2, "get_done_tasks_card": 1,
	"created": 4, "won": 1, "lost": 1, "revenue": 3000.0,
}  # fmt: skip


def test_every_card_and_chart_as_an_administrator_adds_up_the_new_records(sales_user):
	before = figures()
	data = make_known_data(sales_user)
	after = figures()
	for key, expected in EXPECTED.items():
		assert flt(after[key]) - flt(before[key]) == pytest.approx(expected), key
	s1, s2 = data.sources
	assert (after["sources"].get(s1), after["sources"].get(s2)) == (2, 1)
	for status, n in (("Open", 1), ("Working", 1), ("Completed", 1), ("Cancelled", 1)):
		assert after["tasks"].get(status, 0) - before["tasks"].get(status, 0) == n
	overview = {r["label"]: r for r in dashboard.pipeline_overview(data.pipeline)}
	assert [(r["count"], r["value"]) for r in overview.values()] == [(1, 1000.0), (1, 2000.0)]
	assert overview["Proposal"]["weighted"] == pytest.approx(1200.0)
	chart = dashboard.pipeline_value_chart(filters={"pipeline": data.pipeline})
	assert chart["datasets"][0]["values"] == [1000.0, 2000.0]


def test_a_sales_user_with_scope_own_sees_only_their_records(committed):
	user, _password = make_user(["Sales User"])
	committed.add("User", user)
	try:
		set_scope("Sales User", OWN)
		data = make_known_data(user)
		make_known_data("Administrator")  # someone else's: not theirs to see
		frappe.set_user(user)
		seen = figures()
		for key, expected in EXPECTED.items():
			assert flt(seen[key]) == pytest.approx(expected), key
		s1, s2 = data.sources
		assert seen["sources"] == {s1: 2, s2: 1, "Not Set": 1}
		assert seen["tasks"] == {"Open": 1, "Working": 1, "Completed": 1, "Cancelled": 1}
		assert cards.get_open_deals_card()["route_options"]["deal_stage"][0] == "in"
		recent = dashboard.recent_activity()
		assert {
			r.opportunity_owner for r in frappe.get_list("Opportunity", fields=["opportunity_owner"])
		} == {user}
		assert len(recent["deals"]) == 4 and len(recent["companies"]) == 2
		assert len(recent["customers"]) == 1 and len(recent["tasks"]) == 2  # pending ones, due ahead
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()  # before `committed` deletes the user their records point at


def test_a_card_needs_read_permission_on_its_doctype(committed):
	user, _password = make_user([])  # a desk user without any role: reads no deals
	committed.add("User", user)
	try:
		frappe.set_user(user)
		for card in (cards.get_deals_card, cards.get_customers_card, dashboard.leads_by_source_chart):
			with pytest.raises(frappe.PermissionError):
				card()
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
