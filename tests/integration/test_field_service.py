"""Field service on a real site (korus_crm.field_service): statuses and their history, the overlap
rule (also for helpers and under concurrency), holidays and skills refused, the pool's order, the
Sales Invoice and stock ledger read back from ERPNext, the technician's notice and data scope.

Written with the foundation of issue 13, not yet run on a site."""

from __future__ import annotations

import threading

import frappe
import pytest
from frappe.utils import add_days, get_datetime, getdate, nowdate

from korus_crm.exceptions import (
	DoubleBookingError,
	JobStatusError,
	SkillMismatchError,
	TechnicianUnavailableError,
)
from korus_crm.field_service import dispatch
from korus_crm.rules.scope import OWN
from tests.integration.factories import default_company, make_customer, make_selling_item, unique
from tests.integration.org_setup import make_branch, make_employee
from tests.integration.support import ApiClient, make_user, new_user, set_scope

# a Wednesday at least a week ahead (a weekend could be a weekly off of the company's holiday list)
_AHEAD = getdate(add_days(nowdate(), 7))
DAY = str(add_days(_AHEAD, (2 - _AHEAD.weekday()) % 7))


def at(hour: int, minute: int = 0, day: str = DAY) -> str:
	return f"{day} {hour:02d}:{minute:02d}:00"


def make_job_type(duration: int = 60, skills: tuple[str, ...] = (), **values) -> str:
	for skill in skills:
		if not frappe.db.exists("Service Skill", skill):
			frappe.get_doc({"doctype": "Service Skill", "skill_name": skill}).insert()
	return (
		frappe.get_doc(
			{
				"doctype": "Service Job Type",
				"job_type_name": unique("Korus Repair"),
				"default_duration": duration,
				"required_skills": [{"skill": s} for s in skills],
				**values,
			}
		)
		.insert()
		.name
	)


def make_technician(user: str | None = None, branch: str | None = None, skills=(), **values) -> str:
	employee = make_employee(user, None, branch)
	return (
		frappe.get_doc(
			{
				"doctype": "Service Technician",
				"employee": employee,
				"branch": branch,
				"skills": [{"skill": s} for s in skills],
				**values,
			}
		)
		.insert()
		.name
	)


def make_job(job_type: str, **values):
	return frappe.get_doc(
		{
			"doctype": "Service Job",
			"customer": values.pop("customer", None) or make_customer().name,
			"job_type": job_type,
			"company": default_company(),
			**values,
		}
	).insert()


@pytest.fixture
def shop(frappe_site):
	job_type = make_job_type(90)
	return frappe._dict(job_type=job_type, ann=make_technician(), bob=make_technician())


class TestStatuses:
	def test_a_new_job_is_in_the_pool_with_its_history(self, shop):
		job = make_job(shop.job_type)
		assert job.status == "New"
		assert [(r.from_status, r.to_status) for r in job.status_history] == [(None, "New")]

	def test_scheduling_from_the_board_takes_the_types_duration(self, shop):
		job = make_job(shop.job_type)
		dispatch.schedule(job, shop.ann, get_datetime(at(9)))
		job.reload()
		assert (job.status, job.technician) == ("Scheduled", shop.ann)
		assert get_datetime(job.scheduled_end) == get_datetime(at(10, 30))
		assert [r.to_status for r in job.status_history] == ["New", "Scheduled"]

	def test_completing_needs_the_work_done_and_a_pool_job_cannot_complete(self, shop):
		job = make_job(shop.job_type)
		job.status = "Completed"
		with pytest.raises(JobStatusError):
			job.save()
		job.reload()
		dispatch.schedule(job, shop.ann, get_datetime(at(9)), dispatch=True)
		job.status = "In Progress"
		job.save()
		assert job.actual_start
		job.status = "Completed"
		with pytest.raises(JobStatusError):
			job.save()  # no work done
		job.reload()
		job.work_done = "Replaced the valve"
		job.status = "Completed"
		job.save()
		job.status = "Cancelled"
		with pytest.raises(JobStatusError):
			job.save()

	def test_back_to_the_pool_clears_the_technician(self, shop):
		job = make_job(shop.job_type)
		dispatch.schedule(job, shop.ann, get_datetime(at(9)))
		job.status = "New"
		job.save()
		assert (job.technician, job.scheduled_start) == (None, None)


