"""Korus's reads that aggregate or follow links return only what the user may read: the deal's
quote-to-cash timeline, a contract order's fulfilment, the board counts and cards, the forecast,
the stage-duration report and the stage history (docs/permissions.md). Tried as a Sales User, a
Sales Manager and an Accounts User."""

import frappe
import pytest
from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from frappe.utils import add_days, nowdate

from korus_crm.api import boards
from korus_crm.api.deals import move_deal
from korus_crm.api.forecast import forecast_rows
from korus_crm.api.timeline import get_deal_timeline
from korus_crm.korus_crm.doctype.contract_order.contract_order import get_fulfilment
from korus_crm.korus_crm.report.deal_stage_duration.deal_stage_duration import rows as stage_duration_rows
from tests.integration.factories import make_deal, make_pipeline, stage_of, unique
from tests.integration.selling_setup import selling_world
from tests.integration.support import make_user


@pytest.fixture
def users(committed):
	"""Committed users with ERPNext's roles (made before any uncommitted test data)."""
	made = {}
	for key, roles in {
		"sales_user": ["Sales User"],
		"sales_manager": ["Sales User", "Sales Manager"],
		"accounts_user": ["Accounts User"],
		"sales_and_accounts": ["Sales User", "Accounts User"],
	}.items():
		user, _password = make_user(roles)
		committed.add("User", user)
		made[key] = user
	return frappe._dict(made)


@pytest.fixture
def paid_order(users):
	"""A won deal's approved contract order with ERPNext's Sales Order, invoice and payment."""
	world = selling_world(currency="USD")
	pipeline = make_pipeline()
	deal = make_deal(customer=world.customer, deal_pipeline=pipeline.name)
	order = frappe.get_doc(
		{
			"doctype": "Contract Order",
			"customer": world.customer,
			"company": world.company,
			"opportunity": deal.name,
			"items": [{"item_code": world.item, "qty": 1, "rate": 100}],
		}
	).insert()
	order.submit()  # approved by the Administrator
	payment = get_payment_entry("Sales Invoice", order.sales_invoice)
	payment.reference_no, payment.reference_date = "KORUS-1", nowdate()
	payment.insert()
	payment.submit()
	return frappe._dict(
		world=world, deal=deal.name, order=order.name, payment=payment.name, pipeline=pipeline
	)


def timeline_as(user: str, deal: str) -> dict[str, dict]:
	frappe.set_user(user)
	try:
		return {e["doctype"]: e for e in get_deal_timeline(deal)}
	finally:
		frappe.set_user("Administrator")


def fulfilment_as(user: str, order: str) -> dict:
	frappe.set_user(user)
	try:
		return get_fulfilment(order)
	finally:
		frappe.set_user("Administrator")


def can_read(user: str, doctype: str) -> bool:
	return bool(frappe.has_permission(doctype, "read", user=user))


class TestTimelineAndFulfilment:
	def test_a_sales_user_sees_invoices_and_payments_as_their_status_only(self, users, paid_order):
		assert not can_read(users.sales_user, "Sales Invoice")  # ERPNext's own permissions
		events = timeline_as(users.sales_user, paid_order.deal)
		assert events["Contract Order"]["name"] == paid_order.order
		assert events["Sales Order"]["amount"] == 100
		for doctype in ("Sales Invoice", "Payment Entry"):
			event = events[doctype]
			assert event["status"] and event["restricted"]
			assert (event["name"], event["amount"], event["route"]) == (None, None, None)
		fulfilment = fulfilment_as(users.sales_user, paid_order.order)
		assert (fulfilment["invoiced"], fulfilment["received"], fulfilment["outstanding"]) == (
			None,
			None,
			None,
		)
		assert fulfilment["invoices"] == [] and fulfilment["payments"] == []
		assert fulfilment["hidden"]["Sales Invoice"] == 1 and fulfilment["hidden"]["Payment Entry"] == 1
		assert fulfilment["per_billed"] == 100  # the Sales Order's own figure

	def test_a_sales_manager_sees_what_erpnext_lets_a_sales_manager_read(self, users, paid_order):
		events = timeline_as(users.sales_manager, paid_order.deal)
		for doctype in ("Sales Invoice", "Payment Entry"):
			readable = can_read(users.sales_manager, doctype)
			assert (events[doctype]["name"] is not None) is readable
			assert (events[doctype]["amount"] is not None) is readable

	def test_a_user_with_accounts_access_sees_the_whole_chain(self, users, paid_order):
		events = timeline_as(users.sales_and_accounts, paid_order.deal)
		assert (
			events["Sales Invoice"]["amount"] == 100 and events["Payment Entry"]["name"] == paid_order.payment
		)
		fulfilment = fulfilment_as(users.sales_and_accounts, paid_order.order)
		assert (fulfilment["invoiced"], fulfilment["received"], fulfilment["outstanding"]) == (100, 100, 0)
		assert fulfilment["payments"] == [paid_order.payment]

	def test_an_accounts_user_reads_the_contract_and_its_money_but_not_the_deal(self, users, paid_order):
		fulfilment = fulfilment_as(users.accounts_user, paid_order.order)
		assert (fulfilment["invoiced"], fulfilment["outstanding"]) == (100, 0)
		frappe.set_user(users.accounts_user)
		with pytest.raises(frappe.PermissionError):
			get_deal_timeline(paid_order.deal)


