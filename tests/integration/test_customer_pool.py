"""The customer pool on a real site (korus_crm.customers.pool): owners and the pool, claims (with
their limits, also under concurrency), release / assign / transfer with the owner log, the return
rules (time moved, never slept), the owners' notices, who reads pool customers, and the profile's
status (Developing, Won, Lapsed) and conversion carry-over."""

from __future__ import annotations

import threading

import frappe
import pytest
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, getdate, nowdate

from korus_crm.customers import pool, profile
from korus_crm.exceptions import ClaimRefusedError, PoolPermissionError, PoolSetupError
from korus_crm.rules.scope import OWN
from tests.integration.factories import make_customer, make_deal, make_lead, unique
from tests.integration.support import ApiClient, make_user, moved_to, new_user, set_scope


def make_pool(**values) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Customer Pool",
			"pool_name": values.pop("pool_name", unique("Korus Test Pool")),
			"notify_days_before": values.pop("notify_days_before", 0),
			"previous_owner_block_days": values.pop("previous_owner_block_days", 0),
			**values,
		}
	).insert()
	return doc.name


def members(*users: str) -> list[dict]:
	return [{"member_type": "User", "user": u} for u in users]


def in_pool(pool_name: str, **values):
	return make_customer(korus_pool=pool_name, **values)


def log_of(customer: str) -> list[tuple]:
	return [
		(r.action, r.from_user, r.to_user)
		for r in frappe.get_all(
			"Customer Owner Log",
			filters={"customer": customer},
			fields=["action", "from_user", "to_user"],
			order_by="creation asc, modified asc",
		)
	]


@pytest.fixture
def sellers():
	return frappe._dict(
		ann=new_user("Sales User"), bob=new_user("Sales User"), boss=new_user("Sales Manager")
	)


class TestOwnership:
	def test_a_customer_without_owner_is_in_its_pool_and_one_with_an_owner_is_owned(self, sellers):
		name = make_pool(members=members(sellers.ann))
		free = in_pool(name)
		owned = in_pool(name, account_manager=sellers.ann)
		assert (free.korus_in_pool, free.account_manager) == (1, None)
		assert (owned.korus_in_pool, owned.account_manager) == (0, sellers.ann)
		assert owned.korus_owner_since and not free.korus_owner_since
		assert log_of(owned.name) == [("Assign", None, sellers.ann)]
		assert log_of(free.name) == []

	def test_a_new_customer_joins_the_pool_that_serves_its_maker(self, sellers):
		mine = make_pool(members=members(sellers.ann))
		frappe.set_user(sellers.ann)
		customer = make_customer()
		frappe.set_user("Administrator")
		assert customer.korus_pool == mine

	def test_claim_release_assign_transfer_are_logged(self, sellers):
		name = make_pool(members=members(sellers.ann, sellers.bob))
		customer = in_pool(name).name
		frappe.set_user(sellers.ann)
		assert pool.claim(customer) == {"customer": customer, "owner": sellers.ann}
		pool.transfer(customer, sellers.bob, "Bob knows them")
		frappe.set_user(sellers.bob)
		pool.release(customer, "Not interested")
		frappe.set_user(sellers.boss)
		pool.assign(customer, sellers.ann)
		frappe.set_user("Administrator")
		assert log_of(customer) == [
			("Claim", None, sellers.ann),
			("Transfer", sellers.ann, sellers.bob),
			("Release", sellers.bob, None),
			("Assign", None, sellers.ann),
		]
		row = frappe.db.get_value("Customer", customer, ["account_manager", "korus_in_pool"], as_dict=True)
		assert (row.account_manager, row.korus_in_pool) == (sellers.ann, 0)
		assert (
			frappe.db.get_value("Customer Owner Log", {"customer": customer, "action": "Release"}, "reason")
			== "Not interested"
		)
		frappe.set_user(sellers.ann)
		assert [r.action for r in pool.owner_log(customer)] == ["Assign", "Release", "Transfer", "Claim"]

	def test_a_claimed_customer_cannot_be_claimed_again(self, sellers):
		name = make_pool(members=members(sellers.ann, sellers.bob))
		customer = in_pool(name).name
		frappe.set_user(sellers.ann)
		pool.claim(customer)
		frappe.set_user(sellers.bob)
		with pytest.raises(ClaimRefusedError):
			pool.claim(customer)

	def test_only_members_claim_and_only_owners_or_managers_release_or_transfer(self, sellers):
		name = make_pool(members=members(sellers.ann))
		customer = in_pool(name).name
		frappe.set_user(sellers.bob)
		with pytest.raises((PoolPermissionError, frappe.PermissionError)):
			pool.claim(customer)
		frappe.set_user(sellers.ann)
		pool.claim(customer)
		frappe.set_user(sellers.bob)
		with pytest.raises((PoolPermissionError, frappe.PermissionError)):
			pool.release(customer)
		with pytest.raises((PoolPermissionError, frappe.PermissionError)):
			pool.transfer(customer, sellers.bob)
		with pytest.raises((PoolPermissionError, frappe.PermissionError)):
			pool.assign(customer, sellers.bob)

	def test_a_form_edit_of_the_owner_is_the_same_rule(self, sellers):
		name = make_pool(members=members(sellers.ann, sellers.bob))
		customer = in_pool(name, account_manager=sellers.ann)
		frappe.set_user(sellers.bob)
		doc = frappe.get_doc("Customer", customer.name)
		doc.account_manager = sellers.bob
		with pytest.raises(PoolPermissionError):
			doc.save(ignore_permissions=True)
		frappe.set_user(sellers.ann)
		doc = frappe.get_doc("Customer", customer.name)
		doc.account_manager = sellers.bob
		doc.save(ignore_permissions=True)
		frappe.set_user("Administrator")
		assert log_of(customer.name)[-1] == ("Transfer", sellers.ann, sellers.bob)
		assert frappe.db.get_value("Customer", customer.name, "korus_in_pool") == 0

	def test_the_new_owner_is_notified(self, sellers):
		name = make_pool(members=members(sellers.ann, sellers.bob))
		customer = in_pool(name).name
		frappe.set_user(sellers.boss)
		pool.assign(customer, sellers.bob, "Yours now")
		frappe.set_user("Administrator")
		assert frappe.db.exists(
			"Notification Log",
			{"for_user": sellers.bob, "document_type": "Customer", "document_name": customer},
		)

	def test_release_needs_a_pool_and_an_owner(self, sellers):
		name = make_pool(members=members(sellers.ann))
		customer = in_pool(name).name
		with pytest.raises(ClaimRefusedError):
			pool.release(customer)
		lone = make_customer(account_manager=sellers.ann)
		frappe.db.set_value("Customer", lone.name, "korus_pool", None)
		with pytest.raises(PoolSetupError):
			pool.release(lone.name)

	def test_deleting_a_customer_deletes_its_log(self, sellers):
		customer = in_pool(make_pool(), account_manager=sellers.ann).name
		assert log_of(customer)
		frappe.delete_doc("Customer", customer, force=True)
		assert not frappe.db.exists("Customer Owner Log", {"customer": customer})


