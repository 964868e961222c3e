"""The Organisation page: company → branches → departments → employees with their logins and roles;
an administrator adds and moves people; a user linked to an employee still sees the others."""

import frappe
import pytest

from korus_crm.api.organisation import get_organisation, save_employee
from tests.integration.org_setup import make_branch, make_department, make_employee
from tests.integration.support import make_user


def find(tree: dict, employee: str):
	def walk(nodes, path):
		for node in nodes:
			for e in node.get("employees", []):
				if e["name"] == employee:
					return [*path, node["name"]]
			found = walk(node.get("children", []) + node.get("departments", []), [*path, node["name"]])
			if found:
				return found
		return None

	for company in tree["companies"]:
		found = walk(company["branches"], [company["name"]])
		if found:
			return found
	return None


@pytest.fixture
def admin(committed):
	user, _password = make_user(["Korus Administrator"])
	committed.add("User", user)
	return user


def test_the_tree_shows_people_under_their_branch_and_department_with_their_roles(admin):
	branch = make_branch()
	parent = make_department()
	child = make_department(parent)
	employee = make_employee(admin, child, branch)
	frappe.set_user(admin)
	tree = get_organisation()
	assert find(tree, employee) == [frappe.defaults.get_global_default("company"), branch, parent, child]
	person = next(
		e for b in tree["companies"][0]["branches"] if b["name"] == branch
		for d in b["departments"] for c in d["children"] for e in c["employees"]
	)  # fmt: skip
	assert person["user_id"] == admin and "Korus Administrator" in person["roles"]
	assert tree["can_edit"]


def test_an_administrator_adds_a_person_without_a_login_and_moves_them(admin):
	north, south = make_branch(), make_branch()
	department = make_department()
	frappe.set_user(admin)
	added = save_employee(
		first_name="Ola",
		last_name="Nowak",
		branch=north,
		department=department,
		gender="Female",
		date_of_birth="1990-05-01",
	)
	employee = frappe.get_doc("Employee", added["name"])
	assert (employee.user_id, employee.branch, employee.create_user_permission) == (None, north, 0)
	save_employee(employee=added["name"], branch=south)
	assert frappe.db.get_value("Employee", added["name"], "branch") == south


def test_linking_a_user_to_an_employee_does_not_hide_the_other_employees(committed):
	user, _password = make_user(["HR User"])
	committed.add("User", user)
	first = make_employee(None, None, None)
	other = make_employee(None, None, None)
	employee = frappe.get_doc("Employee", first)
	employee.user_id = user
	employee.save()
	assert not frappe.db.exists("User Permission", {"user": user, "allow": "Employee"})
	frappe.set_user(user)
	assert frappe.has_permission("Employee", "read", doc=other)


def test_a_sales_user_cannot_open_the_organisation(api):
	response = api("Sales User").get("/api/method/korus_crm.api.organisation.get_organisation")
	assert response.status_code == 403, response
