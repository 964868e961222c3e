"""Approval requests on the real site: routes through the organisation (supervisor chain, any/all,
amount thresholds, fallback, no self-approval), each form's outcome in ERPNext (Journal Entries read
back from the GL), leave days over the holiday list, the views as different users, notifications,
the guard, and two approvers acting at once."""

from __future__ import annotations

import threading

import frappe
import pytest
from frappe.utils import add_days, flt, today

from korus_crm import approvals
from korus_crm.exceptions import (
	ApprovalConflictError,
	ApprovalPostingError,
	ApprovalRequestError,
	ApprovalRouteError,
	OfferApprovalError,
	OfferStateError,
)
from korus_crm.requests import views
from tests.integration.approvals_setup import (
	PEOPLE,
	ROLE,
	as_user,
	expense_lines,
	form_type,
	make_office,
	request,
)
from tests.integration.support import ApiClient, CommittedRecords, make_user

SUPERVISOR = {"approver_kind": "Direct Supervisor"}


@pytest.fixture(scope="module")
def logins(frappe_site):
	"""The office's people, made once for the module (users are slow to make): {key: (user, password)}."""
	if frappe_site is None:
		yield {}
		return
	records = CommittedRecords()
	made = {}
	for key in PEOPLE:
		made[key] = make_user([ROLE] if key in ("eve", "fay") else ["Employee"])
		records.add("User", made[key][0])
	yield made
	records.delete_all()


@pytest.fixture
def people(logins):
	return {key: user for key, (user, _password) in logins.items()}


@pytest.fixture
def office(people):
	return make_office(people)


def submit(doc, who=None):
	return as_user(who or doc.requested_by, lambda: frappe.get_doc(doc.doctype, doc.name).submit())


def act(office, who, name, action, comment=None):
	return as_user(
		office.users[who],
		lambda: approvals.apply_action("Approval Request", name, action, comment),
	)


def trail(name):
	return [
		(r.step, r.approver, r.status)
		for r in frappe.get_all(
			"Approval Request Step",
			filters={"parent": name},
			fields=["step", "approver", "status"],
			order_by="idx",
		)
	]


def notified(user, name):
	return frappe.get_all(
		"Notification Log", filters={"for_user": user, "document_name": name}, pluck="subject"
	)


