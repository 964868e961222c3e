"""Employee CRM Statistics (seed 004 客户统计, 商机统计): per employee, in a month, the figures of
hand-made records (some outside the month), department totals, filters, as Administrator and as a
Sales User of scope Own, and bad filters answered with a 4xx."""

from __future__ import annotations

import json
import random

import frappe
import pytest
from frappe.desk.query_report import run
from frappe.query_builder import DocType
from frappe.utils import get_first_day, get_last_day, getdate, nowdate

from korus_crm.analytics import employees
from korus_crm.boards import counts
from korus_crm.customers import recycle_bin
from korus_crm.exceptions import InvalidInputError
from korus_crm.rules.scope import DEPARTMENT_AND_BELOW, OWN
from tests.integration.factories import (
	lost_reason,
	make_customer,
	make_deal,
	make_pipeline,
	make_selling_item,
	stage_of,
)
from tests.integration.org_setup import make_org
from tests.integration.support import make_user, set_scope
from tests.integration.test_dashboard_aggregates import maintained, recounted

REPORT = "Employee CRM Statistics"
MONTH = {"from_date": "2031-05-01", "to_date": "2031-05-31"}
IN_MONTH, LATER = "2031-05-10 10:00:00", "2031-06-02 09:00:00"


@pytest.fixture
def people(committed):
	made = {}
	for key in ("me", "dave", "alice", "bob", "eve"):
		user, _password = make_user(["Sales User"])
		committed.add("User", user)
		made[key] = user
	return made


def set_columns(doctype: str, name: str, **values) -> None:
	table = DocType(doctype)
	query = frappe.qb.update(table).where(table.name == name)
	for field, value in values.items():
		query = query.set(table[field], value)
	query.run()


def customer(owner: str, manager: str, created: str) -> str:
	name = make_customer(account_manager=manager).name
	set_columns("Customer", name, owner=owner, creation=created)
	return name


def deal(owner: str, deal_owner: str, created: str, dated: str, stage: str | None = None, closed=None) -> str:
	name = make_deal(opportunity_owner=deal_owner, transaction_date=dated).name
	values = {"owner": owner, "creation": created}
	if stage:
		values.update(deal_stage=stage, closed_on=closed)
	set_columns("Opportunity", name, **values)
	return name


def follow_up(author: str, customer_name: str, at: str) -> None:
	doc = frappe.get_doc(
		{
			"doctype": "Customer Follow-up",
			"customer": customer_name,
			"method": "Call",
			"followed_up_at": at,
			"followed_up_by": author,
			"content": "Talked",
		}
	)
	doc.db_insert()


def approved_order(owner: str, customer_name: str, item: str, confirmed: str) -> str:
	order = frappe.get_doc(
		{
			"doctype": "Contract Order",
			"customer": customer_name,
			"company": frappe.defaults.get_global_default("company"),
			"contract_owner": owner,
			"items": [{"item_code": item, "qty": 1, "rate": 100}],
		}
	).insert()
	order.submit()
	set_columns("Contract Order", order.name, confirmed_on=confirmed)
	return order.name


@pytest.fixture
def world(people):
	"""In May 2031 (and a few records in June, which must not count):

	me:   adds c1 (owner me) and c2 (owner dave); creates deals d1 (owner me), d2 (owner dave);
	      owns d1, d3; won d1, lost d3; one approved order (100); two follow-ups
	dave: adds c3 (owner dave); owns c2, c3; creates d3; owns d2; one follow-up
	alice: adds c4 in June only
	"""
	org = make_org(people)
	me, dave, alice = people["me"], people["dave"], people["alice"]
	pipeline = make_pipeline()
	won, lost = stage_of(pipeline.name, "Won"), stage_of(pipeline.name, "Lost")
	c1 = customer(me, me, IN_MONTH)
	c2 = customer(me, dave, IN_MONTH)
	c3 = customer(dave, dave, IN_MONTH)
	customer(alice, alice, LATER)
	deal(me, me, IN_MONTH, "2031-05-10", won, "2031-05-20")
	deal(me, dave, IN_MONTH, "2031-05-11")
	deal(dave, me, IN_MONTH, "2031-05-12", lost, "2031-05-21")
	deal(me, me, LATER, "2031-06-02", won, "2031-06-03")
	follow_up(me, c1, IN_MONTH)
	follow_up(me, c2, "2031-05-31 23:30:00")
	follow_up(dave, c3, IN_MONTH)
	follow_up(me, c1, LATER)
	item = make_selling_item(rate=100)
	approved_order(me, c1, item, IN_MONTH)
	approved_order(me, c1, item, LATER)
	# the columns were set behind the app's back: the counters are rebuilt, as the daily job does
	counts.recount(counts.CUSTOMERS)
	counts.recount(counts.DEALS)
	return org