class TestLimits:
	def test_at_most_k_owned(self, sellers):
		name = make_pool(members=members(sellers.ann), max_owned_per_user=2)
		customers = [in_pool(name).name for _ in range(3)]
		frappe.set_user(sellers.ann)
		pool.claim(customers[0])
		pool.claim(customers[1])
		with pytest.raises(ClaimRefusedError, match="already own 2"):
			pool.claim(customers[2])

	def test_won_customers_count_only_when_the_pool_says(self, sellers):
		name = make_pool(members=members(sellers.ann), max_owned_per_user=1)
		won = in_pool(name, account_manager=sellers.ann)
		frappe.db.set_value("Customer", won.name, "korus_status", "Won")
		other = in_pool(name).name
		frappe.set_user(sellers.ann)
		pool.claim(other)  # the won one does not count
		frappe.set_user("Administrator")
		frappe.db.set_value("Customer Pool", name, "count_won_customers", 1)
		pool.forget_pools()
		frappe.set_user(sellers.ann)
		with pytest.raises(ClaimRefusedError):
			pool.claim(in_pool(name).name)

	def test_at_most_j_claims_a_day_and_again_tomorrow(self, sellers):
		name = make_pool(members=members(sellers.ann), daily_claim_limit=1)
		first, second = in_pool(name).name, in_pool(name).name
		frappe.set_user(sellers.ann)
		pool.claim(first)
		with pytest.raises(ClaimRefusedError, match="1 claims today"):
			pool.claim(second)
		with moved_to(f"{add_days(nowdate(), 1)} 12:00:00"):
			pool.claim(second)
		assert frappe.db.get_value("Customer", second, "account_manager") == sellers.ann

	def test_limits_per_role_the_most_generous_applies(self, sellers):
		name = make_pool(
			members=members(sellers.ann, sellers.boss),
			max_owned_per_user=1,
			limits=[{"applies_to": "Role", "role": "Sales Manager", "max_owned": 0, "daily_claims": 0}],
		)
		customers = [in_pool(name).name for _ in range(3)]
		frappe.set_user(sellers.boss)
		for customer in customers[:2]:
			pool.claim(customer)  # no limit for Sales Managers
		frappe.set_user("Administrator")
		frappe.set_user(sellers.ann)
		pool.claim(customers[2])
		with pytest.raises(ClaimRefusedError):
			pool.claim(in_pool(name).name)

	def test_a_previous_owner_waits_m_days(self, sellers):
		name = make_pool(members=members(sellers.ann), previous_owner_block_days=7)
		customer = in_pool(name).name
		frappe.set_user(sellers.ann)
		pool.claim(customer)
		pool.release(customer)
		with pytest.raises(ClaimRefusedError, match="claim it again from"):
			pool.claim(customer)
		with moved_to(f"{add_days(nowdate(), 6)} 12:00:00"):
			with pytest.raises(ClaimRefusedError):
				pool.claim(customer)
		with moved_to(f"{add_days(nowdate(), 7)} 12:00:00"):
			pool.claim(customer)

	def test_a_pool_rule_or_limit_that_cannot_work_is_refused(self):
		with pytest.raises(PoolSetupError):
			make_pool(rules=[{"basis": "Follow-up", "days": 10}, {"basis": "Follow-up", "days": 20}])
		with pytest.raises(PoolSetupError):
			make_pool(members=[{"member_type": "Department"}])
		with pytest.raises(PoolSetupError):
			make_pool(limits=[{"applies_to": "Role", "max_owned": 3}])


