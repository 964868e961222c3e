"""Campaigns (seed 000 "Advertisement Management"): channel, period and budget on ERPNext's Campaign,
spend booked against it through the Campaign accounting dimension, and the Campaign ROI report (and
the campaign's form) reading every figure through the user's permissions."""

from __future__ import annotations

import json

import frappe
import pytest
from frappe.desk.query_report import run
from frappe.utils import add_days, flt, getdate, nowdate

from korus_crm.api.leads import convert_lead
from korus_crm.exceptions import InactiveRecordError
from korus_crm.setup import campaigns as setup
from tests.integration.factories import (
	default_company,
	make_deal,
	make_lead,
	make_lead_source,
	make_pipeline,
	make_selling_item,
	stage_of,
	unique,
)
from tests.integration.selling_setup import account, selling_world
from tests.integration.support import make_user

REPORT = "Campaign ROI"


def test_the_campaign_form_runs_korus_rules():
	declared = frappe.get_doc_hooks().get("Campaign", {})
	assert "korus_crm.events.campaign.validate" in declared.get("validate", [])
	assert "korus_crm.events.campaign.onload" in declared.get("onload", [])
	assert frappe.get_meta("Campaign").has_field(setup.BUDGET_FIELD) and setup.dimension_field()


@pytest.fixture
def users(committed):
	"""Committed users (made before any uncommitted test data)."""
	made = {}
	for key, roles in {
		"sales_user": ["Sales User"],
		"sales_and_accounts": ["Sales User", "Accounts User"],
		"accounts_user": ["Accounts User"],
	}.items():
		user, _password = make_user(roles)
		committed.add("User", user)
		made[key] = user
	return frappe._dict(made)


def make_campaign(**values):
	return frappe.get_doc(
		{"doctype": "Campaign", "campaign_name": values.pop("campaign_name", unique("Campaign")), **values}
	).insert()


def journal_entry(company: str, expense: str, cash: str, amount: float, campaign: str | None, **values):
	"""A submitted Journal Entry: `amount` debited to `expense` (credited when negative) with the
	campaign, the other side on cash."""
	debit, credit = (amount, 0) if amount >= 0 else (0, -amount)
	doc = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": company,
			"posting_date": values.pop("posting_date", nowdate()),
			"accounts": [
				{
					"account": expense,
					"debit_in_account_currency": debit,
					"credit_in_account_currency": credit,
					"cost_center": frappe.get_cached_value("Company", company, "cost_center"),
					setup.DIMENSION_FIELD: campaign,
				},
				{"account": cash, "debit_in_account_currency": credit, "credit_in_account_currency": debit},
			],
			**values,
		}
	)
	doc.insert()
	doc.submit()
	return doc


def purchase_invoice(company: str, expense: str, amount: float, campaign: str):
	supplier = frappe.get_doc(
		{
			"doctype": "Supplier",
			"supplier_name": unique("Ad Agency"),
			"supplier_group": frappe.db.get_value("Supplier Group", {"is_group": 0}, "name")
			or frappe.db.get_value("Supplier Group", {}, "name"),
		}
	).insert()
	doc = frappe.get_doc(
		{
			"doctype": "Purchase Invoice",
			"supplier": supplier.name,
			"company": company,
			"posting_date": nowdate(),
			"items": [
				{
					"item_code": make_selling_item(),
					"qty": 1,
					"rate": amount,
					"expense_account": expense,
					setup.DIMENSION_FIELD: campaign,
				}
			],
		}
	)
	doc.insert()
	doc.submit()
	return doc


def sales_invoice(world, campaign: str | None, qty: float = 2, submit: bool = True):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": world.customer,
			"company": world.company,
			"campaign": campaign,
			"items": [{"item_code": world.item, "qty": qty}],
		}
	)
	doc.insert()
	if submit:
		doc.submit()
	return doc


