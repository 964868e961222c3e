"""The recycle bin of customers and deals: recycle, hide, restore whole, purge after the retention
time; customers with transactions are disabled instead; managers only for the bin itself."""

from __future__ import annotations

import frappe
import pytest
from frappe.desk.doctype.tag.tag import add_tag
from frappe.desk.search import search_link
from frappe.utils import add_days, now_datetime

from korus_crm.boards import counts
from korus_crm.customers import recycle_bin
from korus_crm.exceptions import CompanyInUseError, DealInUseError, RecycleBinError
from korus_crm.scope import get_count
from korus_crm.selling import won_deals
from tests.integration.factories import make_contact, make_customer, make_deal, make_pipeline, stage_of
from tests.integration.selling_setup import make_offer, selling_world


def visible(doctype: str, name: str) -> bool:
	return bool(frappe.get_list(doctype, filters={"name": name}, pluck="name"))


def found_by_link_search(doctype: str, text: str) -> list[str]:
	return [r["value"] for r in search_link(doctype, text, page_length=50)]


class TestRecycleAndRestore:
	def test_a_binned_customer_is_hidden_and_comes_back_whole(self):
		customer = make_customer()
		contact = make_contact(customer.name, email=f"bin.{frappe.generate_hash(length=6)}@example.com")
		deal = make_deal(customer=customer.name)
		add_tag("Korus Bin Test", "Customer", customer.name)

		result = recycle_bin.recycle("Customer", customer.name)

		assert result["action"] == "recycled" and result["deals"] == [deal.name]
		assert not visible("Customer", customer.name) and not visible("Opportunity", deal.name)
		assert get_count("Customer", {"name": customer.name}) == 0
		assert customer.name not in found_by_link_search("Customer", customer.customer_name)
		# nothing of it was touched
		assert frappe.get_doc("Contact", contact.name).has_link("Customer", customer.name)
		assert frappe.db.get_value("Customer", customer.name, "korus_deleted_by") == "Administrator"

		restored = recycle_bin.restore("Customer", customer.name)

		assert restored["deals"] == [deal.name]
		assert visible("Customer", customer.name) and visible("Opportunity", deal.name)
		assert get_count("Customer", {"name": customer.name}) == 1
		assert customer.name in found_by_link_search("Customer", customer.customer_name)
		assert frappe.get_doc("Contact", contact.name).has_link("Customer", customer.name)
		assert "Korus Bin Test" in (frappe.db.get_value("Customer", customer.name, "_user_tags") or "")

	def test_the_bin_lists_what_it_holds(self):
		customer = make_customer()
		recycle_bin.recycle("Customer", customer.name)
		listed = recycle_bin.bin_list("Customer", search=customer.customer_name)
		assert [r.name for r in listed["rows"]] == [customer.name] and listed["total"] == 1
		assert listed["rows"][0].purge_on

	def test_recycling_twice_or_restoring_what_is_not_binned_is_refused(self):
		customer = make_customer()
		with pytest.raises(RecycleBinError):
			recycle_bin.restore("Customer", customer.name)
		recycle_bin.recycle("Customer", customer.name)
		with pytest.raises(RecycleBinError):
			recycle_bin.recycle("Customer", customer.name)

	def test_a_customer_with_transactions_is_disabled_instead(self):
		world = selling_world(currency="USD")
		make_offer(world)
		result = recycle_bin.recycle("Customer", world.customer)
		assert result["action"] == "disabled"
		assert "Price Offer" in result["message"]
		assert frappe.db.get_value("Customer", world.customer, ["disabled", "korus_deleted"]) == (1, 0)

	def test_the_desks_delete_moves_a_customer_to_the_bin(self):
		overrides = frappe.get_hooks("override_whitelisted_methods")
		assert overrides["frappe.client.delete"][-1] == "korus_crm.customers.recycle_bin.delete"
		assert (
			overrides["frappe.desk.reportview.delete_items"][-1]
			== "korus_crm.customers.recycle_bin.delete_items"
		)
		customer = make_customer()
		recycle_bin.delete("Customer", customer.name)
		assert frappe.db.get_value("Customer", customer.name, "korus_deleted") == 1
		with pytest.raises(RecycleBinError):  # already there: refused, nothing written
			recycle_bin.recycle("Customer", customer.name)
		result = recycle_bin.delete_items("Customer", f'["{customer.name}"]')
		assert result["failed"][0]["name"] == customer.name


class TestDeals:
	def test_a_binned_deal_leaves_its_board_and_comes_back(self):
		pipeline = make_pipeline()
		deal = make_deal(deal_pipeline=pipeline.name, amount=70)
		recycle_bin.recycle("Opportunity", deal.name)
		assert not visible("Opportunity", deal.name)
		assert counts.read_counts(counts.DEALS, pipeline.name)[deal.deal_stage].count == 0
		recycle_bin.restore("Opportunity", deal.name)
		assert visible("Opportunity", deal.name)
		assert counts.read_counts(counts.DEALS, pipeline.name)[deal.deal_stage].count == 1

	def test_a_deal_of_a_binned_customer_comes_back_only_with_it(self):
		deal = make_deal()
		recycle_bin.recycle("Customer", deal.party_name)
		with pytest.raises(RecycleBinError):
			recycle_bin.restore("Opportunity", deal.name)

	def test_a_deal_with_an_approved_contract_order_is_not_binned(self):
		world = selling_world(currency="USD")
		pipeline = make_pipeline()
		deal = make_deal(customer=world.customer, deal_pipeline=pipeline.name)
		deal.append("items", {"item_code": world.item, "qty": 1, "rate": 50})
		deal.save()
		deal.update({"deal_stage": stage_of(pipeline.name, "Won")}).save()
		order = won_deals.make_contract_order(deal.name)
		frappe.get_doc("Contract Order", order).submit()
		with pytest.raises(DealInUseError):
			recycle_bin.recycle("Opportunity", deal.name)