@pytest.fixture
def territories():
	from frappe.utils.nestedset import get_root_of

	root = get_root_of("Territory")
	return [
		frappe.get_doc(
			{"doctype": "Territory", "territory_name": unique("Korus T"), "parent_territory": root}
		)
		.insert()
		.name
		for _ in range(2)
	]


@pytest.fixture
def restricted_user(committed):
	user, _password = make_user(["Sales User"])
	committed.add("User", user)
	return user


class TestRestrictedUser:
	"""A Sales User allowed one territory (an ERPNext User Permission) sees only its deals."""

	@pytest.fixture
	def scene(self, restricted_user, territories):
		mine, other = territories
		frappe.get_doc(
			{"doctype": "User Permission", "user": restricted_user, "allow": "Territory", "for_value": mine}
		).insert()
		pipeline = make_pipeline()
		visible = make_deal(
			deal_pipeline=pipeline.name, territory=mine, amount=100, expected_closing=add_days(nowdate(), 10)
		)
		hidden = make_deal(
			deal_pipeline=pipeline.name, territory=other, amount=900, expected_closing=add_days(nowdate(), 10)
		)
		move_deal(hidden.name, stage_of(pipeline.name, "Proposal"))
		return frappe._dict(
			pipeline=pipeline.name, visible=visible.name, hidden=hidden.name, user=restricted_user
		)

	def as_user(self, scene):
		frappe.set_user(scene.user)

	def test_board_counts_and_cards_count_only_readable_deals(self, scene):
		self.as_user(scene)
		columns = {c["name"]: c for c in boards.get_deal_board(scene.pipeline, page_length=20)["columns"]}
		assert (columns["Open"]["count"], columns["Open"]["value_total"]) == (1, 100)
		assert columns["Proposal"]["count"] == 0 and columns["Proposal"]["cards"] == []
		assert {c["name"] for c in columns["Open"]["cards"]} == {scene.visible}
		counts = {c["name"]: c["count"] for c in boards.get_deal_board_counts(scene.pipeline)}
		assert counts["Proposal"] == 0

	def test_the_forecast_counts_only_readable_deals(self, scene):
		self.as_user(scene)
		rows = [r for r in forecast_rows(scene.pipeline)]
		assert sum(r["deals"] for r in rows) == 1 and sum(r["value"] for r in rows) == 100

	def test_stage_history_and_durations_follow_the_deals_permissions(self, scene):
		self.as_user(scene)
		history = frappe.get_list("Deal Stage History", filters={"pipeline": scene.pipeline}, pluck="deal")
		assert set(history) == {scene.visible}
		durations = stage_duration_rows(frappe._dict(pipeline=scene.pipeline))
		assert {d["stage"] for d in durations} == {stage_of(scene.pipeline, "Open")}
		hidden_stay = frappe.get_all("Deal Stage History", filters={"deal": scene.hidden}, pluck="name")[0]
		assert not frappe.has_permission("Deal Stage History", "read", doc=hidden_stay)

	def test_the_timeline_of_a_deal_the_user_may_not_read_is_refused(self, scene):
		self.as_user(scene)
		with pytest.raises(frappe.PermissionError):
			get_deal_timeline(scene.hidden)
