"""The Lead Board's maintained counts and value totals, and its paged columns."""

import frappe
import frappe.client
from erpnext.crm.doctype.lead.lead import make_customer

from korus_crm.api.boards import get_lead_board, get_lead_column
from korus_crm.boards import counts
from tests.integration.factories import make_lead, unique


def maintained() -> dict:
	"""The maintained counts, without emptied columns (the table count has no row for them)."""
	return {
		column: value
		for column, value in counts.read_counts(counts.LEADS).items()
		if value != counts.ColumnTotal()
	}


def counted() -> dict:
	return {column: value for (_scope, column), value in counts.count_from_table(counts.LEADS).items()}


def test_counts_follow_every_write_path():
	lead = make_lead(estimated_value=100)
	other = make_lead(lead_status="Contacted", estimated_value=50)
	assert maintained() == counted()

	lead.update({"lead_status": "Qualified", "estimated_value": 120}).save()
	assert maintained() == counted()

	frappe.client.set_value("Lead", other.name, "lead_status", "New")  # the board's drag
	assert maintained() == counted()

	converted = make_lead(company_name=unique("Acme"), estimated_value=10)
	make_customer(converted.name).insert()
	assert maintained() == counted()
	assert frappe.db.get_value("Lead", converted.name, "lead_status") == "Converted"

	frappe.rename_doc("Lead Status", "Contacted", "Reached")
	assert maintained() == counted()

	frappe.delete_doc("Lead", lead.name)
	assert maintained() == counted()


def test_recount_repairs_drift():
	make_lead(estimated_value=5)
	frappe.db.set_value("Board Column Count", "Lead|lead_status||New", "record_count", 99999)
	counts.recount(counts.LEADS)
	assert maintained() == counted()


def test_the_board_lists_non_final_columns_with_counts_totals_and_a_first_page():
	for i in range(3):
		make_lead(first_name=f"Board {i}", estimated_value=10 * (i + 1))
	board = get_lead_board(page_length=2)
	assert [c["name"] for c in board["columns"]] == ["New", "Contacted", "Qualified"]
	new = board["columns"][0]
	assert new["indicator"] == "Blue"
	assert (new["count"], new["value_total"]) == (counted()["New"].count, counted()["New"].value)
	assert len(new["cards"]) == 2
	assert new["cards"][0]["modified"] >= new["cards"][1]["modified"]
	rest = get_lead_column("New", start=2, page_length=50)
	assert len(rest) == new["count"] - 2


def test_a_sales_user_reads_the_board_over_rest_and_others_are_refused(api):
	response = api("Sales User").get("/api/method/korus_crm.api.boards.get_lead_board")
	assert response.status_code == 200, response
	assert [c["name"] for c in response.data["columns"]] == ["New", "Contacted", "Qualified"]
	assert api().get("/api/method/korus_crm.api.boards.get_lead_board").status_code == 403
