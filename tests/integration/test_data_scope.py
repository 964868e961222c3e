"""Data scope: for each scope level a Sales User reads only the records in it — lists, counts, board
counts and cards, reports, link search, export, the deal timeline and records opened by name — out
of 1,000 leads and 1,000 deals spread over five owners in two branches and three departments."""

from __future__ import annotations

import csv
import io

import frappe
import pytest

from korus_crm import scope
from korus_crm.api import boards
from korus_crm.api.forecast import forecast_rows
from korus_crm.api.timeline import get_deal_timeline
from korus_crm.rules.scope import ALL, BRANCH, DEPARTMENT, DEPARTMENT_AND_BELOW, OWN
from tests.integration.factories import make_customer, make_deal, make_lead, make_pipeline, stage_of
from tests.integration.org_setup import make_org, scatter_deals, scatter_leads
from tests.integration.support import make_user, set_scope

PEOPLE = ("me", "dave", "alice", "bob", "eve")


@pytest.fixture
def people(committed):
	made = {}
	for key in PEOPLE:
		user, _password = make_user(["Sales User"])
		committed.add("User", user)
		made[key] = user
	return made


def expected(org, level: str):
	"""Who of the org's people a record must be owned by to be in `me`'s scope."""
	me = org.users["me"]
	d, north = org.places[me]
	if level == ALL:
		return lambda rec, owner_field: True
	if level == OWN:
		return lambda rec, owner_field: rec[owner_field] == me
	if level == DEPARTMENT:
		return lambda rec, owner_field: rec["korus_department"] == d
	if level == DEPARTMENT_AND_BELOW:
		return lambda rec, owner_field: rec["korus_department"] in (org.d, org.dn, org.ds)
	return lambda rec, owner_field: rec["branch"] == north


@pytest.mark.parametrize("level", [OWN, DEPARTMENT, DEPARTMENT_AND_BELOW, BRANCH, ALL])
def test_a_sales_user_reads_only_the_records_of_their_scope(people, level):
	org = make_org(people)
	pipeline = make_pipeline()
	stages = [stage_of(pipeline.name, s) for s in ("Open", "Proposal", "Won")]
	leads = scatter_leads(org, 1000)
	deals = scatter_deals(org, 1000, pipeline.name, stages)
	set_scope("Sales User", level)
	in_scope = expected(org, level)
	visible_leads = {r["name"] for r in leads if in_scope(r, "lead_owner")}
	visible_deals = {r["name"] for r in deals if in_scope(r, "opportunity_owner")}
	assert 0 < len(visible_deals) <= 1000
	frappe.set_user(org.users["me"])

	# lists and counts (the list view and REST read through get_list)
	listed = set(
		frappe.get_list(
			"Lead", filters={"name": ("like", "KORUS-SCOPE-%")}, pluck="name", limit_page_length=0
		)
	)
	assert listed == visible_leads
	assert scope.get_count("Opportunity", filters={"deal_pipeline": pipeline.name}) == len(visible_deals)
	listed_deals = set(
		frappe.get_list(
			"Opportunity", filters={"deal_pipeline": pipeline.name}, pluck="name", limit_page_length=0
		)
	)
	assert listed_deals == visible_deals

	# the boards: counters of the scope, and pages of cards
	board = boards.get_deal_board(pipeline.name, page_length=100)
	assert sum(c["count"] for c in board["columns"]) == len(visible_deals)
	for column in board["columns"]:
		assert {c["name"] for c in column["cards"]} <= visible_deals
		expected_in_column = sum(
			1 for r in deals if r["deal_stage"] == column["stage"] and in_scope(r, "opportunity_owner")
		)
		assert column["count"] == expected_in_column
	lead_counts = {c["name"]: c["count"] for c in boards.get_lead_board_counts()}
	for status in ("New", "Contacted", "Qualified"):
		# the site's own leads plus ours: ours in scope are counted, others are outside the prefix
		ours = sum(1 for r in leads if r["lead_status"] == status and in_scope(r, "lead_owner"))
		assert lead_counts.get(status, 0) >= ours
		assert lead_counts.get(status, 0) == scope.get_count("Lead", filters={"lead_status": status})

	# reports, link search, export
	assert sum(r["deals"] for r in forecast_rows(pipeline.name)) == sum(
		1 for r in deals if r["deal_stage"] != stages[2] and in_scope(r, "opportunity_owner")
	)
	from frappe.desk.search import search_link

	found = {r["value"] for r in search_link("Opportunity", "Scope Deal", page_length=2000)}
	assert found <= visible_deals
	frappe.set_user("Administrator")
	from frappe.permissions import update_permission_property

	update_permission_property("Lead", "Sales User", 0, "export", 1)  # rolled back with the test
	frappe.set_user(org.users["me"])
	frappe.local.form_dict = frappe._dict(
		doctype="Lead", file_format_type="CSV", fields='["`tabLead`.`name`"]',
		filters='[["Lead","name","like","KORUS-SCOPE-%"]]', title="Lead",
	)  # fmt: skip
	from frappe.desk.reportview import export_query

	export_query()
	rows = list(csv.reader(io.StringIO(frappe.response.filecontent.decode())))
	name_column = next(i for i, heading in enumerate(rows[0]) if heading in ("ID", "Name"))
	exported = {row[name_column] for row in rows[1:]}
	assert exported == visible_leads