def rows_of(filters: dict) -> tuple[dict, dict]:
	"""({user: row}, {department: total row}) of the report."""
	result = run(REPORT, filters=json.dumps(filters))["result"]
	users = {r["user"]: r for r in result if not r.get("is_total")}
	totals = {r["department"]: r for r in result if r.get("is_total")}
	return users, totals


FIELDS = (
	"customers_added", "customers_owned", "opportunities_created", "opportunities_owned",
	"orders", "order_value", "follow_ups", "won", "lost", "conversion_rate",
)  # fmt: skip


def figures(row: dict) -> tuple:
	return tuple(row[f] for f in FIELDS)


def test_figures_per_employee_in_the_month(world):
	users, totals = rows_of(MONTH)
	me, dave = world.users["me"], world.users["dave"]
	assert figures(users[me]) == (2, 1, 2, 2, 1, 100, 2, 1, 1, 50.0)
	assert figures(users[dave]) == (1, 2, 1, 1, 0, 0, 1, 0, 0, None)
	assert world.users["alice"] not in users  # nothing of hers in May
	assert users[me]["department"] == world.d
	department = totals[world.d]
	assert figures(department)[:9] == (3, 3, 3, 3, 1, 100, 3, 1, 1)
	assert department["conversion_rate"] == 50.0


def test_date_range_moves_the_figures(world):
	users, _totals = rows_of({"from_date": "2031-06-01", "to_date": "2031-06-30"})
	me, alice = world.users["me"], world.users["alice"]
	assert figures(users[me]) == (0, 0, 1, 1, 1, 100, 1, 1, 0, 100.0)
	assert users[alice]["customers_added"] == 1
	assert users[alice]["department"] == world.dn


def test_department_and_user_filters(world):
	users, _totals = rows_of({**MONTH, "department": world.dn})
	# alice (DN) has nothing in May but is listed with zeros; me and dave are in D, above DN
	assert set(users) == {world.users["alice"]}
	assert figures(users[world.users["alice"]])[:9] == (0,) * 9
	users, _totals = rows_of({**MONTH, "user": world.users["dave"]})
	assert set(users) == {world.users["dave"]}
	users, _totals = rows_of({**MONTH, "department": world.d, "branch": world.south})
	assert set(users) == {world.users["dave"], world.users["bob"]}


def test_a_sales_user_of_scope_own_sees_only_their_records(world):
	set_scope("Sales User", OWN)
	frappe.set_user(world.users["me"])
	try:
		users, _totals = rows_of(MONTH)
	finally:
		frappe.set_user("Administrator")
	me, dave = world.users["me"], world.users["dave"]
	# customers managed by me: c1 (added by me); deals owned by me: d1 (by me), d3 (by dave)
	assert figures(users[me]) == (1, 1, 1, 2, 1, 100, 2, 1, 1, 50.0)
	# dave's row shows only what is in my scope: d3, which he created and I own
	assert figures(users[dave]) == (0, 0, 1, 0, 0, 0, 0, 0, 0, None)


def test_from_after_to_is_refused():
	with pytest.raises(InvalidInputError):
		run(REPORT, filters=json.dumps({"from_date": "2031-05-31", "to_date": "2031-05-01"}))


def test_a_filter_of_the_wrong_kind_answers_4xx(api):
	client = api("Sales User")
	for filters in ({"from_date": "not-a-date"}, {"user": {"a": 1}}, {"department": [1]}):
		response = client.post(
			"/api/method/frappe.desk.query_report.run",
			{"report_name": REPORT, "filters": json.dumps(filters)},
		)
		assert 400 <= response.status_code < 500, response
		assert response.exc_type == "InvalidInputError", response
	response = client.post(
		"/api/method/frappe.desk.query_report.run", {"report_name": REPORT, "filters": json.dumps(MONTH)}
	)
	assert response.status_code == 200, response


def test_the_report_exports(world):
	from frappe.desk.query_report import export_query

	before = frappe.local.form_dict
	frappe.local.form_dict = frappe._dict(
		report_name=REPORT, file_format_type="CSV", filters=json.dumps(MONTH), visible_idx="[]"
	)
	try:
		export_query()
	finally:
		frappe.local.form_dict = before
	assert frappe.response["type"] == "binary"
	assert world.users["me"].encode() in frappe.response["filecontent"]


