"""Duplicate detection of leads and customers: email, phone and name keys, looked up by index; the
user sees the matches they may read and a count of the others; managers merge."""

from __future__ import annotations

import frappe
import pytest

from korus_crm.customers import duplicates
from korus_crm.exceptions import DuplicateMergeError
from korus_crm.setup.roles import DISPATCHER
from tests.integration.factories import make_contact, make_customer, make_lead
from tests.integration.support import new_user


@pytest.fixture
def polish_numbers():
	frappe.db.set_single_value("Korus CRM Settings", "default_phone_country_code", "+48")
	frappe.local.korus_default_country_code = None
	yield
	frappe.local.korus_default_country_code = None


def tag() -> str:
	return frappe.generate_hash(length=8)


def matched(result) -> dict[tuple[str, str], list[str]]:
	return {(m["doctype"], m["name"]): m["matched_on"] for m in result["matches"]}


class TestMatches:
	def test_the_same_email_in_another_case_matches_a_lead_and_a_customer(self):
		email = f"dup.{tag()}@example.com"
		lead = make_lead(email_id=email)
		customer = make_customer(office_email=email.upper())
		result = duplicates.find_duplicates("Customer", {"email_id": f"  {email.upper()} "})
		assert matched(result)[("Lead", lead.name)] == ["email"]
		assert matched(result)[("Customer", customer.name)] == ["email"]

	def test_the_same_phone_written_differently_matches(self, polish_numbers):
		number = "6" + frappe.generate_hash(length=8).translate(str.maketrans("abcdef", "123456"))[:8]
		customer = make_customer(office_phone=f"+48 {number[:3]} {number[3:6]} {number[6:]}")
		assert customer.korus_phone_key == f"48{number}"
		result = duplicates.find_duplicates("Lead", {"mobile_no": f"{number[:3]}-{number[3:6]}-{number[6:]}"})
		assert matched(result) == {("Customer", customer.name): ["phone"]}

	def test_the_same_name_without_legal_form_and_punctuation_matches(self):
		suffix = tag()
		customer = make_customer(customer_name=f"Zephyr Tools {suffix} Sp. z o.o.")
		lead = make_lead(company_name=f"ZEPHYR  TOOLS {suffix.upper()}, Ltd.")
		result = duplicates.find_duplicates("Lead", {"company_name": f"zephyr-tools {suffix} GmbH"})
		assert matched(result) == {("Customer", customer.name): ["name"], ("Lead", lead.name): ["name"]}

	def test_a_record_is_not_its_own_duplicate(self):
		customer = make_customer(customer_name=f"Selfsame {tag()} Inc")
		result = duplicates.find_duplicates("Customer", customer.as_dict())
		assert result["matches"] == [] and result["hidden"] == 0

	def test_matches_the_user_may_not_read_are_only_counted(self):
		suffix = tag()
		customer = make_customer(customer_name=f"Hidden {suffix} LLC", account_manager="Administrator")
		user = new_user(DISPATCHER)  # branch scope, no employee: reads no customer
		frappe.set_user(user)
		result = duplicates.find_duplicates("Customer", {"customer_name": f"hidden {suffix}"})
		assert result["matches"] == [] and result["hidden"] == 1
		frappe.set_user("Administrator")
		assert customer.name

	def test_the_lookups_use_the_key_indexes(self):
		"""Each key has an index led by it (the lookups are equalities on it). Which plan the
		optimizer picks depends on the table's size (a fresh site's near-empty table is read
		whole); benchmarks/customers_at_scale.py shows the key index chosen at 100k."""
		for doctype, column in (
			("Customer", "korus_name_key"),
			("Customer", "korus_phone_key"),
			("Customer", "korus_email_key"),
			("Lead", "korus_name_key"),
			("Lead", "korus_phone_key"),
		):
			leading = frappe.db.sql(
				f"show index from `tab{doctype}` where Seq_in_index = 1 and Column_name = %s", column
			)
			assert leading, (doctype, column)

	def test_keys_of_existing_rows_are_backfilled(self):
		customer = make_customer(customer_name=f"Backfill {tag()} AG")
		frappe.db.set_value("Customer", customer.name, "korus_name_key", None, update_modified=False)
		duplicates.backfill_keys()
		assert frappe.db.get_value("Customer", customer.name, "korus_name_key") == customer.korus_name_key


class TestMerge:
	def test_a_manager_merges_a_customer_into_another_with_its_contacts(self):
		source = make_customer()
		target = make_customer()
		contact = make_contact(source.name)
		result = duplicates.merge("Customer", source.name, target.name)
		assert result["name"] == target.name
		assert not frappe.db.exists("Customer", source.name)
		assert frappe.get_doc("Contact", contact.name).has_link("Customer", target.name)
		assert frappe.db.get_value("Customer", target.name, "contact_count") == 1

	def test_merging_into_itself_is_refused(self):
		customer = make_customer()
		with pytest.raises(DuplicateMergeError):
			duplicates.merge("Customer", customer.name, customer.name)

	def test_over_rest_a_sales_user_may_not_merge_and_a_manager_may(self, api, committed):
		user_client = api("Sales User")
		manager_client = api("Sales User", "Sales Manager")
		source, target = make_lead(), make_lead()
		frappe.db.commit()
		committed.add("Lead", source.name)
		committed.add("Lead", target.name)
		body = {"doctype": "Lead", "source": source.name, "target": target.name}
		path = "/api/method/korus_crm.customers.duplicates.merge"
		assert user_client.post(path, body).status_code == 403
		response = manager_client.post(path, body)
		assert response.status_code == 200, response
		frappe.db.rollback()
		assert not frappe.db.exists("Lead", source.name)

	def test_bad_input_is_a_4xx(self, api):
		client = api("Sales User", "Sales Manager")
		find = "/api/method/korus_crm.customers.duplicates.find_duplicates"
		assert client.post(find, {"doctype": "Item", "values": {}}).status_code == 417
		assert client.post(find, {"doctype": "Lead", "values": "not json"}).status_code == 417
		assert client.post(find, {"doctype": "Lead", "values": {"email_id": 5}}).status_code == 200
		merge = "/api/method/korus_crm.customers.duplicates.merge"
		response = client.post(merge, {"doctype": "Lead", "source": "Korus No Such", "target": "Other"})
		assert response.status_code == 417


class TestImport:
	def test_an_import_refuses_a_known_phone_and_flags_a_known_name(self, tmp_path, polish_numbers):
		from korus_crm.imports.leads import import_leads_csv

		suffix = tag()
		customer = make_customer(customer_name=f"Importable {suffix} Ltd", office_phone="+48 700 100 200")
		csv_file = tmp_path / "leads.csv"
		csv_file.write_text(
			"First Name,Organization Name,Mobile No\n"
			f"Ada,Other {suffix},700-100-200\n"
			f"Bea,IMPORTABLE {suffix} GmbH,\n",
			encoding="utf-8",
		)
		frappe.db.savepoint("before_import")
		result = import_leads_csv(str(csv_file), dry_run=True)
		assert [r.row_number for r in result.rejected] == [2]
		assert customer.name in result.rejected[0].reason
		assert [r.row_number for r in result.flagged] == [3]