class TestPurge:
	def test_the_bin_is_emptied_after_the_retention_days_only(self):
		customer = make_customer()
		contact = make_contact(customer.name)
		deal = make_deal(customer=customer.name)
		recycle_bin.recycle("Customer", customer.name)
		days = recycle_bin.retention_days()

		assert recycle_bin.purge_due(now=add_days(now_datetime(), days - 1)) == {
			"Opportunity": 0,
			"Customer": 0,
		}
		assert frappe.db.exists("Customer", customer.name)

		recycle_bin.purge_due(now=add_days(now_datetime(), days + 1))
		assert not frappe.db.exists("Customer", customer.name)
		assert not frappe.db.exists("Opportunity", deal.name)
		assert not frappe.db.exists("Contact", contact.name)  # ERPNext's rule: a contact only it had

	def test_the_purge_reads_only_due_rows_by_index(self):
		plan = frappe.db.sql(
			"explain select name from `tabCustomer` where korus_deleted = 1 and korus_deleted_on <= %s",
			now_datetime(),
			as_dict=True,
		)
		assert plan[0].key == "korus_deleted_on"

	def test_a_manager_deletes_permanently_from_the_bin(self):
		customer = make_customer()
		make_contact(customer.name)
		recycle_bin.recycle("Customer", customer.name)
		assert recycle_bin.purge("Customer", customer.name)["action"] == "purged"
		assert not frappe.db.exists("Customer", customer.name)

	def test_a_company_outside_the_bin_keeps_the_old_deletion_rule(self):
		customer = make_customer()
		make_contact(customer.name)
		customer.reload()
		with pytest.raises(CompanyInUseError):
			frappe.delete_doc("Customer", customer.name)


class TestOverRest:
	def test_a_sales_user_bins_their_deal_and_only_a_manager_restores_it(self, api, committed):
		user_client = api("Sales User")
		manager_client = api("Sales User", "Sales Manager")
		customer = make_customer(account_manager=user_client.user)
		deal = make_deal(customer=customer.name, opportunity_owner=user_client.user)
		frappe.db.commit()
		committed.add("Customer", customer.name)
		committed.add("Opportunity", deal.name)

		response = user_client.post(
			"/api/method/frappe.client.delete", {"doctype": "Opportunity", "name": deal.name}
		)
		assert response.status_code == 200, response
		frappe.db.rollback()
		assert frappe.db.get_value("Opportunity", deal.name, "korus_deleted") == 1

		assert user_client.get(f"/api/resource/Opportunity/{deal.name}").status_code == 403
		assert (
			user_client.get("/api/resource/Opportunity", {"filters": f'[["name","=","{deal.name}"]]'}).data
			== []
		)
		assert (
			user_client.post(
				"/api/method/korus_crm.customers.recycle_bin.bin_list", {"doctype": "Opportunity"}
			).status_code
			== 403
		)
		restore = {"doctype": "Opportunity", "name": deal.name}
		assert (
			user_client.post("/api/method/korus_crm.customers.recycle_bin.restore", restore).status_code
			== 403
		)

		listed = manager_client.post(
			"/api/method/korus_crm.customers.recycle_bin.bin_list", {"doctype": "Opportunity"}
		)
		assert deal.name in [r["name"] for r in listed.data["rows"]]
		assert (
			manager_client.post("/api/method/korus_crm.customers.recycle_bin.restore", restore).status_code
			== 200
		)
		frappe.db.rollback()
		assert frappe.db.get_value("Opportunity", deal.name, "korus_deleted") == 0
		assert user_client.get(f"/api/resource/Opportunity/{deal.name}").status_code == 200

	def test_a_sales_user_may_not_delete_customers_at_all(self, api, committed):
		client = api("Sales User")
		customer = make_customer(account_manager=client.user)
		frappe.db.commit()
		committed.add("Customer", customer.name)
		response = client.post(
			"/api/method/frappe.client.delete", {"doctype": "Customer", "name": customer.name}
		)
		assert response.status_code == 403, response
		frappe.db.rollback()
		assert frappe.db.get_value("Customer", customer.name, "korus_deleted") == 0

	def test_bad_input_is_a_4xx(self, api):
		client = api("Sales User", "Sales Manager")
		path = "/api/method/korus_crm.customers.recycle_bin."
		assert client.post(path + "recycle", {"doctype": "Item", "name": "x"}).status_code == 417
		assert client.post(path + "restore", {"doctype": "Customer"}).status_code == 417
		assert (
			client.post(path + "restore", {"doctype": "Customer", "name": "Korus No Such"}).status_code == 404
		)