EMPLOYEE_SPECS = (
	counts.CUSTOMERS_ADDED,
	counts.CUSTOMERS_OWNED,
	counts.DEALS_CREATED,
	counts.DEALS_OWNED,
	counts.DEALS_CLOSED_BY_OWNER,
)


def test_a_month_from_the_counters_equals_the_records_after_a_mix_of_writes(world):
	"""The statistics' counters stay equal to a recount through creations by several users, owner
	changes, stage moves (won, lost, reopened), redating, deletes and the recycle bin; and a whole
	month read from them equals the records' GROUP BY, for every viewer's scope."""
	users = [world.users[k] for k in ("me", "dave", "alice", "bob", "eve")]
	rng = random.Random(7)
	pipeline = make_pipeline()
	stages = [stage_of(pipeline.name, s) for s in ("Open", "Proposal", "Won", "Lost")]
	reason = lost_reason()
	customers, deals = [], []
	today = getdate(nowdate())

	def as_user(fn):
		frappe.set_user(rng.choice(users))
		try:
			return fn()
		finally:
			frappe.set_user("Administrator")

	def new_customer():
		customers.append(as_user(lambda: make_customer(account_manager=rng.choice(users))).name)

	def new_deal():
		party = rng.choice(customers) if customers else None
		deal = as_user(
			lambda: make_deal(
				customer=party, opportunity_owner=rng.choice(users), deal_pipeline=pipeline.name
			)
		)
		deals.append(deal.name)

	def reassign():
		if customers:
			doc = frappe.get_doc("Customer", rng.choice(customers))
			doc.account_manager = rng.choice(users)
			doc.save()
		if deals:
			doc = frappe.get_doc("Opportunity", rng.choice(deals))
			doc.opportunity_owner = rng.choice(users)
			doc.save()

	def move_deal():
		if deals:
			doc = frappe.get_doc("Opportunity", rng.choice(deals))
			doc.deal_stage = rng.choice(stages)
			if doc.deal_stage == stages[3]:
				doc.set("lost_reasons", [{"lost_reason": reason}])
			doc.save()

	def redate_deal():
		if deals:
			doc = frappe.get_doc("Opportunity", rng.choice(deals))
			doc.transaction_date = rng.choice([today, get_first_day(today), "2031-05-15"])
			doc.save()

	def delete_deal():
		if deals:
			frappe.delete_doc("Opportunity", deals.pop(rng.randrange(len(deals))), force=True)

	def bin_customer():
		if len(customers) > 1:
			name = customers.pop(rng.randrange(len(customers)))
			recycle_bin.mark_binned(frappe.get_doc("Customer", name))
			if rng.random() < 0.5:
				recycle_bin.unmark_binned(frappe.get_doc("Customer", name))
				customers.append(name)

	operations = [new_customer, new_customer, new_deal, new_deal, reassign, move_deal, move_deal]
	operations += [redate_deal, delete_deal, bin_customer]
	for _ in range(60):
		rng.choice(operations)()
	assert len(deals) > 3 and len(customers) > 1
	for spec in EMPLOYEE_SPECS:
		assert maintained(spec) == recounted(spec), f"{spec.doctype} by {spec.group_field} drifted"

	month = (get_first_day(today), get_last_day(today))
	months = [month[0].strftime("%Y-%m")]

	def both_ways(viewer: str) -> None:
		args = (*month, None, viewer)
		by_month = (months, None, viewer)
		assert employees.counted_by(counts.CUSTOMERS_ADDED, *by_month) == employees.count_by(
			"Customer", "owner", "creation", True, *args
		)
		assert employees.counted_by(counts.CUSTOMERS_OWNED, *by_month) == employees.count_by(
			"Customer", "account_manager", "creation", True, *args
		)
		assert employees.counted_by(counts.DEALS_CREATED, *by_month) == employees.count_by(
			"Opportunity", "owner", "creation", True, *args
		)
		assert employees.counted_by(counts.DEALS_OWNED, *by_month) == employees.count_by(
			"Opportunity", "opportunity_owner", "transaction_date", False, *args
		)
		assert employees.decided_counted(*by_month) == employees.decided_by(*args)

	both_ways("Administrator")
	for level in (OWN, DEPARTMENT_AND_BELOW):
		set_scope("Sales User", level)
		frappe.local.korus_scope = {}
		for key in ("me", "alice", "eve"):
			both_ways(world.users[key])
