"""The seeds' reports (docs/reports.md): Deal Stage Duration per stage, owner and label; Fulfilment
Statistics; Order Value Analysis; Lost Reasons; Lead Conversion Time; the Deal Forecast's commit /
best case and won beside the target. Numbers against hand-computed data, as the Administrator and as
a Sales User whose data scope is Own; bad filters answered 417."""

from __future__ import annotations

import json
from datetime import timedelta

import frappe
import pytest
from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from frappe.desk.doctype.tag.tag import add_tag
from frappe.utils import add_days, add_months, get_first_day, get_last_day, now_datetime, nowdate

from korus_crm.api.deals import move_deal
from korus_crm.rules import analytics as analytics_rules
from korus_crm.rules.scope import OWN
from tests.integration.factories import (
	default_company,
	lost_reason,
	make_deal,
	make_lead,
	make_lead_source,
	make_pipeline,
	stage_of,
)
from tests.integration.selling_setup import selling_world
from tests.integration.support import make_user, moved_to, set_scope


def run(report: str, **filters) -> dict:
	from frappe.desk.query_report import run as run_report

	return run_report(report, filters=filters)


def rows_of(report: str, **filters) -> list[dict]:
	return run(report, **filters)["result"]


@pytest.fixture
def me(committed):
	"""A committed Sales User (made before any uncommitted test data)."""
	user, _password = make_user(["Sales User"])
	committed.add("User", user)
	return user


def scoped_to_own(user: str) -> None:
	set_scope("Sales User", OWN)
	frappe.set_user(user)


@pytest.fixture(autouse=True)
def back_to_administrator():
	yield
	frappe.set_user("Administrator")


def days_ago(days: float):
	"""Time moved back by `days` (the stays are recorded with the server's clock, as a person's
	moves over those days would have recorded them)."""
	return moved_to(str(now_datetime() - timedelta(days=days)))