@pytest.fixture
def campaign_world(users):
	"""A campaign with budget 1,000 and: three leads (two converted, one of them with a deal), a
	second deal moved to Won, a submitted invoice, expenses of 400 - 50 (refund) + 120 (a Purchase
	Invoice) + 70 (two months ago), a cancelled expense; and other campaigns' records beside."""
	world = selling_world(currency=frappe.get_cached_value("Company", default_company(), "default_currency"))
	company = world.company
	expense, cash = account(company, "Marketing Expenses"), world.cash
	channel = make_lead_source()
	campaign = make_campaign(
		**{
			setup.CHANNEL_FIELD: channel.name,
			setup.BUDGET_FIELD: 1000,
			setup.START_FIELD: add_days(nowdate(), -90),
			setup.END_FIELD: add_days(nowdate(), 30),
		}
	)
	other = make_campaign(**{setup.BUDGET_FIELD: 500})
	pipeline = make_pipeline()

	leads = [make_lead(campaign_name=campaign.name) for _ in range(3)]
	make_lead(campaign_name=other.name)
	make_lead()
	converted_with_deal = convert_lead(leads[0].name, create_deal=True, pipeline=pipeline.name)
	convert_lead(leads[1].name)

	won = make_deal(deal_pipeline=pipeline.name, campaign=campaign.name, customer=world.customer)
	won.deal_stage = stage_of(pipeline.name, "Won")
	won.save()
	other_won = make_deal(deal_pipeline=pipeline.name, campaign=other.name)
	other_won.deal_stage = stage_of(pipeline.name, "Won")
	other_won.save()

	invoice = sales_invoice(world, campaign.name)
	sales_invoice(world, campaign.name, submit=False)  # a draft: not revenue
	sales_invoice(world, other.name)
	sales_invoice(world, None)

	journal_entry(company, expense, cash, 400, campaign.name)
	journal_entry(company, expense, cash, -50, campaign.name)  # a refund
	journal_entry(company, expense, cash, 70, campaign.name, posting_date=add_days(nowdate(), -60))
	journal_entry(company, expense, cash, 300, other.name)
	journal_entry(company, expense, cash, 900, None)
	cancelled = journal_entry(company, expense, cash, 1000, campaign.name)
	cancelled.cancel()
	bill = purchase_invoice(company, expense, 120, campaign.name)

	return frappe._dict(
		world=world,
		company=company,
		channel=channel.name,
		campaign=campaign,
		other=other,
		leads=leads,
		deal_from_lead=converted_with_deal["deal"],
		won=won.name,
		invoice=invoice,
		bill=bill,
		users=users,
	)


def report_row(filters: dict, campaign: str) -> dict:
	result = run(REPORT, filters=filters)
	rows = [r for r in result["result"] if r["campaign"] == campaign]
	assert len(rows) == 1, result["result"]
	return rows[0]


