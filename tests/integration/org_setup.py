"""An organisation for data scope tests: two branches, a department with two under it, employees
linked to users, and records spread over owners (made in the test's transaction, rolled back)."""

from __future__ import annotations

import random

import frappe
from frappe.utils import add_to_date, now_datetime

from korus_crm.boards import counts
from korus_crm.rules.scope import BRANCH_FIELD, DEPARTMENT_FIELD
from tests.integration.factories import default_company, unique


def make_branch(**values) -> str:
	return frappe.get_doc({"doctype": "Branch", "branch": unique("Korus Branch"), **values}).insert().name


def make_department(parent: str | None = None, **values) -> str:
	from frappe.utils.nestedset import get_root_of

	return (
		frappe.get_doc(
			{
				"doctype": "Department",
				"department_name": unique("Korus Dept"),
				"parent_department": parent or get_root_of("Department"),
				"company": default_company(),
				"is_group": 1,
				**values,
			}
		)
		.insert()
		.name
	)


def make_employee(
	user: str | None, department: str | None, branch: str | None, reports_to: str | None = None
) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": unique("Korus Employee"),
				"company": default_company(),
				"gender": frappe.db.get_value("Gender", {}, "name"),
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"status": "Active",
				"user_id": user,
				"department": department,
				"branch": branch,
				"reports_to": reports_to,
			}
		)
		.insert()
		.name
	)


def make_org(users: dict[str, str]) -> frappe._dict:
	"""`users`: {"me": email, "dave": email, "alice": email, "bob": email, "eve": email}.

	me    department D,  branch North
	dave  department D,  branch South
	alice department DN (under D), branch North
	bob   department DS (under D), branch South
	eve   no Employee (no department, no branch)
	"""
	north, south = make_branch(), make_branch()
	d = make_department()
	dn, ds = make_department(d), make_department(d)
	places = {
		"me": (d, north),
		"dave": (d, south),
		"alice": (dn, north),
		"bob": (ds, south),
		"eve": (None, None),
	}
	for key, (department, branch) in places.items():
		if department:
			make_employee(users[key], department, branch)
	from korus_crm import scope

	scope.forget()
	return frappe._dict(
		north=north,
		south=south,
		d=d,
		dn=dn,
		ds=ds,
		users=users,
		places={users[k]: v for k, v in places.items()},
	)


def scatter_leads(org, n: int, seed: int = 1) -> list[dict]:
	"""n leads over the org's users as owners, stamped as Korus stamps them, in one bulk insert; the
	board counts are rebuilt."""
	rng = random.Random(seed)
	owners = list(org.places)
	statuses = ["New", "Contacted", "Qualified", "Lost"]
	start = now_datetime()
	rows, records = [], []
	for i in range(n):
		owner = rng.choice(owners)
		department, branch = org.places[owner]
		when = add_to_date(start, seconds=-i)
		name = f"KORUS-SCOPE-{frappe.generate_hash(length=10)}"
		status = rng.choice(statuses)
		rows.append(
			(
				name,
				f"Scope Lead {i}",
				owner,
				status,
				10.0,
				department,
				branch,
				"Lead",
				when,
				when,
				"Administrator",
				"Administrator",
				0,
			)
		)
		records.append(
			{
				"name": name,
				"lead_owner": owner,
				DEPARTMENT_FIELD: department,
				BRANCH_FIELD: branch,
				"lead_status": status,
			}
		)
	frappe.db.bulk_insert(
		"Lead",
		["name", "lead_name", "lead_owner", "lead_status", "estimated_value", DEPARTMENT_FIELD, BRANCH_FIELD, "status",
		 "creation", "modified", "owner", "modified_by", "docstatus"],
		rows,
	)  # fmt: skip
	counts.recount(counts.LEADS)
	return records


def scatter_deals(org, n: int, pipeline: str, stages: list[str], seed: int = 2) -> list[dict]:
	rng = random.Random(seed)
	owners = list(org.places)
	company = default_company()
	currency = frappe.get_cached_value("Company", company, "default_currency")
	start = now_datetime()
	rows, records = [], []
	for i in range(n):
		owner = rng.choice(owners)
		department, branch = org.places[owner]
		stage = rng.choice(stages)
		when = add_to_date(start, seconds=-i)
		name = f"KORUS-SCOPE-{frappe.generate_hash(length=10)}"
		rows.append((
			name, "Customer", "Korus Scope Customer", f"Scope Deal {i}", "Open", company, currency, 1, 100.0, 100.0, 50,
			pipeline, stage, owner, department, branch, when.date(), when, when, "Administrator", "Administrator", 0,
		))  # fmt: skip
		records.append(
			{
				"name": name,
				"opportunity_owner": owner,
				DEPARTMENT_FIELD: department,
				BRANCH_FIELD: branch,
				"deal_stage": stage,
			}
		)
	frappe.db.bulk_insert(
		"Opportunity",
		["name", "opportunity_from", "party_name", "title", "status", "company", "currency", "conversion_rate",
		 "opportunity_amount", "base_opportunity_amount", "probability", "deal_pipeline", "deal_stage",
		 "opportunity_owner", DEPARTMENT_FIELD, BRANCH_FIELD, "transaction_date", "creation", "modified", "owner",
		 "modified_by", "docstatus"],
		rows,
	)  # fmt: skip
	counts.recount(counts.DEALS)
	return records
