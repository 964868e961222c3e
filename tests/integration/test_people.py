"""The organisation's questions (korus_crm.people): supervisors up the reports_to tree, subordinates
at any depth, the department head (nearest department that has one) and the branch manager."""

from __future__ import annotations

import frappe

from korus_crm import people
from tests.integration.org_setup import make_branch, make_department, make_employee
from tests.integration.support import make_user


def test_the_tree_answers_who_supervises_and_who_is_below(committed):
	users = {}
	for key in ("ceo", "manager", "clerk", "intern", "other"):
		users[key], _ = make_user(["Sales User"])
		committed.add("User", users[key])
	head, _ = make_user(["Sales User"])
	committed.add("User", head)
	boss, _ = make_user(["Sales User"])
	committed.add("User", boss)
	branch = make_branch(manager=boss)
	top = make_department(korus_head=head)
	sub = make_department(top)
	ceo = make_employee(users["ceo"], top, branch)
	manager = make_employee(users["manager"], sub, branch, reports_to=ceo)
	no_login = make_employee(None, sub, branch, reports_to=manager)
	clerk = make_employee(users["clerk"], sub, branch, reports_to=manager)
	make_employee(users["intern"], sub, branch, reports_to=clerk)
	make_employee(users["other"], sub, branch)
	people.forget()

	assert people.supervisor(users["intern"]) == users["clerk"]
	assert people.supervisor(users["intern"], 2) == users["manager"]
	assert people.supervisor(users["intern"], 3) == users["ceo"]
	assert people.supervisor(users["intern"], 4) is None
	assert people.supervisors(users["clerk"]) == [users["manager"], users["ceo"]]
	assert people.supervisor(users["ceo"]) is None
	assert sorted(people.subordinates(users["manager"])) == sorted([users["clerk"], users["intern"]])
	assert sorted(people.subordinates(users["ceo"])) == sorted(
		[users["manager"], users["clerk"], users["intern"]]
	)
	assert people.subordinates(users["other"]) == []
	assert people.is_supervisor_of(users["ceo"], users["intern"])
	assert not people.is_supervisor_of(users["intern"], users["ceo"])
	assert not people.is_supervisor_of(users["other"], users["clerk"])
	# the head of the nearest department that has one; the branch's manager
	assert people.department_head(users["clerk"]) == head
	assert people.branch_manager(users["clerk"]) == boss
	# a user without an Employee: no one above, no one below
	assert people.supervisors("Administrator") == [] and people.subordinates("Administrator") == []
	assert frappe.db.get_value("Employee", no_login, "reports_to") == manager

	# a move: the intern now reports to the other employee
	intern = frappe.get_doc("Employee", {"user_id": users["intern"]})
	intern.reports_to = frappe.db.get_value("Employee", {"user_id": users["other"]})
	intern.save()
	assert people.supervisor(users["intern"]) == users["other"]
	assert users["intern"] not in people.subordinates(users["manager"])