class TestReturnRules:
	def test_the_return_date_follows_the_rules_and_the_follow_ups(self, sellers):
		name = make_pool(rules=[{"basis": "Follow-up", "days": 30}, {"basis": "New Deal", "days": 60}])
		customer = in_pool(name, account_manager=sellers.ann)
		today = getdate(nowdate())
		assert getdate(customer.korus_return_due_on) == add_days(today, 30)
		pool.timing_changed(customer.name, korus_last_followup_at=f"{add_days(today, 10)} 09:00:00")
		assert getdate(frappe.db.get_value("Customer", customer.name, "korus_return_due_on")) == add_days(
			today, 40
		)
		with pytest.raises(ValueError):
			pool.timing_changed(customer.name, account_manager="x")

	def test_a_level_rule_and_won_customers_left_out(self, sellers):
		level = frappe.get_doc({"doctype": "Customer Level", "level_name": unique("Key")}).insert().name
		name = make_pool(
			rules=[
				{"basis": "Follow-up", "days": 30, "exclude_won": 1},
				{"basis": "Follow-up", "days": 90, "customer_level": level},
			]
		)
		today = getdate(nowdate())
		key = in_pool(name, account_manager=sellers.ann, korus_level=level)
		normal = in_pool(name, account_manager=sellers.ann)
		assert getdate(key.korus_return_due_on) == add_days(today, 90)
		assert getdate(normal.korus_return_due_on) == add_days(today, 30)
		frappe.db.set_value("Customer", normal.name, "korus_status", "Won")
		pool.timing_changed(normal.name)
		assert frappe.db.get_value("Customer", normal.name, "korus_return_due_on") is None

	def test_changing_a_pools_rules_reworks_its_customers_dates(self, sellers):
		name = make_pool()
		customer = in_pool(name, account_manager=sellers.ann)
		assert customer.korus_return_due_on is None
		doc = frappe.get_doc("Customer Pool", name)
		doc.append("rules", {"basis": "Follow-up", "days": 5})
		doc.save()
		assert getdate(frappe.db.get_value("Customer", customer.name, "korus_return_due_on")) == add_days(
			getdate(nowdate()), 5
		)

	def test_due_customers_return_and_each_owner_is_told_once(self, sellers):
		name = make_pool(rules=[{"basis": "Follow-up", "days": 10}], notify_days_before=3)
		ann_customers = [in_pool(name, account_manager=sellers.ann).name for _ in range(2)]
		bobs = in_pool(name, account_manager=sellers.bob).name
		followed = in_pool(name, account_manager=sellers.bob).name
		today = getdate(nowdate())
		pool.timing_changed(followed, korus_last_followup_at=f"{add_days(today, 5)} 10:00:00")
		committed_state = frappe.db.commit
		frappe.db.commit = lambda: None  # the jobs commit per chunk; the test's rollback undoes them
		try:
			told = pool.notify_returning(add_days(today, 7))
			assert sorted(told) == sorted([sellers.ann, sellers.bob])
			assert sorted(told[sellers.ann]) == sorted(ann_customers)
			assert pool.return_due_customers(add_days(today, 9)) == {}
			returned = pool.return_due_customers(add_days(today, 10))
		finally:
			frappe.db.commit = committed_state
		assert sorted(returned[sellers.ann]) == sorted(ann_customers) and returned[sellers.bob] == [bobs]
		for customer in (*ann_customers, bobs):
			row = frappe.db.get_value(
				"Customer",
				customer,
				["account_manager", "korus_in_pool", "korus_return_due_on"],
				as_dict=True,
			)
			assert (row.account_manager, row.korus_in_pool, row.korus_return_due_on) == (None, 1, None)
			assert log_of(customer)[-1][0] == "Auto Return"
		assert frappe.db.get_value("Customer", followed, "account_manager") == sellers.bob
		notices = frappe.get_all("Notification Log", filters={"for_user": sellers.ann}, fields=["subject"])
		assert len([n for n in notices if "returned to the pool" in n.subject]) == 1
		assert len([n for n in notices if "will return to the pool" in n.subject]) == 1

	def test_the_return_job_reads_only_due_rows(self):
		plan = frappe.db.sql(
			"""explain select name, account_manager, korus_pool from `tabCustomer`
			where korus_in_pool = 0 and korus_return_due_on <= %s and korus_deleted = 0
			order by korus_return_due_on, name limit 500""",
			nowdate(),
			as_dict=True,
		)
		assert plan[0].key in ("korus_return_due", "korus_return_due_on_index"), plan


