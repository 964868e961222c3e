"""Lead Status rules through the ORM and through the REST API."""

import frappe
import pytest
from frappe.model.document import Document

from korus_crm.exceptions import DefaultStatusError, StatusInUseError


def make_status(name: str, **values) -> Document:
	return frappe.get_doc({"doctype": "Lead Status", "status_name": name, **values}).insert()


def current_default() -> list[str]:
	return frappe.get_all("Lead Status", filters={"is_default": 1}, pluck="name")


class TestThroughTheOrm:
	def test_a_new_default_takes_over_from_the_old_one(self):
		make_status("Korus Test Default", is_default=1)
		assert current_default() == ["Korus Test Default"]

	def test_unchecking_the_default_is_refused_and_nothing_changes(self):
		default = frappe.get_doc("Lead Status", current_default()[0])
		default.is_default = 0
		with pytest.raises(DefaultStatusError):
			default.save()
		frappe.db.rollback()
		assert current_default() == [default.name]

	def test_the_default_cannot_be_final(self):
		with pytest.raises(DefaultStatusError):
			make_status("Korus Test Final Default", is_default=1, is_final=1)
		assert not frappe.db.exists("Lead Status", "Korus Test Final Default")

	def test_the_default_cannot_be_deleted(self):
		name = current_default()[0]
		with pytest.raises(StatusInUseError):
			frappe.delete_doc("Lead Status", name)
		assert frappe.db.exists("Lead Status", name)

	def test_a_non_default_status_can_be_deleted(self):
		make_status("Korus Test Disposable")
		frappe.delete_doc("Lead Status", "Korus Test Disposable")
		assert not frappe.db.exists("Lead Status", "Korus Test Disposable")

	def test_a_status_without_order_goes_last(self):
		last = max(frappe.get_all("Lead Status", pluck="display_order"))
		assert make_status("Korus Test Last").display_order == last + 1

	def test_negative_order_is_refused(self):
		with pytest.raises(frappe.ValidationError):
			make_status("Korus Test Negative", display_order=-3)

	def test_names_are_unique(self):
		make_status("Korus Test Twin")
		with pytest.raises(frappe.DuplicateEntryError):
			make_status("Korus Test Twin")


RESOURCE = "/api/resource/Lead Status"


class TestThroughRest:
	def test_a_sales_manager_creates_a_status_and_makes_it_the_default(self, api, committed):
		old_default = current_default()[0]
		committed.add("Lead Status", "Korus REST Status")
		client = api("Sales Manager")

		created = client.post(RESOURCE, {"status_name": "Korus REST Status", "color": "#123456"})
		assert created.status_code == 200, created
		assert created.data["is_default"] == 0
		assert created.data["display_order"] > 0

		made_default = client.put(f"{RESOURCE}/Korus REST Status", {"is_default": 1})
		assert made_default.status_code == 200, made_default
		frappe.db.rollback()  # see what the request committed
		assert current_default() == ["Korus REST Status"]

		# give the default back, so that the cleanup can delete the test status
		frappe.get_doc("Lead Status", old_default).update({"is_default": 1}).save()
		frappe.db.commit()

	def test_deleting_the_default_over_rest_is_refused_with_a_clear_message(self, api):
		default = current_default()[0]
		response = api("Sales Manager").delete(f"{RESOURCE}/{default}")
		assert response.status_code == 417, response
		assert response.exc_type == "StatusInUseError"
		assert any("cannot be deleted" in m for m in response.messages)
		frappe.db.rollback()
		assert frappe.db.exists("Lead Status", default)

	def test_unchecking_the_default_over_rest_is_refused(self, api):
		default = current_default()[0]
		response = api("Sales Manager").put(f"{RESOURCE}/{default}", {"is_default": 0})
		assert response.status_code == 417, response
		assert response.exc_type == "DefaultStatusError"
		frappe.db.rollback()
		assert current_default() == [default]

	def test_a_sales_user_reads_statuses_but_cannot_create_them(self, api):
		client = api("Sales User")
		listed = client.get(RESOURCE, {"fields": '["name","is_default"]', "limit_page_length": 0})
		assert listed.status_code == 200, listed
		assert {"New", "Lost"} <= {row["name"] for row in listed.data}

		refused = client.post(RESOURCE, {"status_name": "Korus REST Refused"})
		assert refused.status_code == 403, refused
		frappe.db.rollback()
		assert not frappe.db.exists("Lead Status", "Korus REST Refused")

	def test_a_user_without_crm_roles_cannot_read_statuses(self, api):
		response = api().get(RESOURCE)
		assert response.status_code == 403, response
