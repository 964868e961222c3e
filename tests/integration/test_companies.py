"""Companies are ERPNext Customers of type Company: office email, active toggle, deletion guard,
dashboard with contacts, deals and tasks."""

import frappe
import pytest

from korus_crm.exceptions import CompanyInUseError, DuplicateEmailError
from tests.integration.factories import make_contact, make_customer, unique


def make_deal(customer: str):
	return frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer",
			"party_name": customer,
			"company": frappe.defaults.get_global_default("company"),
		}
	).insert()


class TestOfficeEmail:
	def test_office_email_is_stored_trimmed_and_lower_case(self):
		company = make_customer(office_email="  Office@Acme-Korus.example ")
		assert company.office_email == "office@acme-korus.example"

	def test_office_email_is_unique_case_insensitively(self):
		first = make_customer(office_email="info@dup-korus.example")
		with pytest.raises(DuplicateEmailError) as raised:
			make_customer(office_email="INFO@dup-korus.example")
		assert first.name in str(raised.value)

	def test_office_phone_and_account_manager_exist(self):
		meta = frappe.get_meta("Customer")
		assert meta.has_field("office_phone") and meta.has_field("account_manager")


class TestDeletion:
	def test_a_company_with_a_contact_cannot_be_deleted_and_keeps_the_contact(self):
		company = make_customer()
		make_contact(company.name)
		with pytest.raises(CompanyInUseError) as raised:
			frappe.delete_doc("Customer", company.name)
		assert "1 contact(s)" in str(raised.value)
		assert frappe.db.exists("Customer", company.name)

	def test_a_company_with_a_contact_shared_with_another_party_cannot_be_deleted(self):
		company = make_customer()
		other = make_customer()
		contact = make_contact(company.name)
		contact.append("links", {"link_doctype": "Customer", "link_name": other.name})
		contact.save()
		with pytest.raises(CompanyInUseError):
			frappe.delete_doc("Customer", company.name)

	def test_a_company_with_a_deal_cannot_be_deleted(self):
		company = make_customer()
		deal = make_deal(company.name)
		with pytest.raises(CompanyInUseError) as raised:
			frappe.delete_doc("Customer", company.name)
		assert deal.name in str(raised.value)

	def test_a_company_without_contacts_or_deals_can_be_deleted(self):
		company = make_customer()
		frappe.delete_doc("Customer", company.name)
		assert not frappe.db.exists("Customer", company.name)

	def test_an_individual_customer_is_not_guarded(self):
		person = make_customer(customer_type="Individual")
		make_contact(person.name)
		frappe.delete_doc("Customer", person.name)
		assert not frappe.db.exists("Customer", person.name)


class TestDashboard:
	def test_the_company_dashboard_shows_contacts_deals_and_tasks(self):
		from frappe.desk.notifications import get_open_count

		company = make_customer()
		make_deal(company.name)
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"description": "Call them",
				"reference_type": "Customer",
				"reference_name": company.name,
			}
		).insert()
		data = frappe.get_meta("Customer").get_dashboard_data()
		items = {item for group in data.transactions for item in group["items"]}
		assert {"Opportunity", "ToDo"} <= items
		found = get_open_count("Customer", company.name)["count"]["external_links_found"]
		counts = {row["doctype"]: row["count"] for row in found}
		assert counts["Opportunity"] == 1
		assert counts["ToDo"] == 1


class TestRest:
	def test_a_sales_manager_deactivates_a_company_through_rest(self, api, committed):
		company = make_customer(customer_name=unique("Rest Company"))
		frappe.db.commit()
		committed.add("Customer", company.name)
		response = api("Sales Manager", "Sales Master Manager").put(
			f"/api/resource/Customer/{company.name}", {"disabled": 1}
		)
		assert response.status_code == 200, response
		assert response.data["disabled"] == 1

	def test_deleting_a_company_in_use_through_rest_is_refused(self, api, committed):
		company = make_customer(customer_name=unique("Rest Company"))
		contact = make_contact(company.name)
		frappe.db.commit()
		committed.add("Customer", company.name)
		committed.add("Contact", contact.name)
		response = api("Sales Manager", "Sales Master Manager").delete(
			f"/api/resource/Customer/{company.name}"
		)
		assert response.status_code == 417, response
		assert response.exc_type == "CompanyInUseError"
		frappe.db.rollback()
		assert frappe.db.exists("Contact", contact.name)
		assert frappe.db.exists("Customer", company.name)
