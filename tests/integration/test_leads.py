"""Leads on ERPNext's Lead: configurable status, the Lead Board's columns, unique email, active
sources, ERPNext status coherence, owner assignment — through the ORM, the board's move and the REST
API."""

import frappe
import frappe.client
import pytest
from erpnext.crm.doctype.lead.lead import make_customer

from korus_crm.api.boards import get_lead_board
from korus_crm.exceptions import (
	DuplicateEmailError,
	InactiveRecordError,
	LeadConvertedError,
	StatusInUseError,
)
from tests.integration.factories import make_customer as make_company
from tests.integration.factories import make_lead, make_lead_source, unique


def board_columns() -> list[tuple[str, str]]:
	return [(c["name"], c["indicator"]) for c in get_lead_board(page_length=1)["columns"]]


def make_status(name: str, **values):
	return frappe.get_doc({"doctype": "Lead Status", "status_name": name, **values}).insert()


class TestStatus:
	def test_a_new_lead_gets_the_default_status(self):
		assert make_lead().lead_status == "New"

	def test_a_given_status_is_kept(self):
		assert make_lead(lead_status="Contacted").lead_status == "Contacted"

	def test_an_unknown_status_is_refused(self):
		with pytest.raises(frappe.LinkValidationError):
			make_lead(lead_status="No Such Status")

	def test_status_in_use_cannot_be_deleted(self):
		make_lead(lead_status="Contacted")
		with pytest.raises(StatusInUseError):
			frappe.delete_doc("Lead Status", "Contacted")
		assert frappe.db.exists("Lead Status", "Contacted")


class TestTheBoardFollowsTheStatuses:
	def test_the_board_shows_non_final_statuses_in_order_with_colours(self):
		assert board_columns() == [("New", "Blue"), ("Contacted", "Yellow"), ("Qualified", "Purple")]

	def test_the_status_is_a_link_to_the_lead_statuses(self):
		field = frappe.get_meta("Lead").get_field("lead_status")
		assert (field.fieldtype, field.options) == ("Link", "Lead Status")

	def test_a_created_status_becomes_a_column(self):
		make_status("Korus Nurturing", color="#F8814F", display_order=3)
		assert ("Korus Nurturing", "Orange") in board_columns()

	def test_a_final_status_is_not_a_column(self):
		make_status("Korus Disqualified", is_final=1, display_order=99)
		assert "Korus Disqualified" not in [c for c, _ in board_columns()]

	def test_reordering_moves_the_column(self):
		frappe.get_doc("Lead Status", "Qualified").update({"display_order": 0}).save()
		assert [c for c, _ in board_columns()] == ["Qualified", "New", "Contacted"]

	def test_recolouring_changes_the_column_indicator(self):
		frappe.get_doc("Lead Status", "Contacted").update({"color": "#E24C4C"}).save()
		assert ("Contacted", "Red") in board_columns()

	def test_renaming_renames_the_column_and_the_leads(self):
		lead = make_lead(lead_status="Contacted")
		frappe.rename_doc("Lead Status", "Contacted", "Reached")
		assert [c for c, _ in board_columns()] == ["New", "Reached", "Qualified"]
		assert frappe.db.get_value("Lead", lead.name, "lead_status") == "Reached"

	def test_deleting_an_unused_status_removes_it(self):
		make_status("Korus Temporary")
		frappe.delete_doc("Lead Status", "Korus Temporary")
		assert "Korus Temporary" not in [c for c, _ in board_columns()]


class TestErpnextStatusStaysCoherent:
	def test_a_korus_status_sets_the_mapped_erpnext_status(self):
		lead = make_lead()
		assert lead.status == "Lead"
		lead.lead_status = "Qualified"
		lead.save()
		assert lead.status == "Interested"

	def test_a_lead_made_into_a_customer_is_converted_in_both(self):
		lead = make_lead(company_name=unique("Acme"))
		customer = make_customer(lead.name)
		customer.insert()
		assert frappe.db.get_value("Lead", lead.name, ["status", "lead_status"]) == ("Converted", "Converted")

	def test_a_converted_lead_cannot_leave_its_converted_status(self):
		lead = make_lead(company_name=unique("Acme"))
		make_customer(lead.name).insert()
		lead.reload()
		lead.lead_status = "Contacted"
		with pytest.raises(LeadConvertedError):
			lead.save()


class TestBoardMove:
	def test_moving_a_card_changes_the_status_through_the_same_rules(self):
		lead = make_lead()
		frappe.client.set_value("Lead", lead.name, "lead_status", "Qualified")  # the board's move
		assert frappe.db.get_value("Lead", lead.name, ["lead_status", "status"]) == (
			"Qualified",
			"Interested",
		)

	def test_a_converted_lead_is_not_on_the_board(self):
		lead = make_lead(company_name=unique("Acme"))
		make_customer(lead.name).insert()
		board = get_lead_board(page_length=100)
		assert lead.name not in {card["name"] for c in board["columns"] for card in c["cards"]}