class TestBooking:
	def test_overlapping_jobs_of_one_technician_are_refused(self, shop):
		first = make_job(shop.job_type)
		dispatch.schedule(first, shop.ann, get_datetime(at(9)), get_datetime(at(10)))
		second = make_job(shop.job_type)
		with pytest.raises(DoubleBookingError):
			dispatch.schedule(second, shop.ann, get_datetime(at(9, 30)), get_datetime(at(10, 30)))

	def test_back_to_back_jobs_are_allowed(self, shop):
		first = make_job(shop.job_type)
		dispatch.schedule(first, shop.ann, get_datetime(at(9)), get_datetime(at(10)))
		second = make_job(shop.job_type)
		dispatch.schedule(second, shop.ann, get_datetime(at(10)), get_datetime(at(11)))
		third = make_job(shop.job_type)
		dispatch.schedule(third, shop.bob, get_datetime(at(9, 30)), get_datetime(at(10, 30)))

	def test_a_helper_is_booked_too(self, shop):
		first = make_job(shop.job_type, helpers=[{"technician": shop.bob}])
		dispatch.schedule(first, shop.ann, get_datetime(at(9)), get_datetime(at(10)))
		second = make_job(shop.job_type)
		with pytest.raises(DoubleBookingError):
			dispatch.schedule(second, shop.bob, get_datetime(at(9, 30)))

	def test_a_cancelled_job_frees_its_time(self, shop):
		first = make_job(shop.job_type)
		dispatch.schedule(first, shop.ann, get_datetime(at(9)), get_datetime(at(10)))
		first.status = "Cancelled"
		first.save()
		second = make_job(shop.job_type)
		dispatch.schedule(second, shop.ann, get_datetime(at(9)), get_datetime(at(10)))

	def test_holidays_and_missing_skills_are_refused(self, shop):
		holidays = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": unique("Korus Holidays"),
				"from_date": add_days(DAY, -30),
				"to_date": add_days(DAY, 30),
				"holidays": [{"holiday_date": DAY, "description": "Feast"}],
			}
		).insert()
		employee = frappe.db.get_value("Service Technician", shop.ann, "employee")
		frappe.db.set_value("Employee", employee, "holiday_list", holidays.name)
		with pytest.raises(TechnicianUnavailableError):
			dispatch.schedule(make_job(shop.job_type), shop.ann, get_datetime(at(9)))
		gas = make_job_type(60, skills=("Korus Gas",))
		with pytest.raises(SkillMismatchError):
			dispatch.schedule(make_job(gas), shop.bob, get_datetime(at(9)))
		fitter = make_technician(skills=("Korus Gas",))
		dispatch.schedule(make_job(gas), fitter, get_datetime(at(9)))

	def test_the_board_shows_the_blocks_and_the_holidays(self, shop):
		branch = make_branch()
		tech = make_technician(branch=branch)
		job = make_job(shop.job_type)
		dispatch.schedule(job, tech, get_datetime(at(9)), get_datetime(at(10)))
		data = dispatch.board(getdate(DAY), "day", branch)
		assert [t["name"] for t in data["technicians"]] == [tech]
		(block,) = data["jobs"]
		assert (block["name"], block["left"], block["width"]) == (job.name, 2.0, 1.0)


class TestPool:
	def test_the_pool_is_by_priority_then_age(self, shop):
		low = make_job(shop.job_type, priority="Low")
		urgent = make_job(shop.job_type, priority="Urgent")
		medium = make_job(shop.job_type, priority="Medium")
		names = [r.name for r in dispatch.pool(job_type=shop.job_type)]
		assert names == [urgent.name, medium.name, low.name]

	def test_the_technician_is_told_when_dispatched(self, shop):
		user = new_user("Korus Technician")
		tech = make_technician(user=user)
		job = make_job(shop.job_type)
		dispatch.schedule(job, tech, get_datetime(at(14)), dispatch=True)
		assert frappe.db.exists(
			"Notification Log", {"for_user": user, "document_type": "Service Job", "document_name": job.name}
		)