class TestStageDuration:
	@pytest.fixture
	def scene(self, me):
		"""A: Open 4 days (10 to 6 days ago), then Proposal for 6 days (open); owner me, label Hot.
		B: Open for 2 days (open); owner Administrator, no label."""
		pipeline = make_pipeline()
		open_, proposal = stage_of(pipeline.name, "Open"), stage_of(pipeline.name, "Proposal")
		with days_ago(10):
			a = make_deal(deal_pipeline=pipeline.name, opportunity_owner=me)
		with days_ago(6):
			move_deal(a.name, proposal)
		add_tag("Korus Hot", "Opportunity", a.name)
		with days_ago(2):
			b = make_deal(deal_pipeline=pipeline.name, opportunity_owner="Administrator")
		return frappe._dict(pipeline=pipeline.name, open=open_, proposal=proposal, a=a.name, b=b.name)

	def test_average_and_median_days_per_stage(self, scene):
		rows = {r["stage"]: r for r in rows_of("Deal Stage Duration", pipeline=scene.pipeline)}
		assert list(rows) == [scene.open, scene.proposal]  # the pipeline's order
		assert rows[scene.open]["visits"] == 2
		assert rows[scene.open]["average_days"] == pytest.approx(3.0, abs=0.01)  # (4 + 2) / 2
		assert 2 <= rows[scene.open]["median_days"] <= 4
		assert rows[scene.proposal]["visits"] == 1
		assert rows[scene.proposal]["average_days"] == pytest.approx(6.0, abs=0.01)
		assert rows[scene.proposal]["median_days"] == pytest.approx(6.0, rel=0.05)

	def test_per_owner_and_per_label(self, scene, me):
		by_owner = {
			(r["stage"], r["owner"]): r["visits"]
			for r in rows_of("Deal Stage Duration", pipeline=scene.pipeline, group_by="Owner")
		}
		assert by_owner == {
			(scene.open, me): 1,
			(scene.open, "Administrator"): 1,
			(scene.proposal, me): 1,
		}
		by_label = {
			(r["stage"], r["label"]): r["average_days"]
			for r in rows_of("Deal Stage Duration", pipeline=scene.pipeline, group_by="Label")
		}
		assert by_label[(scene.open, "Korus Hot")] == pytest.approx(4.0, abs=0.01)
		assert by_label[(scene.open, "")] == pytest.approx(2.0, abs=0.01)
		labelled = rows_of("Deal Stage Duration", pipeline=scene.pipeline, label="Korus Hot")
		assert {r["stage"]: r["visits"] for r in labelled} == {scene.open: 1, scene.proposal: 1}

	def test_the_period_takes_the_stays_begun_in_it(self, scene):
		since = add_days(nowdate(), -7)
		rows = {
			r["stage"]: r for r in rows_of("Deal Stage Duration", pipeline=scene.pipeline, from_date=since)
		}
		assert rows[scene.open]["visits"] == 1 and rows[scene.proposal]["visits"] == 1

	def test_whole_months_from_the_maintained_totals_agree_with_the_stays_themselves(self, me):
		"""Stays spread over four months, read for a range that starts inside a month: the whole
		months' stays come from the maintained totals, the rest from the table; both ways give the
		same visits and days as grouping every stay from the table, and medians within 5%."""
		from korus_crm.analytics import reports

		pipeline = make_pipeline(
			stages=[
				{"stage_name": "Open", "is_default": 1, "probability": 20},
				{"stage_name": "Proposal", "probability": 60},
				{"stage_name": "Negotiation", "probability": 80},
				{"stage_name": "Won", "is_won": 1, "probability": 100},
				{"stage_name": "Lost", "is_lost": 1, "probability": 0},
			]
		)
		stages = [stage_of(pipeline.name, s) for s in ("Open", "Proposal", "Negotiation")]
		for i, owner in enumerate([me, "Administrator", me, me, "Administrator"]):
			with days_ago(110 - 7 * i):
				deal = make_deal(deal_pipeline=pipeline.name, opportunity_owner=owner)
			with days_ago(80 - 9 * i):
				move_deal(deal.name, stages[1])
			if i % 2:
				with days_ago(30 - 5 * i):
					move_deal(deal.name, stages[2])

		def grouped(found) -> dict:
			out: dict = {}
			for stage, key, bucket, count, seconds in found:
				c, s, group = out.get((stage, key), (0, 0.0, analytics_rules.DurationGroup()))
				group.add(bucket, count, seconds / 86400)
				out[(stage, key)] = (c + count, s + seconds, group)
			return out

		for group_by in ("Stage", "Owner"):
			filters = frappe._dict(
				pipeline=pipeline.name,
				from_date=add_days(nowdate(), -100),
				to_date=nowdate(),
				group_by=group_by,
			)
			both = reports.maintained_stays(filters, group_by, bin_only=False)
			values: dict = {}
			table = reports.stays_from_table(
				filters, group_by, "", reports.date_range_sql(filters, values), values
			)
			maintained, counted = grouped(both), grouped(table)
			assert maintained.keys() == counted.keys() and len(counted) >= 3
			for key, (count, seconds, group) in counted.items():
				m_count, m_seconds, m_group = maintained[key]
				assert m_count == count, key
				assert m_seconds == pytest.approx(seconds, abs=2 * count), key  # a second apart
				# an open stay counts in the bucket of its day's mean start: the median within 5%
				assert m_group.median_days == pytest.approx(group.median_days, rel=0.05), key

	def test_a_deal_in_the_recycle_bin_leaves_the_figures(self, scene, me):
		from korus_crm.customers import recycle_bin

		recycle_bin.mark_binned(frappe.get_doc("Opportunity", scene.a))
		set_scope("Sales User", OWN)
		frappe.set_user(me)
		assert rows_of("Deal Stage Duration", pipeline=scene.pipeline) == []
		frappe.set_user("Administrator")
		rows = {r["stage"]: r for r in rows_of("Deal Stage Duration", pipeline=scene.pipeline)}
		assert rows[scene.open]["visits"] == 1 and scene.proposal not in rows

	def test_a_scoped_user_sees_only_their_deals_stays(self, scene, me):
		scoped_to_own(me)
		rows = {r["stage"]: r for r in rows_of("Deal Stage Duration", pipeline=scene.pipeline)}
		assert rows[scene.open]["visits"] == 1
		assert rows[scene.open]["average_days"] == pytest.approx(4.0, abs=0.01)


