"""Customer groups: code, discount through ERPNext's pricing engine, priority, active flag, number
of customers, deletion guard."""

import frappe
import pytest

from korus_crm.exceptions import CustomerGroupInUseError, DuplicateCodeError
from tests.integration.factories import (
	default_company,
	make_customer,
	make_customer_group,
	make_selling_item,
	selling_price_list,
)


def pricing_rule_of(group: str):
	from korus_crm.events.customer_group import group_pricing_rule

	name = group_pricing_rule(group)
	return frappe.get_doc("Pricing Rule", name) if name else None


class TestCode:
	def test_the_code_is_stored_trimmed_upper_case(self):
		assert make_customer_group(group_code=" vip-1 ").group_code == "VIP-1"

	def test_codes_are_unique_case_insensitively(self):
		first = make_customer_group(group_code="KORUS-GOLD")
		with pytest.raises(DuplicateCodeError) as raised:
			make_customer_group(group_code="korus-gold")
		assert first.name in str(raised.value)


class TestDiscount:
	@pytest.mark.parametrize("discount", [-1, 100.5])
	def test_a_discount_outside_0_to_100_is_refused(self, discount):
		with pytest.raises(frappe.ValidationError):
			make_customer_group(discount_percentage=discount)

	def test_a_group_with_a_discount_gets_one_enabled_pricing_rule(self):
		group = make_customer_group(discount_percentage=12.5, priority=3)
		rule = pricing_rule_of(group.name)
		assert rule is not None
		assert (rule.applicable_for, rule.customer_group, rule.selling) == ("Customer Group", group.name, 1)
		assert (rule.rate_or_discount, rule.discount_percentage, rule.disable) == (
			"Discount Percentage",
			12.5,
			0,
		)
		assert rule.priority == "3"

	def test_changing_the_discount_updates_the_same_rule(self):
		group = make_customer_group(discount_percentage=5)
		first = pricing_rule_of(group.name).name
		group.update({"discount_percentage": 8}).save()
		rule = pricing_rule_of(group.name)
		assert rule.name == first
		assert rule.discount_percentage == 8
		assert frappe.db.count("Pricing Rule", {"customer_group": group.name}) == 1

	def test_deactivating_the_group_disables_its_rule(self):
		group = make_customer_group(discount_percentage=5)
		group.update({"is_active": 0}).save()
		assert pricing_rule_of(group.name).disable == 1
		group.update({"is_active": 1}).save()
		assert pricing_rule_of(group.name).disable == 0

	def test_a_zero_discount_disables_the_rule_and_makes_none_for_a_new_group(self):
		assert pricing_rule_of(make_customer_group().name) is None
		group = make_customer_group(discount_percentage=5)
		group.update({"discount_percentage": 0}).save()
		assert pricing_rule_of(group.name).disable == 1

	def test_erpnext_prices_a_quotation_with_the_group_discount(self):
		group = make_customer_group(discount_percentage=10)
		customer = make_customer(customer_group=group.name)
		item = make_selling_item(rate=200)
		quotation = frappe.get_doc(
			{
				"doctype": "Quotation",
				"quotation_to": "Customer",
				"party_name": customer.name,
				"company": default_company(),
				"selling_price_list": selling_price_list(),
				"items": [{"item_code": item, "qty": 2}],
			}
		)
		quotation.run_method("set_missing_values")
		quotation.run_method("set_missing_item_details")
		quotation.insert()
		row = quotation.items[0]
		assert row.pricing_rules and pricing_rule_of(group.name).name in row.pricing_rules
		assert (row.price_list_rate, row.discount_percentage, row.rate) == (200, 10, 180)
		assert quotation.net_total == 360


class TestCustomers:
	def test_the_group_counts_its_customers(self):
		group = make_customer_group()
		other = make_customer_group()
		customer = make_customer(customer_group=group.name)
		make_customer(customer_group=group.name)
		assert frappe.db.get_value("Customer Group", group.name, "customer_count") == 2
		customer.update({"customer_group": other.name}).save()
		assert frappe.db.get_value("Customer Group", group.name, "customer_count") == 1
		assert frappe.db.get_value("Customer Group", other.name, "customer_count") == 1
		frappe.delete_doc("Customer", customer.name)
		assert frappe.db.get_value("Customer Group", other.name, "customer_count") == 0

	def test_a_group_with_customers_cannot_be_deleted(self):
		group = make_customer_group(discount_percentage=5)
		make_customer(customer_group=group.name)
		with pytest.raises(CustomerGroupInUseError):
			frappe.delete_doc("Customer Group", group.name)
		assert frappe.db.exists("Customer Group", group.name)
		assert pricing_rule_of(group.name) is not None

	def test_an_empty_group_is_deleted_with_its_pricing_rule(self):
		group = make_customer_group(discount_percentage=5)
		rule = pricing_rule_of(group.name).name
		frappe.delete_doc("Customer Group", group.name)
		assert not frappe.db.exists("Pricing Rule", rule)

	def test_the_list_shows_code_discount_priority_customers_and_active(self):
		meta = frappe.get_meta("Customer Group")
		in_list = {df.fieldname for df in meta.fields if df.in_list_view}
		assert {"group_code", "discount_percentage", "priority", "customer_count", "is_active"} <= in_list


class TestRest:
	def test_a_sales_manager_sets_a_discount_through_rest(self, api, committed):
		group = make_customer_group()
		frappe.db.commit()
		committed.add("Customer Group", group.name)
		response = api("Sales Manager", "Sales Master Manager").put(
			f"/api/resource/Customer Group/{group.name}", {"discount_percentage": 7}
		)
		assert response.status_code == 200, response
		frappe.db.rollback()
		rule = pricing_rule_of(group.name)
		assert rule.discount_percentage == 7
		committed.add("Pricing Rule", rule.name)

	def test_a_user_without_crm_roles_cannot_edit_groups(self, api, committed):
		group = make_customer_group()
		frappe.db.commit()
		committed.add("Customer Group", group.name)
		response = api().put(f"/api/resource/Customer Group/{group.name}", {"discount_percentage": 50})
		assert response.status_code == 403, response