class TestWhoReads:
	def test_pool_customers_are_read_by_the_pools_members_beyond_their_scope(self, sellers):
		set_scope("Sales User", OWN)
		mine = make_pool(members=members(sellers.ann))
		other = make_pool(members=members(sellers.bob))
		free_mine, free_other = in_pool(mine).name, in_pool(other).name
		owned_by_bob = in_pool(mine, account_manager=sellers.bob).name
		frappe.set_user(sellers.ann)
		seen = set(
			frappe.get_list(
				"Customer", filters={"name": ("in", [free_mine, free_other, owned_by_bob])}, pluck="name"
			)
		)
		assert seen == {free_mine}
		assert frappe.has_permission("Customer", "read", free_mine)
		assert not frappe.has_permission("Customer", "read", free_other)
		with pytest.raises(frappe.PermissionError):
			pool.claim(free_other)
		pool.claim(free_mine)
		assert frappe.get_list("Customer", filters={"name": free_mine}, pluck="name") == [free_mine]

	def test_a_department_member_reads_and_claims(self, sellers):
		from tests.integration.org_setup import make_department, make_employee

		set_scope("Sales User", OWN)
		parent = make_department()
		child = make_department(parent=parent)
		make_employee(sellers.bob, child, None)
		name = make_pool(members=[{"member_type": "Department", "department": parent}])
		customer = in_pool(name).name
		frappe.set_user(sellers.bob)
		pool.claim(customer)
		frappe.set_user(sellers.ann)
		with pytest.raises(frappe.PermissionError):
			pool.claim(in_pool(name).name)