class TestReport:
	def test_every_figure_for_a_user_who_may_read_them_all(self, campaign_world):
		w = campaign_world
		frappe.set_user(w.users.sales_and_accounts)
		revenue = flt(w.invoice.base_net_total)
		assert revenue > 0
		spend = 400 - 50 + 70 + 120
		row = report_row({"company": w.company, "campaign": w.campaign.name}, w.campaign.name)
		assert row == {
			"campaign": w.campaign.name,
			"channel": w.channel,
			"start_date": getdate(add_days(nowdate(), -90)),
			"end_date": getdate(add_days(nowdate(), 30)),
			"budget": 1000.0,
			"spend": pytest.approx(spend),
			"budget_used": pytest.approx(spend / 1000 * 100),
			"leads": 3,
			"converted_leads": 2,
			"deals": 2,
			"won_deals": 1,
			"won_revenue": pytest.approx(revenue),
			"cost_per_lead": pytest.approx(spend / 3),
			"cost_per_won_deal": pytest.approx(spend),
			"roi": pytest.approx((revenue - spend) / spend * 100),
		}
		# the deal made from a converted lead carries the lead's campaign (ERPNext's mapper)
		assert frappe.db.get_value("Opportunity", w.deal_from_lead, "campaign") == w.campaign.name

	def test_other_campaigns_are_counted_apart(self, campaign_world):
		w = campaign_world
		row = report_row({}, w.other.name)
		assert (row["leads"], row["converted_leads"], row["deals"], row["won_deals"]) == (1, 0, 1, 1)
		assert row["spend"] == pytest.approx(300)
		assert row["won_revenue"] > 0 and row["budget_used"] == pytest.approx(60)

	def test_a_sales_user_sees_the_funnel_not_the_books(self, campaign_world):
		w = campaign_world
		frappe.set_user(w.users.sales_user)
		assert not frappe.has_permission("GL Entry", "read")
		assert not frappe.has_permission("Sales Invoice", "read")
		result = run(REPORT, filters={"campaign": w.campaign.name})
		[row] = result["result"]
		assert (row["leads"], row["converted_leads"], row["deals"], row["won_deals"], row["budget"]) == (
			3,
			2,
			2,
			1,
			1000.0,
		)
		for hidden in ("spend", "budget_used", "won_revenue", "cost_per_lead", "cost_per_won_deal", "roi"):
			assert row[hidden] is None, hidden
		assert "General Ledger" in result["message"] and "Sales Invoices" in result["message"]
		assert result["chart"] is None

	def test_an_accounts_user_sees_the_money_not_the_funnel(self, campaign_world):
		w = campaign_world
		frappe.set_user(w.users.accounts_user)
		row = report_row({"campaign": w.campaign.name}, w.campaign.name)
		assert row["spend"] == pytest.approx(540) and row["won_revenue"] == pytest.approx(
			w.invoice.base_net_total
		)
		assert (row["leads"], row["deals"], row["won_deals"], row["cost_per_lead"]) == (
			None,
			None,
			None,
			None,
		)
		assert row["roi"] == pytest.approx((flt(w.invoice.base_net_total) - 540) / 540 * 100)

	def test_the_period_counts_what_happened_in_it(self, campaign_world):
		w = campaign_world
		frappe.set_user(w.users.sales_and_accounts)
		since = {"from_date": add_days(nowdate(), -30), "to_date": nowdate()}
		row = report_row({**since, "campaign": w.campaign.name}, w.campaign.name)
		assert row["spend"] == pytest.approx(400 - 50 + 120)  # the expense of two months ago is out
		assert (row["leads"], row["converted_leads"], row["deals"], row["won_deals"]) == (3, 2, 2, 1)
		before = {"from_date": add_days(nowdate(), -70), "to_date": add_days(nowdate(), -50)}
		row = report_row({**before, "campaign": w.campaign.name}, w.campaign.name)
		assert (row["spend"], row["leads"], row["deals"], row["won_deals"], row["won_revenue"]) == (
			pytest.approx(70),
			0,
			0,
			0,
			0.0,
		)
		assert row["cost_per_lead"] is None and row["roi"] == pytest.approx(-100)

	def test_a_campaign_outside_the_period_with_nothing_in_it_is_left_out(self, campaign_world):
		old = make_campaign(
			**{setup.START_FIELD: add_days(nowdate(), -400), setup.END_FIELD: add_days(nowdate(), -300)}
		)
		names = [
			r["campaign"] for r in run(REPORT, filters={"from_date": add_days(nowdate(), -30)})["result"]
		]
		assert old.name not in names and campaign_world.campaign.name in names
		assert old.name in [r["campaign"] for r in run(REPORT, filters={})["result"]]

	def test_channel_filter_and_chart(self, campaign_world):
		w = campaign_world
		result = run(REPORT, filters={"channel": w.channel})
		assert [r["campaign"] for r in result["result"]] == [w.campaign.name]
		chart = result["chart"]
		assert chart["type"] == "bar" and chart["data"]["labels"] == [w.campaign.name]
		assert [d["values"] for d in chart["data"]["datasets"]] == [
			[pytest.approx(540)],
			[pytest.approx(w.invoice.base_net_total)],
		]

	def test_from_after_to_is_refused(self):
		from korus_crm.exceptions import InvalidInputError

		with pytest.raises(InvalidInputError):
			run(REPORT, filters={"from_date": nowdate(), "to_date": add_days(nowdate(), -1)})

	def test_a_filter_of_the_wrong_kind_answers_4xx(self, api):
		client = api("Sales User")
		for filters in ({"from_date": "not-a-date"}, {"campaign": {"a": 1}}, {"to_date": [1]}):
			response = client.post(
				"/api/method/frappe.desk.query_report.run",
				{"report_name": REPORT, "filters": json.dumps(filters)},
			)
			assert 400 <= response.status_code < 500, response
			assert response.exc_type == "InvalidInputError", response
		response = client.post(
			"/api/method/frappe.desk.query_report.run", {"report_name": REPORT, "filters": json.dumps({})}
		)
		assert response.status_code == 200, response


