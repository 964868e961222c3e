"""The Organisation page (seed 004 组织管理, seed 000 Branch Management, seed 001 Pracownicy vs
Użytkownicy): the tree of company → branches → departments → employees with their users and roles,
and an administrator adding and moving people. Everything is ERPNext's own Company, Branch,
Department and Employee; an employee may have a login (a User) or not."""

from __future__ import annotations

import datetime
from collections import defaultdict

import frappe
from frappe import _

from korus_crm.boundary import whitelist

NO_BRANCH = ""


@whitelist()
def get_organisation(company: str | None = None) -> dict:
	"""Each company with its branches; in each branch its departments (as a tree) and their
	employees; employees without a branch under an empty branch. Read through the user's
	permissions on Company, Branch, Department and Employee."""
	frappe.has_permission("Employee", "read", throw=True)
	companies = frappe.get_list(
		"Company", filters={"name": company} if company else None, fields=["name", "abbr"], order_by="name"
	)
	branches = frappe.get_list(
		"Branch",
		fields=["name", "company", "manager", "phone", "is_active"],
		order_by="name",
		limit_page_length=0,
	)
	departments = frappe.get_list(
		"Department",
		fields=["name", "department_name", "parent_department", "company", "korus_head", "lft"],
		order_by="lft",
		limit_page_length=0,
	)
	employees = frappe.get_list(
		"Employee",
		filters={"status": "Active"},
		fields=[
			"name",
			"employee_name",
			"user_id",
			"company",
			"branch",
			"department",
			"designation",
			"reports_to",
		],
		order_by="employee_name",
		limit_page_length=0,
	)
	roles = roles_of([e.user_id for e in employees if e.user_id])
	by_place: dict[tuple, list] = defaultdict(list)
	for e in employees:
		e["roles"] = roles.get(e.user_id, [])
		by_place[(e.company, e.branch or NO_BRANCH, e.department)].append(e)

	def department_tree(company_name: str, branch: str) -> list[dict]:
		nodes = {
			d.name: {**d, "employees": by_place.get((company_name, branch, d.name), []), "children": []}
			for d in departments
			if d.company == company_name
		}
		roots = []
		for d in departments:
			node = nodes.get(d.name)
			if not node:
				continue
			parent = nodes.get(d.parent_department)
			(parent["children"] if parent else roots).append(node)
		return [n for n in roots if has_people(n)]

	out = []
	for c in companies:
		company_branches = [b for b in branches if b.company in (c.name, None, "")]
		places = [
			{
				**b,
				"departments": department_tree(c.name, b.name),
				"employees": by_place.get((c.name, b.name, None), []),
			}
			for b in company_branches
		]
		without = {
			"name": NO_BRANCH,
			"departments": department_tree(c.name, NO_BRANCH),
			"employees": by_place.get((c.name, NO_BRANCH, None), []),
		}
		if without["departments"] or without["employees"]:
			places.append(without)
		out.append({**c, "branches": places})
	return {"companies": out, "can_edit": bool(frappe.has_permission("Employee", "write"))}


def has_people(node: dict) -> bool:
	return bool(node["employees"]) or any(has_people(c) for c in node["children"])


def roles_of(users: list[str]) -> dict[str, list[str]]:
	if not users:
		return {}
	out: dict[str, list[str]] = defaultdict(list)
	for row in frappe.get_all(
		"Has Role",
		filters={"parenttype": "User", "parent": ("in", users), "role": ("not in", AUTOMATIC_ROLES)},
		fields=["parent", "role"],
		order_by="role",
	):
		out[row.parent].append(row.role)
	return out


AUTOMATIC_ROLES = ["All", "Guest", "Administrator", "Desk User"]


@whitelist(methods=["POST"])
def save_employee(
	first_name: str | None = None,
	last_name: str | None = None,
	employee: str | None = None,
	company: str | None = None,
	branch: str | None = None,
	department: str | None = None,
	designation: str | None = None,
	reports_to: str | None = None,
	user: str | None = None,
	gender: str | None = None,
	date_of_birth: datetime.date | None = None,
	date_of_joining: datetime.date | None = None,
) -> dict:
	"""Add a person (an Employee, with a login or without) or move one: their branch, department,
	designation, manager and login. ERPNext's own permissions on Employee apply."""
	if employee:
		doc = frappe.get_doc("Employee", employee)
		doc.check_permission("write")
	else:
		if not first_name:
			frappe.throw(_("Give the person's first name."), frappe.ValidationError)
		doc = frappe.new_doc("Employee")
		doc.update(
			{
				"first_name": first_name,
				"last_name": last_name,
				"company": company
				or frappe.defaults.get_user_default("Company")
				or frappe.defaults.get_global_default("company"),
				"gender": gender,
				"date_of_birth": date_of_birth,
				"date_of_joining": date_of_joining or frappe.utils.getdate(),
				"status": "Active",
				# a login linked to an employee must not hide the other employees from it
				"create_user_permission": 0,
			}
		)
	for field, value in (
		("branch", branch),
		("department", department),
		("designation", designation),
		("reports_to", reports_to),
		("user_id", user),
	):
		if value is not None:
			doc.set(field, value or None)
	doc.save() if not doc.is_new() else doc.insert()
	return {"name": doc.name, "employee_name": doc.employee_name}