class TestRoutes:
	def test_the_supervisor_chain_decides_step_by_step_and_everyone_is_told(self, office):
		u = office.users
		general = form_type(
			"General", [SUPERVISOR, {"step": 2, "approver_kind": "Supervisor Levels Up", "levels": 2}]
		)
		doc = request(office, "ann", general, content="<p>A new chair</p>")
		assert (doc.status, doc.docstatus, doc.employee) == ("Draft", 0, office.employees["ann"])
		assert (doc.branch, doc.korus_department) == (office.branch, office.department)  # stamped
		submit(doc)
		assert frappe.db.get_value("Approval Request", doc.name, ["status", "current_step"]) == ("Pending", 1)
		assert trail(doc.name) == [(1, u["bob"], "Pending"), (2, u["cleo"], "Waiting")]
		assert notified(u["bob"], doc.name) and not notified(u["cleo"], doc.name)

		with pytest.raises(ApprovalConflictError, match="not reached your step"):
			act(office, "cleo", doc.name, "Approve")
		act(office, "bob", doc.name, "Approve", "fine by me")
		assert trail(doc.name) == [(1, u["bob"], "Approved"), (2, u["cleo"], "Pending")]
		assert notified(u["cleo"], doc.name)
		step = frappe.get_all(
			"Approval Request Step", filters={"parent": doc.name, "approver": u["bob"]}, fields=["*"]
		)[0]
		assert step.comment == "fine by me" and step.acted_on
		act(office, "cleo", doc.name, "Approve")
		assert frappe.db.get_value("Approval Request", doc.name, ["status", "current_step"]) == (
			"Approved",
			0,
		)
		assert any("approved" in s for s in notified(u["ann"], doc.name))

	def test_all_needs_every_approver_and_any_needs_one(self, office):
		u = office.users
		both = form_type("General", [{"approver_kind": "Role", "role": ROLE, "mode": "All"}])
		doc = request(office, "ann", both)
		submit(doc)
		assert sorted(trail(doc.name)) == sorted([(1, u["eve"], "Pending"), (1, u["fay"], "Pending")])
		act(office, "eve", doc.name, "Approve")
		assert frappe.db.get_value("Approval Request", doc.name, "status") == "Pending"
		act(office, "fay", doc.name, "Approve")
		assert frappe.db.get_value("Approval Request", doc.name, "status") == "Approved"

		either = form_type("General", [{"approver_kind": "Role", "role": ROLE, "mode": "Any"}])
		doc = request(office, "ann", either)
		submit(doc)
		act(office, "fay", doc.name, "Approve")
		assert frappe.db.get_value("Approval Request", doc.name, "status") == "Approved"
		assert sorted(s for _, _, s in trail(doc.name)) == ["Approved", "Skipped"]
		with pytest.raises(ApprovalConflictError):  # eve comes too late
			act(office, "eve", doc.name, "Approve")

	def test_an_amount_threshold_adds_the_branch_manager(self, office):
		u = office.users
		expense = form_type(
			"Expense",
			[SUPERVISOR, {"step": 2, "approver_kind": "Branch Manager", "min_amount": 5000}],
			company=office.company,
			payable_account=office.accounts.payable,
		)
		small = request(office, "ann", expense, expenses=expense_lines(office, 3000, 1999))
		large = request(office, "ann", expense, expenses=expense_lines(office, 3000, 2000))
		assert (small.amount, large.amount) == (4999, 5000)
		submit(small)
		submit(large)
		assert trail(small.name) == [(1, u["bob"], "Pending")]
		assert trail(large.name) == [(1, u["bob"], "Pending"), (2, u["gus"], "Waiting")]

	def test_a_step_without_anyone_goes_to_the_fallback_and_nobody_is_refused(self, office):
		u = office.users
		# cleo reports to nobody
		no_fallback = form_type("General", [SUPERVISOR])
		with pytest.raises(ApprovalRouteError):
			submit(request(office, "cleo", no_fallback))
		with_fallback = form_type("General", [SUPERVISOR], fallback_approver=u["gus"])
		doc = request(office, "cleo", with_fallback)
		submit(doc)
		assert trail(doc.name) == [(1, u["gus"], "Pending")]
		step_fallback = form_type(
			"General", [{**SUPERVISOR, "fallback_approver": u["dan"]}], fallback_approver=u["gus"]
		)
		doc = request(office, "cleo", step_fallback)
		submit(doc)
		assert trail(doc.name) == [(1, u["dan"], "Pending")]

	def test_the_submitter_never_approves_their_own_request_unless_the_form_type_allows_it(self, office):
		u = office.users
		heads = form_type("General", [{"approver_kind": "Department Head"}], fallback_approver=u["cleo"])
		doc = request(office, "dan", heads)  # dan heads the department
		submit(doc)
		assert trail(doc.name) == [(1, u["cleo"], "Pending")]
		named = form_type("General", [{"approver_kind": "User", "user": u["dan"]}], allow_self_approval=1)
		doc = request(office, "dan", named)
		submit(doc)
		assert trail(doc.name) == [(1, u["dan"], "Pending")]
		act(office, "dan", doc.name, "Approve")
		assert frappe.db.get_value("Approval Request", doc.name, "status") == "Approved"

	def test_a_route_that_cannot_work_is_refused_when_saved(self, office):
		for steps in (
			[{"approver_kind": "User"}],  # no user
			[{"approver_kind": "Supervisor Levels Up", "levels": 0}],
			[SUPERVISOR, {"step": 1, "approver_kind": "Department Head", "mode": "All"}],  # mixed step
			[{**SUPERVISOR, "min_amount": 100, "max_amount": 50}],
		):
			with pytest.raises(ApprovalRouteError):
				form_type("General", steps)