@pytest.mark.parametrize("level", [OWN, BRANCH])
def test_a_record_outside_the_scope_is_refused_by_name_and_on_the_timeline(people, level):
	org = make_org(people)
	mine = make_deal(opportunity_owner=org.users["me"])
	theirs = make_deal(opportunity_owner=org.users["bob"])
	assert (mine.branch, theirs.branch) == (org.north, org.south)  # stamped from the owners
	set_scope("Sales User", level)
	frappe.set_user(org.users["me"])
	assert frappe.has_permission("Opportunity", "read", doc=mine.name)
	assert not frappe.has_permission("Opportunity", "read", doc=theirs.name)
	assert get_deal_timeline(mine.name) == []
	with pytest.raises(frappe.PermissionError):
		get_deal_timeline(theirs.name)
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc("Opportunity", theirs.name).check_permission("read")
	# print and PDF (the desk's Print view and its PDF download)
	from frappe.utils.print_format import download_pdf
	from frappe.www.printview import get_html_and_style

	assert mine.name in get_html_and_style("Opportunity", mine.name)["html"]
	with pytest.raises(frappe.PermissionError):
		get_html_and_style("Opportunity", theirs.name)
	with pytest.raises(frappe.PermissionError):
		download_pdf("Opportunity", theirs.name)


def test_stamping_follows_the_owner_and_an_employees_move(people):
	from korus_crm.boards import counts
	from korus_crm.cli import doctor

	org = make_org(people)
	counts.recount_all()  # exact counts to start from (rolled back with the test)
	lead = make_lead(lead_owner=org.users["alice"])
	assert (lead.branch, lead.korus_department) == (org.north, org.dn)
	lead.lead_owner = org.users["bob"]
	lead.save()
	assert (lead.branch, lead.korus_department) == (org.south, org.ds)
	customer = make_customer(account_manager=org.users["dave"])
	assert customer.branch == org.south
	employee = frappe.get_doc("Employee", {"user_id": org.users["bob"]})
	employee.branch = org.north
	employee.save()
	scope.restamp_owner(org.users["bob"])  # the job the move queues
	assert frappe.db.get_value("Lead", lead.name, "branch") == org.north
	# the move's records took their counts along (without a recount of the tables)
	for primary in counts.COUNTED:
		for spec in counts.family(primary):
			assert doctor.maintained(spec) == doctor.recounted(spec), f"{spec.doctype} by {spec.group_field}"
	by_branch = counts.read_counts(counts.LEADS, dimension="branch", values=(org.north,))
	column = frappe.db.get_value("Lead", lead.name, "lead_status")
	assert by_branch.get(column) and by_branch[column].count >= 1


def test_a_user_with_several_roles_reads_by_the_widest(people):
	org = make_org(people)
	set_scope("Sales User", OWN)
	frappe.get_doc("User", org.users["me"]).add_roles("Korus Office Staff")  # Branch by default
	frappe.set_user(org.users["me"])
	assert scope.scope_of("Lead", org.users["me"]) == BRANCH


def test_the_scope_condition_uses_an_index(people):
	org = make_org(people)
	scatter_leads(org, 200)
	set_scope("Sales User", BRANCH)
	frappe.set_user(org.users["me"])
	query = frappe.get_list("Lead", fields=["name"], order_by="modified desc", limit_page_length=20, run=0)
	frappe.set_user("Administrator")
	plan = frappe.db.sql(f"explain {query}", as_dict=True)
	assert plan[0]["key"] == "korus_scope_branch", plan