class TestLostReasons:
	@pytest.fixture
	def scene(self, me):
		pipeline = make_pipeline()
		lost = stage_of(pipeline.name, "Lost")
		price, timing = lost_reason("Korus Test: Too expensive"), lost_reason("Korus Test: Bad timing")
		deals = [
			(make_deal(deal_pipeline=pipeline.name, amount=100, opportunity_owner=me), price),
			(make_deal(deal_pipeline=pipeline.name, amount=300, opportunity_owner="Administrator"), price),
			(make_deal(deal_pipeline=pipeline.name, amount=50, opportunity_owner="Administrator"), timing),
		]
		make_deal(deal_pipeline=pipeline.name, amount=999)  # open: not lost
		for deal, reason in deals:
			move_deal(deal.name, lost, lost_reason=reason)
		return frappe._dict(pipeline=pipeline.name, price=price, timing=timing)

	def test_lost_deals_per_reason_count_and_value(self, scene, me):
		rows = rows_of("Lost Reasons", pipeline=scene.pipeline, from_date=nowdate(), to_date=nowdate())
		assert {r["reason"]: (r["deals"], r["value"]) for r in rows} == {
			scene.price: (2, 400.0),
			scene.timing: (1, 50.0),
		}
		per_owner = rows_of("Lost Reasons", pipeline=scene.pipeline, by_owner=1, period="Monthly")
		assert {(r["reason"], r["owner"]): r["deals"] for r in per_owner} == {
			(scene.price, me): 1,
			(scene.price, "Administrator"): 1,
			(scene.timing, "Administrator"): 1,
		}
		assert {r["period"] for r in per_owner} == {nowdate()[:7]}

	def test_a_scoped_user_counts_only_their_lost_deals(self, scene, me):
		scoped_to_own(me)
		rows = rows_of("Lost Reasons", pipeline=scene.pipeline)
		assert [(r["reason"], r["deals"], r["value"]) for r in rows] == [(scene.price, 1, 100.0)]


class TestLeadConversionTime:
	@pytest.fixture
	def scene(self, me):
		"""Source S: leads converted after 2 and 4 days (one owned by me); source T: after 10 days."""
		s, t = make_lead_source().name, make_lead_source().name
		now = now_datetime()
		for source, days, owner in ((s, 2, me), (s, 4, "Administrator"), (t, 10, "Administrator")):
			lead = make_lead(source=source, lead_owner=owner)
			created = now - timedelta(days=days)
			frappe.db.set_value("Lead", lead.name, "creation", created, update_modified=False)
			frappe.get_doc({"doctype": "Lead Conversion", "lead": lead.name, "converted_on": now}).insert(
				ignore_permissions=True
			)
		return frappe._dict(s=s, t=t)

	def test_days_to_conversion_per_source(self, scene):
		rows = {
			r["group_value"]: r
			for r in rows_of("Lead Conversion Time", from_date=nowdate(), to_date=nowdate())
			if r["group_value"] in (scene.s, scene.t)
		}
		assert rows[scene.s]["conversions"] == 2
		assert rows[scene.s]["average_days"] == pytest.approx(3.0, abs=0.01)
		assert 2 <= rows[scene.s]["median_days"] <= 4
		assert rows[scene.t]["average_days"] == pytest.approx(10.0, abs=0.01)
		assert rows[scene.t]["median_days"] == pytest.approx(10.0, rel=0.05)

	def test_per_owner_and_scoped(self, scene, me):
		rows = {
			r["group_value"]: r for r in rows_of("Lead Conversion Time", group_by="Owner", source=scene.s)
		}
		assert {k: v["conversions"] for k, v in rows.items()} == {me: 1, "Administrator": 1}
		scoped_to_own(me)
		rows = rows_of("Lead Conversion Time", source=scene.s)
		assert [(r["group_value"], r["conversions"]) for r in rows] == [(scene.s, 1)]
		assert rows[0]["average_days"] == pytest.approx(2.0, abs=0.01)