class TestProfile:
	def test_first_deal_makes_it_developing_and_an_approved_order_won(self, sellers):
		from tests.integration.factories import default_company
		from tests.integration.selling_setup import selling_world

		world = selling_world(
			currency=frappe.get_cached_value("Company", default_company(), "default_currency")
		)
		customer = world.customer
		frappe.db.set_value("Customer", customer, "korus_status", "Potential")
		make_deal(opportunity_from="Customer", party_name=customer)
		row = frappe.db.get_value("Customer", customer, ["korus_status", "korus_last_deal_on"], as_dict=True)
		assert row.korus_status == "Developing" and getdate(row.korus_last_deal_on) == getdate(nowdate())
		order = frappe.get_doc(
			{
				"doctype": "Contract Order",
				"customer": customer,
				"company": world.company,
				"tax_policy": world.tax_policy,
				"items": [{"item_code": world.item, "qty": 1}],
			}
		).insert()
		apply_workflow(order, "Approve")
		row = frappe.db.get_value("Customer", customer, ["korus_status", "korus_last_order_on"], as_dict=True)
		assert row.korus_status == "Won" and getdate(row.korus_last_order_on) == getdate(nowdate())

	def test_won_customers_without_orders_lapse(self, sellers):
		frappe.db.set_single_value("Korus CRM Settings", "customer_lapse_days", 100)
		recent, old = make_customer().name, make_customer().name
		today = getdate(nowdate())
		frappe.db.set_value(
			"Customer", recent, {"korus_status": "Won", "korus_last_order_on": add_days(today, -99)}
		)
		frappe.db.set_value(
			"Customer", old, {"korus_status": "Won", "korus_last_order_on": add_days(today, -101)}
		)
		committed_state = frappe.db.commit
		frappe.db.commit = lambda: None
		try:
			assert profile.lapse_customers(today) >= 1
		finally:
			frappe.db.commit = committed_state
		assert frappe.db.get_value("Customer", old, "korus_status") == "Lapsed"
		assert frappe.db.get_value("Customer", recent, "korus_status") == "Won"

	def test_a_converted_lead_carries_its_source_industry_size_and_owner(self, sellers):
		from erpnext.crm.doctype.lead.lead import make_customer as customer_from_lead

		source = frappe.get_doc({"doctype": "Lead Source", "source_name": unique("Fair")}).insert().name
		industry = frappe.get_doc({"doctype": "Industry Type", "industry": unique("Robots")}).insert().name
		lead = make_lead(
			company_name=unique("Lead Co"),
			source=source,
			industry=industry,
			no_of_employees="51-200",
			lead_owner=sellers.ann,
		)
		customer = customer_from_lead(lead.name)
		customer.customer_group = customer.customer_group or frappe.db.get_value(
			"Customer Group", {"is_group": 1}
		)
		customer.territory = customer.territory or frappe.db.get_value("Territory", {"is_group": 1})
		customer.insert()
		assert (
			customer.korus_source,
			customer.industry,
			customer.korus_company_size,
			customer.account_manager,
		) == (
			source,
			industry,
			"51-200",
			sellers.ann,
		)


class TestOverRest:
	def test_bad_input_is_a_4xx(self, api):
		client = api("Sales User")
		for body in ({}, {"customer": {"name": "x"}}, {"customer": ["a"]}):
			response = client.post("/api/method/korus_crm.customers.pool.claim", body)
			assert response.status_code == 417, response
		response = client.post(
			"/api/method/korus_crm.customers.pool.claim", {"customer": "Korus No Such Customer"}
		)
		assert response.status_code == 404, response
		response = client.post(
			"/api/method/korus_crm.customers.pool.transfer", {"customer": "Korus No Such Customer", "user": 5}
		)
		assert response.status_code in (404, 417), response

	def test_two_users_claim_at_once_one_gets_it(self, frappe_site, committed):
		users = {}
		for key in ("ann", "bob", "cid", "dan"):
			users[key] = make_user(["Sales User"])
			committed.add("User", users[key][0])
		name = make_pool(members=members(*(u for u, _p in users.values())))
		customer = in_pool(name).name
		frappe.db.commit()
		committed.add("Customer Pool", name)
		committed.add("Customer", customer)
		responses = []

		def claim(key):
			client = ApiClient(frappe_site)
			client.login(*users[key])
			responses.append(
				client.post("/api/method/korus_crm.customers.pool.claim", {"customer": customer})
			)

		threads = [threading.Thread(target=claim, args=(key,)) for key in users]
		for t in threads:
			t.start()
		for t in threads:
			t.join()
		frappe.db.rollback()
		codes = sorted(r.status_code for r in responses)
		assert codes == [200, 417, 417, 417], responses
		assert {r.exc_type for r in responses if r.status_code == 417} == {"ClaimRefusedError"}
		winner = frappe.db.get_value("Customer", customer, "account_manager")
		assert winner in {u for u, _p in users.values()}
		assert log_of(customer) == [("Claim", None, winner)]

	def test_one_user_claims_two_at_once_the_limit_holds(self, frappe_site, committed):
		user, password = make_user(["Sales User"])
		committed.add("User", user)
		name = make_pool(members=members(user), max_owned_per_user=1)
		customers = [in_pool(name).name for _ in range(3)]
		frappe.db.commit()
		committed.add("Customer Pool", name)
		for customer in customers:
			committed.add("Customer", customer)
		responses = []

		def claim(customer):
			client = ApiClient(frappe_site)
			client.login(user, password)
			responses.append(
				client.post("/api/method/korus_crm.customers.pool.claim", {"customer": customer})
			)

		threads = [threading.Thread(target=claim, args=(c,)) for c in customers]
		for t in threads:
			t.start()
		for t in threads:
			t.join()
		frappe.db.rollback()
		assert sorted(r.status_code for r in responses) == [200, 417, 417], responses
		assert frappe.db.count("Customer", {"account_manager": user}) == 1