class TestOutcomes:
	def test_an_approved_expense_is_owed_to_the_employee_in_the_ledger(self, office):
		a = office.accounts
		expense = form_type("Expense", [SUPERVISOR], company=office.company, payable_account=a.payable)
		doc = request(office, "ann", expense, expenses=expense_lines(office, 120.5, 80))
		submit(doc)
		act(office, "bob", doc.name, "Approve")
		doc.reload()
		assert doc.status == "Approved" and doc.journal_entry
		gl = frappe.get_all(
			"GL Entry",
			filters={"voucher_no": doc.journal_entry, "is_cancelled": 0},
			fields=["account", "debit", "credit", "party_type", "party"],
		)
		by_account = {g.account: g for g in gl}
		assert flt(by_account[a.travel].debit) == 120.5 and flt(by_account[a.meals].debit) == 80
		owed = by_account[a.payable]
		assert (flt(owed.credit), owed.party_type, owed.party) == (200.5, "Employee", office.employees["ann"])
		assert "Approval Request " + doc.name in frappe.db.get_value(
			"Journal Entry", doc.journal_entry, "user_remark"
		)

		# an administrator cancels the approved request: its Journal Entry is cancelled with it
		with pytest.raises(OfferApprovalError):
			as_user(office.users["ann"], lambda: frappe.get_doc("Approval Request", doc.name).cancel())
		frappe.get_doc("Approval Request", doc.name).cancel()
		assert frappe.db.get_value("Journal Entry", doc.journal_entry, "docstatus") == 2
		assert frappe.db.get_value("Approval Request", doc.name, "status") == "Cancelled"

	def test_an_approved_loan_is_an_advance_to_the_employee(self, office):
		a = office.accounts
		loan = form_type(
			"Loan",
			[SUPERVISOR],
			company=office.company,
			advance_account=a.advance,
			paying_account=a.cash,
		)
		doc = request(office, "ann", loan, loan_amount=1500, repayment_date=add_days(today(), 90))
		assert doc.amount == 1500
		submit(doc)
		act(office, "bob", doc.name, "Approve")
		entry = frappe.db.get_value("Approval Request", doc.name, "journal_entry")
		gl = {
			g.account: g
			for g in frappe.get_all(
				"GL Entry",
				filters={"voucher_no": entry, "is_cancelled": 0},
				fields=["account", "debit", "credit", "party"],
			)
		}
		assert (flt(gl[a.advance].debit), gl[a.advance].party) == (1500, office.employees["ann"])
		assert flt(gl[a.cash].credit) == 1500

	def test_a_rejected_request_books_nothing_and_can_be_amended(self, office):
		expense = form_type(
			"Expense", [SUPERVISOR], company=office.company, payable_account=office.accounts.payable
		)
		doc = request(office, "ann", expense, expenses=expense_lines(office, 50))
		submit(doc)
		act(office, "bob", doc.name, "Reject", "no receipt")
		doc.reload()
		assert (doc.status, doc.journal_entry) == ("Rejected", None)
		assert any("rejected" in s for s in notified(office.users["ann"], doc.name))
		as_user(office.users["ann"], lambda: frappe.get_doc("Approval Request", doc.name).cancel())
		amended = as_user(
			office.users["ann"],
			lambda: (
				frappe.copy_doc(frappe.get_doc("Approval Request", doc.name))
				.update({"amended_from": doc.name, "docstatus": 0})
				.insert()
			),
		)
		assert (amended.status, amended.steps, amended.journal_entry) == ("Draft", [], None)

	def test_a_withdrawn_request_no_longer_waits_for_anyone(self, office):
		general = form_type("General", [SUPERVISOR])
		doc = request(office, "ann", general)
		submit(doc)
		with pytest.raises(OfferApprovalError):  # only the submitter withdraws
			as_user(office.users["bob"], lambda: frappe.get_doc("Approval Request", doc.name).cancel())
		as_user(office.users["ann"], lambda: approvals.apply_action("Approval Request", doc.name, "Withdraw"))
		assert frappe.db.get_value("Approval Request", doc.name, "status") == "Cancelled"
		assert trail(doc.name) == [(1, office.users["bob"], "Skipped")]
		assert as_user(office.users["bob"], views.get_view, "Awaiting Me") == []

	def test_leave_days_leave_out_the_holiday_list(self, office):
		holidays = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": f"Korus {frappe.generate_hash(length=6)}",
				"from_date": "2027-01-01",
				"to_date": "2027-12-31",
				"holidays": [
					{"holiday_date": "2027-03-06", "description": "Saturday"},
					{"holiday_date": "2027-03-07", "description": "Sunday"},
				],
			}
		).insert()
		frappe.db.set_value("Employee", office.employees["ann"], "holiday_list", holidays.name)
		leave = form_type("Leave", [SUPERVISOR])
		doc = request(
			office, "ann", leave, leave_kind="Annual Leave", from_date="2027-03-04", to_date="2027-03-09",
			from_half_day=1,
		)  # fmt: skip
		assert doc.days == 3.5  # Thu half, Fri, Mon, Tue
		with pytest.raises(ApprovalRequestError):
			request(
				office, "ann", leave, leave_kind="Annual Leave", from_date="2027-03-06", to_date="2027-03-07"
			)
		with pytest.raises(ApprovalRequestError):
			request(
				office, "ann", leave, leave_kind="Annual Leave", from_date="2027-03-09", to_date="2027-03-04"
			)

	def test_an_approved_travel_request_is_the_source_of_an_expense_request(self, office):
		travel = form_type("Travel", [SUPERVISOR])
		expense = form_type(
			"Expense", [SUPERVISOR], company=office.company, payable_account=office.accounts.payable
		)
		trip = request(
			office, "ann", travel, destination="Gdańsk", purpose="Trade fair", transport="Train",
			from_date=add_days(today(), 5), to_date=add_days(today(), 7), estimated_cost=900,
		)  # fmt: skip
		with pytest.raises(ApprovalRequestError):  # not approved yet
			request(office, "ann", expense, travel_request=trip.name, expenses=expense_lines(office, 10))
		submit(trip)
		act(office, "bob", trip.name, "Approve")
		from korus_crm.korus_crm.doctype.approval_request.approval_request import make_expense_request

		draft = as_user(office.users["ann"], make_expense_request, trip.name, expense)
		assert (draft["travel_request"], draft["form_kind"]) == (trip.name, "Expense")
		doc = request(office, "ann", expense, travel_request=trip.name, expenses=expense_lines(office, 300))
		assert doc.travel_request == trip.name
		with pytest.raises(ApprovalRequestError):  # someone else's trip
			request(office, "dan", expense, travel_request=trip.name, expenses=expense_lines(office, 10))

	def test_bad_values_are_refused_and_nothing_is_kept(self, office):
		expense = form_type(
			"Expense", [SUPERVISOR], company=office.company, payable_account=office.accounts.payable
		)
		loan = form_type("Loan", [SUPERVISOR], company=office.company)
		before = frappe.db.count("Approval Request")
		for values in (
			{"form_type": expense, "expenses": expense_lines(office, -5)},
			{"form_type": expense, "expenses": []},
			{"form_type": loan, "loan_amount": 0, "repayment_date": add_days(today(), 9)},
			{"form_type": loan, "loan_amount": 10, "repayment_date": add_days(today(), -1)},
		):
			with pytest.raises(ApprovalRequestError):
				request(office, "ann", values.pop("form_type"), **values)
		with pytest.raises(frappe.LinkValidationError):
			request(office, "ann", "No Such Form Type")
		# a loan form type without its accounts cannot take submissions
		doc = request(office, "ann", loan, loan_amount=10, repayment_date=add_days(today(), 9))
		with pytest.raises(ApprovalPostingError):
			submit(doc)
		assert frappe.db.count("Approval Request") == before + 1  # only the valid draft

	def test_the_state_moves_only_through_the_route(self, office):
		general = form_type("General", [SUPERVISOR])
		doc = request(office, "ann", general)
		doc.status = "Approved"
		with pytest.raises(OfferStateError):
			as_user(office.users["ann"], doc.save)
		submit(frappe.get_doc("Approval Request", doc.name))
		submitted = frappe.get_doc("Approval Request", doc.name)
		submitted.steps[0].status = "Approved"
		with pytest.raises(ApprovalRequestError):
			as_user(office.users["ann"], submitted.save)
		with pytest.raises(frappe.PermissionError):  # not an approver at all
			act(office, "stranger", doc.name, "Approve")
		assert frappe.db.get_value("Approval Request", doc.name, "status") == "Pending"