@pytest.fixture
def orders(me):
	"""Two approved contract orders of one customer (company currency): the first (mine) invoiced
	and paid in full, not delivered; the second (the Administrator's) invoiced, half delivered."""
	world = selling_world(currency=frappe.get_cached_value("Company", default_company(), "default_currency"))
	made = []
	for owner, qty in ((me, 1), ("Administrator", 4)):
		order = frappe.get_doc(
			{
				"doctype": "Contract Order",
				"customer": world.customer,
				"company": world.company,
				"contract_owner": owner,
				"items": [{"item_code": world.item, "qty": qty, "rate": 100}],
			}
		).insert()
		order.submit()  # approved by the Administrator: Sales Order and Sales Invoice made
		made.append(frappe.get_doc("Contract Order", order.name))
	first, second = made
	payment = get_payment_entry("Sales Invoice", first.sales_invoice)
	payment.reference_no, payment.reference_date = "KORUS-G", nowdate()
	payment.insert()
	payment.submit()
	delivery = make_delivery_note(second.sales_order)
	delivery.items[0].qty = 2
	delivery.insert()
	delivery.submit()
	so = {
		o.name: frappe.db.get_value(
			"Sales Order", o.sales_order, ["base_grand_total", "base_net_total"], as_dict=True
		)
		for o in made
	}
	return frappe._dict(world=world, first=first, second=second, so=so)


class TestFulfilmentAndOrderValue:
	def test_ordered_delivered_invoiced_paid_per_period(self, orders):
		first, second = orders.so[orders.first.name], orders.so[orders.second.name]
		[row] = rows_of("Fulfilment Statistics", customer=orders.world.customer, period="Monthly")
		ordered = first.base_grand_total + second.base_grand_total
		assert row["period"] == nowdate()[:7]
		assert row["orders"] == 2
		assert row["ordered"] == pytest.approx(ordered)
		assert row["delivered"] == pytest.approx(second.base_grand_total / 2)  # 2 of 4 delivered
		assert row["invoiced"] == pytest.approx(ordered)  # both invoiced on approval
		assert row["paid"] == pytest.approx(first.base_grand_total)
		assert row["to_deliver"] == pytest.approx(ordered - second.base_grand_total / 2)
		assert row["undelivered_orders"] == 2
		assert row["to_collect"] == pytest.approx(second.base_grand_total)
		assert row["paid_rate"] == pytest.approx(round(100 * first.base_grand_total / ordered, 2))
		[year] = rows_of("Fulfilment Statistics", customer=orders.world.customer, period="Yearly")
		assert year["period"] == nowdate()[:4] and year["orders"] == 2

	def test_order_value_by_item_currency_and_customer(self, orders):
		net = sum(s.base_net_total for s in orders.so.values())
		[by_item] = rows_of("Order Value Analysis", customer=orders.world.customer, group_by="Item")
		assert (by_item["group_value"], by_item["orders"], by_item["qty"]) == (orders.world.item, 2, 5)
		assert by_item["base_value"] == pytest.approx(net) and by_item["share"] == 100
		[by_currency] = rows_of("Order Value Analysis", customer=orders.world.customer, group_by="Currency")
		assert by_currency["group_value"] == orders.world.currency
		assert by_currency["value"] == pytest.approx(net)
		[by_customer] = rows_of("Order Value Analysis", customer=orders.world.customer)
		assert by_customer["group_value"] == orders.world.customer
		item_group = frappe.db.get_value("Item", orders.world.item, "item_group")
		[by_group] = rows_of("Order Value Analysis", customer=orders.world.customer, group_by="Item Group")
		assert by_group["group_value"] == item_group

	def test_a_scoped_user_sees_their_orders_and_not_the_invoices_they_may_not_read(self, orders, me):
		scoped_to_own(me)
		first = orders.so[orders.first.name]
		[row] = rows_of("Fulfilment Statistics", customer=orders.world.customer)
		assert row["orders"] == 1 and row["ordered"] == pytest.approx(first.base_grand_total)
		if not frappe.has_permission("Sales Invoice", "read"):
			assert row["paid"] is None
		[by_item] = rows_of("Order Value Analysis", customer=orders.world.customer, group_by="Item")
		assert by_item["qty"] == 1