class TestCampaignForm:
	def test_the_form_shows_the_report_figures(self, campaign_world):
		w = campaign_world
		frappe.set_user(w.users.sales_and_accounts)
		doc = frappe.get_doc("Campaign", w.campaign.name)
		doc.run_method("onload")
		results = doc.get_onload()["korus_results"]
		assert results["figures"] == report_row({}, w.campaign.name)
		assert results["hidden"] == []
		frappe.set_user(w.users.sales_user)
		doc = frappe.get_doc("Campaign", w.campaign.name)
		doc.run_method("onload")
		results = doc.get_onload()["korus_results"]
		assert results["hidden"] == ["spend", "won_revenue"]
		assert results["figures"]["leads"] == 3 and results["figures"]["spend"] is None

	def test_the_end_is_not_before_the_start(self):
		with pytest.raises(frappe.ValidationError):
			make_campaign(**{setup.START_FIELD: nowdate(), setup.END_FIELD: add_days(nowdate(), -1)})
		one_day = make_campaign(**{setup.START_FIELD: nowdate(), setup.END_FIELD: nowdate()})
		assert one_day.name

	def test_the_budget_is_not_negative(self):
		with pytest.raises(frappe.ValidationError):
			make_campaign(**{setup.BUDGET_FIELD: -1})

	def test_an_inactive_channel_is_not_chosen(self):
		inactive = make_lead_source(is_active=0)
		with pytest.raises(InactiveRecordError):
			make_campaign(**{setup.CHANNEL_FIELD: inactive.name})
		active = make_lead_source()
		campaign = make_campaign(**{setup.CHANNEL_FIELD: active.name})
		frappe.db.set_value("Lead Source", active.name, "is_active", 0)
		campaign.reload()
		campaign.save()  # a channel already chosen stays when it is switched off


class TestSetup:
	def test_setup_is_idempotent_and_expenses_carry_the_campaign(self):
		setup.ensure_campaign_setup()
		setup.ensure_campaign_setup()
		assert frappe.db.count("Accounting Dimension", {"document_type": "Campaign"}) == 1
		assert setup.dimension_field() == setup.DIMENSION_FIELD
		for doctype in ("GL Entry", "Purchase Invoice Item", "Journal Entry Account", "Purchase Invoice"):
			assert frappe.get_meta(doctype).has_field(setup.DIMENSION_FIELD), doctype
			assert frappe.db.count("Custom Field", {"dt": doctype, "fieldname": setup.DIMENSION_FIELD}) == 1
		meta = frappe.get_meta("Campaign")
		for df in setup.fields()["Campaign"]:
			assert meta.has_field(df["fieldname"]), df["fieldname"]

	def test_accountants_may_pick_a_campaign_and_run_the_report(self, users):
		frappe.set_user(users.accounts_user)
		assert frappe.has_permission("Campaign", "read") and frappe.has_permission("Campaign", "report")
		assert not frappe.has_permission("Campaign", "write")