class TestViews:
	def test_each_user_sees_the_views_of_their_place(self, office):
		u = office.users
		general = form_type("General", [SUPERVISOR])
		mine = request(office, "ann", general, title="ann's")
		submit(mine)
		theirs = request(
			office, "stranger", form_type("General", [{"approver_kind": "User", "user": u["gus"]}])
		)
		submit(theirs)

		def names(user, view):
			return {r["name"] for r in as_user(user, views.get_view, view, 0, 500)}

		assert mine.name in names(u["ann"], "Created by Me")
		assert mine.name in names(u["bob"], "Awaiting Me") and mine.name in names(u["bob"], "My Subordinates")
		assert mine.name in names(u["cleo"], "My Subordinates")  # two levels up
		assert mine.name not in names(u["cleo"], "Awaiting Me")
		assert names(u["ann"], "My Subordinates") == set()
		assert theirs.name in names(u["gus"], "Awaiting Me")
		# a desk user reads their own, those they approve and their subordinates' (Own scope + taking part)
		assert theirs.name not in names(u["ann"], "All") and theirs.name not in names(u["bob"], "All")
		assert as_user(u["ann"], frappe.has_permission, "Approval Request", "read", theirs.name) is False
		with pytest.raises(frappe.PermissionError):
			as_user(
				u["ann"], lambda: frappe.get_doc("Approval Request", theirs.name).check_permission("read")
			)
		assert as_user(u["gus"], frappe.has_permission, "Approval Request", "read", theirs.name)
		assert mine.name in names(u["bob"], "In Approval")
		act(office, "bob", mine.name, "Approve")
		assert mine.name in names(u["ann"], "Approved") and mine.name not in names(u["bob"], "Awaiting Me")
		assert as_user(u["bob"], views.count_awaiting_me)["value"] == 0
		assert as_user(u["gus"], views.count_awaiting_me)["value"] >= 1