class TestForecast:
	@pytest.fixture
	def scene(self, me):
		pipeline = make_pipeline()
		stage = lambda name: stage_of(pipeline.name, name)  # noqa: E731
		m1, m2 = add_months(get_first_day(nowdate()), 1), add_months(get_first_day(nowdate()), 2)
		make_deal(deal_pipeline=pipeline.name, amount=1000, expected_closing=add_days(m1, 14))  # 20%
		make_deal(
			deal_pipeline=pipeline.name,
			amount=500,
			expected_closing=add_days(m1, 20),
			deal_stage=stage("Proposal"),
			opportunity_owner=me,
		)  # 60%
		make_deal(
			deal_pipeline=pipeline.name, amount=2000, expected_closing=m2, korus_forecast_commit=1
		)  # 20%, flagged
		make_deal(
			deal_pipeline=pipeline.name, amount=700, expected_closing=nowdate(), deal_stage=stage("Won")
		)
		return frappe._dict(
			pipeline=pipeline.name,
			m0=nowdate()[:7],
			m1=str(m1)[:7],
			m2=str(m2)[:7],
			to_date=get_last_day(m2),
		)

	def test_best_case_weighted_commit_and_won_beside_the_target(self, scene):
		result = run(
			"Deal Forecast",
			pipeline=scene.pipeline,
			from_date=str(get_first_day(nowdate())),
			to_date=str(scene.to_date),
			commit_probability=50,
		)
		rows = {r["month"]: r for r in result["result"]}
		assert list(rows) == [scene.m0, scene.m1, scene.m2]
		assert {k: rows[scene.m1][k] for k in ("deals", "best_case", "weighted", "commit")} == {
			"deals": 2,
			"best_case": 1500.0,
			"weighted": 500.0,  # 1000 x 20% + 500 x 60%
			"commit": 500.0,  # the Proposal deal: 60% >= 50%
		}
		assert {k: rows[scene.m2][k] for k in ("deals", "best_case", "weighted", "commit")} == {
			"deals": 1,
			"best_case": 2000.0,
			"weighted": 400.0,
			"commit": 2000.0,  # flagged
		}
		assert rows[scene.m0]["won"] == 700.0 and rows[scene.m0]["deals"] == 0
		from korus_crm.analytics.targets import target_by_month

		target = target_by_month("Order Value", get_first_day(nowdate()), scene.to_date)
		assert rows[scene.m0]["target"] == target[scene.m0]
		if target[scene.m0]:
			assert rows[scene.m0]["won_rate"] == round(100 * 700 / target[scene.m0], 2)

	def test_the_default_threshold_is_70_and_a_scoped_user_sees_their_deals(self, scene, me):
		rows = {
			r["month"]: r
			for r in rows_of("Deal Forecast", pipeline=scene.pipeline, to_date=str(scene.to_date))
		}
		assert rows[scene.m1]["commit"] == 0.0  # 60% < 70%
		scoped_to_own(me)
		rows = {
			r["month"]: r
			for r in rows_of("Deal Forecast", pipeline=scene.pipeline, to_date=str(scene.to_date))
		}
		assert (rows[scene.m1]["deals"], rows[scene.m1]["best_case"]) == (1, 500.0)
		assert rows[scene.m2]["deals"] == 0 and rows[scene.m0]["won"] == 0


@pytest.mark.parametrize(
	"report, filters",
	[
		("Deal Stage Duration", {"group_by": "Colour"}),
		("Deal Stage Duration", {"from_date": "2027-02-01", "to_date": "2027-01-01"}),
		("Fulfilment Statistics", {"period": "Weekly"}),
		("Order Value Analysis", {"group_by": "Warehouse"}),
		("Lost Reasons", {"from_date": "not a date"}),
		("Lead Conversion Time", {"group_by": "Campaign"}),
		("Deal Forecast", {"commit_probability": 150}),
	],
)
def test_bad_filters_are_refused_with_417(api, report, filters):
	response = api("Sales User", "Sales Manager").get(
		"/api/method/frappe.desk.query_report.run",
		{"report_name": report, "filters": json.dumps(filters)},
	)
	assert response.status_code == 417, response


def test_every_report_runs_for_a_sales_user_over_rest(api):
	client = api("Sales User")
	for report in (
		"Deal Stage Duration",
		"Lost Reasons",
		"Lead Conversion Time",
		"Deal Forecast",
		"Order Value Analysis",
		"Fulfilment Statistics",
	):
		response = client.get(
			"/api/method/frappe.desk.query_report.run", {"report_name": report, "filters": "{}"}
		)
		assert response.status_code == 200, (report, response)