class TestBilling:
	def test_completing_invoices_the_billable_lines_and_moves_stock(self, shop):
		company = default_company()
		warehouse = frappe.db.get_value("Warehouse", {"company": company, "is_group": 0}, "name")
		part = unique("KORUS-PART").replace(" ", "-")
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": part,
				"item_name": part,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 1,
			}
		).insert()
		from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

		make_stock_entry(item_code=part, target=warehouse, qty=5, basic_rate=10, company=company)
		labour = make_selling_item(50)
		frappe.db.set_value("Service Technician", shop.ann, "warehouse", warehouse)
		job = make_job(
			shop.job_type,
			items=[
				{"item_code": labour, "qty": 2, "billable": 1},
				{"item_code": part, "qty": 2, "rate": 30, "billable": 1},
				{"item_code": part, "qty": 1, "billable": 0},
			],
		)
		dispatch.schedule(job, shop.ann, get_datetime(at(9)), dispatch=True)
		job.status = "In Progress"
		job.save()
		job.work_done = "Fitted two parts"
		job.status = "Completed"
		job.save()
		job.reload()
		invoice = frappe.get_doc("Sales Invoice", job.sales_invoice)
		assert invoice.docstatus == 1 and invoice.update_stock == 1
		assert sorted((r.item_code, r.qty) for r in invoice.items) == sorted([(labour, 2), (part, 2)])
		moved = frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_no": invoice.name, "item_code": part, "is_cancelled": 0},
			fields=["warehouse", "actual_qty"],
		)
		assert [(m.warehouse, m.actual_qty) for m in moved] == [(warehouse, -2)]


class TestScope:
	def test_a_technician_reads_their_jobs_and_their_branchs_pool_only(self, shop):
		branch = make_branch()
		user = new_user("Korus Technician")
		set_scope("Korus Technician", OWN)
		tech = make_technician(user=user, branch=branch)
		mine = make_job(shop.job_type)
		dispatch.schedule(mine, tech, get_datetime(at(9)))
		other = make_job(shop.job_type)
		dispatch.schedule(other, shop.ann, get_datetime(at(9)))
		frappe.set_user(user)
		try:
			readable = set(frappe.get_list("Service Job", pluck="name"))
		finally:
			frappe.set_user("Administrator")
		assert mine.name in readable
		assert other.name not in readable


class TestConcurrency:
	def test_two_dispatchers_dropping_on_one_slot_one_wins(self, frappe_site, committed):
		job_type = make_job_type(60)
		tech = make_technician()
		employee = frappe.db.get_value("Service Technician", tech, "employee")
		jobs = [make_job(job_type) for _ in range(2)]
		frappe.db.commit()
		# deleted in reverse order: the jobs first, the employee last
		committed.add("Employee", employee)
		committed.add("Service Technician", tech)
		committed.add("Service Job Type", job_type)
		for job in jobs:
			committed.add("Customer", job.customer)
		for job in jobs:
			committed.add("Service Job", job.name)
		users = [make_user(["Korus Administrator"]) for _ in jobs]  # scope All: no Employee needed
		for user, _password in users:
			committed.add("User", user)
		responses = []

		def drop(index):
			client = ApiClient(frappe_site)
			client.login(*users[index])
			responses.append(
				client.post(
					"/api/method/korus_crm.field_service.dispatch.schedule_job",
					{"job": jobs[index].name, "technician": tech, "start": at(9), "end": at(10)},
				)
			)

		threads = [threading.Thread(target=drop, args=(i,)) for i in range(2)]
		for t in threads:
			t.start()
		for t in threads:
			t.join()
		frappe.db.rollback()
		assert sorted(r.status_code for r in responses) == [200, 417], responses
		assert {r.exc_type for r in responses if r.status_code == 417} == {"DoubleBookingError"}
		assert frappe.db.count("Service Job", {"technician": tech, "status": "Scheduled"}) == 1