class TestConcurrency:
	def test_two_approvers_at_once_give_one_decision_and_one_booking(
		self, frappe_site, committed, logins, people
	):
		clients = logins
		office = make_office(people)
		expense = form_type(
			"Expense",
			[{"approver_kind": "Role", "role": ROLE, "mode": "Any"}],
			company=office.company,
			payable_account=office.accounts.payable,
		)
		doc = request(office, "ann", expense, expenses=expense_lines(office, 75))
		submit(doc)
		frappe.db.commit()
		register_office(committed, office, expense)
		register_request(committed, doc.name)

		responses = []

		def approve(key):
			client = ApiClient(frappe_site)
			client.login(*clients[key])
			responses.append(
				client.post(
					"/api/method/korus_crm.approvals.apply_action",
					{"doctype": "Approval Request", "name": doc.name, "action": "Approve"},
				)
			)

		threads = [threading.Thread(target=approve, args=(key,)) for key in ("eve", "fay", "eve", "fay")]
		for t in threads:
			t.start()
		for t in threads:
			t.join()
		frappe.db.rollback()
		codes = sorted(r.status_code for r in responses)
		assert codes == [200, 417, 417, 417], responses
		assert {r.exc_type for r in responses if r.status_code == 417} == {"ApprovalConflictError"}
		entries = frappe.get_all(
			"Journal Entry", filters={"user_remark": ("like", f"%{doc.name}%"), "docstatus": 1}, pluck="name"
		)
		assert (
			len(entries) == 1
			and frappe.db.get_value("Approval Request", doc.name, "journal_entry") == entries[0]
		)
		decided = [
			r
			for r in frappe.get_all("Approval Request Step", filters={"parent": doc.name}, fields=["status"])
		]
		assert sorted(r.status for r in decided) == ["Approved", "Skipped"]


def register_office(committed, office, form_type_name) -> None:
	"""Committed office records, deleted after the test (last added, first deleted)."""
	committed.add("Department", office.department)
	committed.add("Department", office.other_department)
	committed.add("Branch", office.branch)
	committed.add("Branch", office.other_branch)
	for name in office.employees.values():
		committed.add("Employee", name)
	for category in (office.travel, office.meals):
		committed.add("Korus Expense Category", category)
	committed.add("Approval Form Type", form_type_name)


def register_request(committed, name: str) -> None:
	"""A committed request, deleted after the test: cancelling it cancels its Journal Entry; the
	entry, its ledger rows and the notifications about the request go afterwards."""
	committed.add("Approval Request", name)

	def ledger_and_notices():
		for entry in frappe.get_all(
			"Journal Entry", filters={"user_remark": ("like", f"%{name}%")}, pluck="name"
		):
			for table in ("GL Entry", "Payment Ledger Entry"):
				frappe.db.delete(table, {"voucher_no": entry})
			frappe.delete_doc("Journal Entry", entry, force=True, ignore_permissions=True)
		frappe.db.delete("Notification Log", {"document_name": name})

	committed.afterwards(ledger_and_notices)


def test_awaiting_me_reads_the_approvers_index(office):
	"""The view starts from the step rows' (approver, status) index, whatever the history's size."""
	from frappe.model.db_query import DatabaseQuery

	frappe.set_user(office.users["bob"])
	query = DatabaseQuery("Approval Request").execute(
		filters=views.view_filters("Awaiting Me"),
		fields=["`tabApproval Request`.`name`"],
		order_by="`tabApproval Request`.`modified` desc",
		limit_page_length=20,
		distinct=True,
		run=False,
	)
	frappe.set_user("Administrator")
	plan = frappe.db.sql(f"explain {query}", as_dict=True)
	steps = next(row for row in plan if row.table == "tabApproval Request Step")
	assert "korus_approver_status" in (steps.possible_keys or "")