class TestUniqueEmail:
	def test_the_same_email_trimmed_and_in_other_case_is_refused_naming_the_lead(self):
		first = make_lead(email_id="ada.korus@example.com")
		with pytest.raises(DuplicateEmailError) as raised:
			make_lead(email_id="  Ada.KORUS@Example.com ")
		assert first.name in str(raised.value)
		assert frappe.db.count("Lead", {"email_normalized": "ada.korus@example.com"}) == 1

	def test_changing_an_email_to_a_taken_one_is_refused(self):
		make_lead(email_id="taken.korus@example.com")
		other = make_lead(email_id="free.korus@example.com")
		other.email_id = "TAKEN.korus@example.com"
		with pytest.raises(DuplicateEmailError):
			other.save()

	def test_the_stored_email_is_trimmed(self):
		assert make_lead(email_id="  trim.korus@example.com ").email_id == "trim.korus@example.com"

	def test_leads_without_email_are_not_duplicates(self):
		make_lead()
		make_lead()

	def test_the_check_uses_an_index(self):
		plan = frappe.db.sql(
			"explain select name from `tabLead` where email_normalized = %s and name != %s",
			("x@example.com", "LEAD-X"),
			as_dict=True,
		)
		assert plan[0].key == "email_normalized_index", plan


class TestSources:
	def test_an_inactive_source_cannot_be_chosen_on_a_new_lead(self):
		source = make_lead_source(is_active=0)
		with pytest.raises(InactiveRecordError):
			make_lead(source=source.name)

	def test_a_lead_keeps_a_source_that_became_inactive(self):
		source = make_lead_source()
		lead = make_lead(source=source.name)
		source.update({"is_active": 0}).save()
		lead.lead_status = "Contacted"
		lead.save()
		assert lead.source == source.name

	def test_new_sources_are_active(self):
		assert make_lead_source().is_active == 1


class TestInactiveCompanies:
	def test_an_inactive_company_cannot_be_chosen_on_a_new_lead(self):
		company = make_company(disabled=1)
		with pytest.raises(InactiveRecordError):
			make_lead(source="Existing Customer", customer=company.name)


class TestAssignment:
	def test_setting_the_lead_owner_assigns_and_notifies_the_owner(self, sales_user, outgoing_email_account):
		lead = make_lead()
		lead.lead_owner = sales_user
		lead.save()
		assert frappe.db.exists(
			"ToDo",
			{
				"reference_type": "Lead",
				"reference_name": lead.name,
				"allocated_to": sales_user,
				"status": "Open",
			},
		)
		assert frappe.db.exists(
			"Notification Log", {"for_user": sales_user, "document_type": "Lead", "document_name": lead.name}
		)
		assert frappe.db.exists("Email Queue Recipient", {"recipient": sales_user})

	def test_reassigning_to_the_same_owner_adds_no_second_assignment(self, sales_user):
		lead = make_lead(lead_owner=sales_user)
		lead.lead_status = "Contacted"
		lead.save()
		assert frappe.db.count("ToDo", {"reference_type": "Lead", "reference_name": lead.name}) == 1

	def test_the_desk_assign_to_notifies_the_user(self, sales_user):
		from frappe.desk.form import assign_to

		lead = make_lead()
		assign_to.add({"assign_to": [sales_user], "doctype": "Lead", "name": lead.name})
		assert frappe.db.exists(
			"Notification Log", {"for_user": sales_user, "document_type": "Lead", "document_name": lead.name}
		)


class TestListView:
	def test_the_list_shows_contact_company_value_status_source_and_owner(self):
		meta = frappe.get_meta("Lead")
		in_list = {df.fieldname for df in meta.fields if df.in_list_view}
		assert {
			"lead_name",
			"email_id",
			"company_name",
			"estimated_value",
			"lead_status",
			"source",
			"lead_owner",
		} <= in_list
		filters = {df.fieldname for df in meta.fields if df.in_standard_filter}
		assert {"lead_status", "source"} <= filters


RESOURCE = "/api/resource/Lead"


class TestRest:
	def test_a_sales_user_creates_and_moves_a_lead_with_the_same_rules(self, api, committed):
		client = api("Sales User")
		email = f"rest.{frappe.generate_hash(length=6)}@example.com"
		created = client.post(RESOURCE, {"first_name": "Rest", "email_id": email})
		assert created.status_code == 200, created
		committed.add("Lead", created.data["name"])
		assert created.data["lead_status"] == "New"

		duplicate = client.post(RESOURCE, {"first_name": "Rest Twin", "email_id": email.upper()})
		assert duplicate.status_code == 409, duplicate
		assert duplicate.exc_type == "DuplicateEmailError"
		assert any(created.data["name"] in m for m in duplicate.messages)

		moved = client.put(f"{RESOURCE}/{created.data['name']}", {"lead_status": "Qualified"})
		assert moved.status_code == 200, moved
		assert (moved.data["lead_status"], moved.data["status"]) == ("Qualified", "Interested")

		unknown = client.put(f"{RESOURCE}/{created.data['name']}", {"lead_status": "Nope"})
		assert unknown.status_code == 417, unknown
		assert unknown.exc_type == "LinkValidationError"

	def test_a_user_without_crm_roles_is_refused(self, api):
		client = api()
		assert client.get(RESOURCE).status_code == 403
		refused = client.post(RESOURCE, {"first_name": "Nobody"})
		assert refused.status_code == 403, refused
