"""Field service on a real site (korus_crm.field_service): statuses and their history, the overlap
rule (also for helpers and under concurrency), holidays and skills refused, the pool's order, the
Sales Invoice and stock ledger read back from ERPNext, the Maintenance Visit of a scheduled visit,
the technician's notices and "my jobs today", data scope, bad input over REST, and job entry's
customer search."""

from __future__ import annotations

import datetime
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
from korus_crm.field_service.jobs import find_customers, job_entry
from korus_crm.rules.scope import OWN
from tests.integration.factories import (
	default_company,
	make_contact,
	make_customer,
	make_selling_item,
	unique,
)
from tests.integration.org_setup import make_branch, make_employee
from tests.integration.support import ApiClient, make_user, new_user, set_scope

# a Wednesday at least a week ahead (a weekend could be a weekly off of the company's holiday list)
# (computed at import, before the site is connected: the machine's date, not the site's)
_AHEAD = datetime.date.today() + datetime.timedelta(days=7)
DAY = str(_AHEAD + datetime.timedelta(days=(2 - _AHEAD.weekday()) % 7))


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


def office_user(branch: str) -> str:
	"""An office user of `branch`: the jobs they own are of that branch (the data scope's stamp)."""
	user = new_user("Korus Office Staff")
	make_employee(user, None, branch)
	return user


def notices(user: str, job: str) -> int:
	return frappe.db.count(
		"Notification Log", {"for_user": user, "document_type": "Service Job", "document_name": job}
	)


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

	def test_every_move_is_kept_in_the_history(self, shop):
		job = make_job(shop.job_type)
		dispatch.schedule(job, shop.ann, get_datetime(at(9)))
		dispatch.set_status(job.name, "Dispatched")
		dispatch.set_status(job.name, "In Progress")
		dispatch.set_status(job.name, "On Hold")
		dispatch.set_status(job.name, "In Progress")
		job.reload()
		job.work_done = "Done"
		job.status = "Completed"
		job.save()
		job.reload()
		moves = [(r.from_status, r.to_status) for r in job.status_history]
		assert moves == [
			(None, "New"),
			("New", "Scheduled"),
			("Scheduled", "Dispatched"),
			("Dispatched", "In Progress"),
			("In Progress", "On Hold"),
			("On Hold", "In Progress"),
			("In Progress", "Completed"),
		]
		assert {r.changed_by for r in job.status_history} == {"Administrator"}
		assert job.actual_start and job.actual_end

	def test_moves_the_rules_forbid_are_refused(self, shop):
		job = make_job(shop.job_type)
		for status in ("In Progress", "Completed"):
			with pytest.raises(JobStatusError):
				dispatch.set_status(job.name, status)
		with pytest.raises(JobStatusError):
			dispatch.set_status(job.name, "Scheduled")  # no technician, no time
		dispatch.set_status(job.name, "Cancelled")
		with pytest.raises(JobStatusError):
			dispatch.unschedule_job(job.name)
		assert frappe.db.get_value("Service Job", job.name, "status") == "Cancelled"

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

	def test_the_pool_filters_by_branch_type_and_skill(self, shop):
		north, south = make_branch(), make_branch()
		north_office, south_office = office_user(north), office_user(south)
		gas = make_job_type(60, skills=("Korus Gas",))
		in_north = make_job(shop.job_type, job_owner=north_office)
		gas_in_north = make_job(gas, job_owner=north_office)
		in_south = make_job(shop.job_type, job_owner=south_office)
		scheduled = make_job(shop.job_type, job_owner=north_office)
		dispatch.schedule(scheduled, shop.ann, get_datetime(at(9)))
		assert frappe.db.get_value("Service Job", in_north.name, "branch") == north
		assert {r.name for r in dispatch.pool(branch=north)} == {in_north.name, gas_in_north.name}
		assert [r.name for r in dispatch.pool(branch=south)] == [in_south.name]
		assert [r.name for r in dispatch.pool(branch=north, job_type=gas)] == [gas_in_north.name]
		assert [r.name for r in dispatch.pool(skill="Korus Gas")] == [gas_in_north.name]
		assert dispatch.pool(skill="Korus Gas", job_type=shop.job_type) == []


class TestNotices:
	def test_the_technician_is_told_when_dispatched_and_when_moved(self, shop):
		user = new_user("Korus Technician")
		tech = make_technician(user=user)
		job = make_job(shop.job_type)
		dispatch.schedule(job, tech, get_datetime(at(14)))
		assert notices(user, job.name) == 0  # scheduled, not yet dispatched
		dispatch.set_status(job.name, "Dispatched")
		assert notices(user, job.name) == 1
		dispatch.schedule(frappe.get_doc("Service Job", job.name), tech, get_datetime(at(15)))
		assert notices(user, job.name) == 2
		subjects = frappe.get_all(
			"Notification Log",
			filters={"for_user": user, "document_name": job.name},
			pluck="subject",
			order_by="creation asc",
		)
		assert "dispatched to you" in subjects[0] and "moved" in subjects[1]

	def test_the_previous_technician_is_told_when_the_job_is_taken_from_them(self, shop):
		first, second = new_user("Korus Technician"), new_user("Korus Technician")
		tech_one, tech_two = make_technician(user=first), make_technician(user=second)
		job = make_job(shop.job_type)
		dispatch.schedule(job, tech_one, get_datetime(at(14)), dispatch=True)
		dispatch.schedule(frappe.get_doc("Service Job", job.name), tech_two, get_datetime(at(14)))
		assert (notices(first, job.name), notices(second, job.name)) == (2, 1)

	def test_my_jobs_today_lists_the_users_jobs_as_technician_or_helper(self, shop):
		user = new_user("Korus Technician")
		tech = make_technician(user=user)
		mine = make_job(shop.job_type)
		dispatch.schedule(mine, tech, get_datetime(at(13)))
		helping = make_job(shop.job_type, helpers=[{"technician": tech}])
		dispatch.schedule(helping, shop.ann, get_datetime(at(8)))
		tomorrow = make_job(shop.job_type)
		dispatch.schedule(tomorrow, tech, get_datetime(at(9, day=str(add_days(DAY, 1)))))
		cancelled = make_job(shop.job_type)
		dispatch.schedule(cancelled, tech, get_datetime(at(16)))
		dispatch.set_status(cancelled.name, "Cancelled")
		others = make_job(shop.job_type)
		dispatch.schedule(others, shop.bob, get_datetime(at(9)))
		frappe.set_user(user)
		try:
			today = [r.name for r in dispatch.my_jobs_today(getdate(DAY))]
		finally:
			frappe.set_user("Administrator")
		assert today == [helping.name, mine.name]


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

		receipt = make_stock_entry(item_code=part, target=warehouse, qty=5, basic_rate=10, company=company)
		assert receipt.purpose == "Material Receipt"
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
		assert (invoice.customer, invoice.company) == (job.customer, company)
		assert sorted((r.item_code, r.qty, r.rate) for r in invoice.items) == sorted(
			[(labour, 2, 50), (part, 2, 30)]
		)
		assert invoice.net_total == 160
		assert invoice.grand_total == invoice.net_total + invoice.total_taxes_and_charges
		moved = frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_no": invoice.name, "item_code": part, "is_cancelled": 0},
			fields=["warehouse", "actual_qty"],
		)
		assert [(m.warehouse, m.actual_qty) for m in moved] == [(warehouse, -2)]

	def test_a_job_with_nothing_billable_makes_no_invoice(self, shop):
		job = make_job(shop.job_type)
		dispatch.schedule(job, shop.ann, get_datetime(at(9)), dispatch=True)
		dispatch.set_status(job.name, "In Progress")
		job.reload()
		job.work_done = "Looked at it"
		job.status = "Completed"
		job.save()
		assert frappe.db.get_value("Service Job", job.name, ["sales_invoice", "maintenance_visit"]) == (
			None,
			None,
		)

	def test_a_visit_of_a_maintenance_schedule_makes_the_maintenance_visit(self, shop):
		from frappe.utils.nestedset import get_root_of

		customer = make_customer().name
		item = make_selling_item(20)
		schedule = frappe.get_doc(
			{
				"doctype": "Maintenance Schedule",
				"customer": customer,
				"company": default_company(),
				"transaction_date": nowdate(),
				"items": [
					{"item_code": item, "start_date": nowdate(), "periodicity": "Weekly", "no_of_visits": 2}
				],
			}
		)
		schedule.insert()
		schedule.generate_schedule()
		schedule.save()
		schedule.submit()
		visit_row = schedule.schedules[0].name
		employee = frappe.db.get_value("Service Technician", shop.ann, "employee")
		person = frappe.get_doc(
			{
				"doctype": "Sales Person",
				"sales_person_name": unique("Korus Fitter"),
				"parent_sales_person": get_root_of("Sales Person"),
				"employee": employee,
			}
		).insert()
		job = make_job(
			shop.job_type,
			customer=customer,
			source_doctype="Maintenance Schedule",
			source_name=schedule.name,
			maintenance_schedule_detail=visit_row,
		)
		dispatch.schedule(job, shop.ann, get_datetime(at(9)), dispatch=True)
		dispatch.set_status(job.name, "In Progress")
		job.reload()
		job.work_done = "Serviced the boiler"
		job.status = "Completed"
		job.save()
		job.reload()
		visit = frappe.get_doc("Maintenance Visit", job.maintenance_visit)
		assert (visit.docstatus, visit.customer, visit.completion_status) == (1, customer, "Fully Completed")
		assert visit.maintenance_schedule == schedule.name
		assert [(p.maintenance_schedule_detail, p.service_person, p.work_done) for p in visit.purposes] == [
			(visit_row, person.name, "Serviced the boiler")
		]
		assert (
			frappe.db.get_value("Maintenance Schedule Detail", visit_row, "completion_status")
			== "Fully Completed"
		)


class TestScope:
	def test_a_technician_reads_their_jobs_and_their_branchs_pool_only(self, shop):
		branch, elsewhere = make_branch(), make_branch()
		user = new_user("Korus Technician")
		set_scope("Korus Technician", OWN)
		tech = make_technician(user=user, branch=branch)
		mine = make_job(shop.job_type)
		dispatch.schedule(mine, tech, get_datetime(at(9)))
		helping = make_job(shop.job_type, helpers=[{"technician": tech}])
		dispatch.schedule(helping, shop.ann, get_datetime(at(11)))
		other = make_job(shop.job_type)
		dispatch.schedule(other, shop.bob, get_datetime(at(9)))
		branch_pool = make_job(shop.job_type, job_owner=office_user(branch))
		other_pool = make_job(shop.job_type, job_owner=office_user(elsewhere))
		frappe.set_user(user)
		try:
			readable = set(frappe.get_list("Service Job", pluck="name"))
			pool = {r.name for r in dispatch.pool()}
			may_open = {
				name: frappe.has_permission("Service Job", "read", name)
				for name in (mine.name, other.name, other_pool.name)
			}
		finally:
			frappe.set_user("Administrator")
		assert {mine.name, helping.name, branch_pool.name} <= readable
		assert not {other.name, other_pool.name} & readable
		assert branch_pool.name in pool and other_pool.name not in pool
		assert may_open == {mine.name: True, other.name: False, other_pool.name: False}


class TestJobEntry:
	def test_customers_are_found_by_name_and_by_their_contacts_phone_or_email(self, frappe_site):
		tag = frappe.generate_hash(length=8)
		by_name = make_customer(customer_name=f"Korus Boilers {tag}").name
		by_email = make_customer().name
		emailed = make_contact(by_email, email=f"anna.{tag}@example.com").name
		by_phone = make_customer().name
		phoned = make_contact(by_phone)
		digits = str(int(tag, 16))[-7:]
		phoned.append("phone_nos", {"phone": f"+48 600 {digits}", "is_primary_mobile_no": 1})
		phoned.save()
		make_customer()  # not found
		assert [(r["name"], r["matched"]) for r in find_customers(f"boilers {tag}")] == [(by_name, "name")]
		assert [(r["name"], r["matched"], r["contact"]) for r in find_customers(f"anna.{tag}")] == [
			(by_email, "contact", emailed)
		]
		assert [r["name"] for r in find_customers(f"600 {digits}")] == [by_phone]
		assert find_customers("x") == []  # too short to search

	def test_the_search_follows_the_users_data_scope(self, frappe_site):
		tag = frappe.generate_hash(length=8)
		user = new_user("Korus Office Staff")
		set_scope("Korus Office Staff", OWN)
		mine = make_customer(customer_name=f"Korus Mine {tag}", account_manager=user).name
		make_customer(customer_name=f"Korus Theirs {tag}", account_manager=new_user("Korus Office Staff"))
		frappe.set_user(user)
		try:
			found = [r["name"] for r in find_customers(tag)]
		finally:
			frappe.set_user("Administrator")
		assert found == [mine]

	def test_job_entry_shows_the_customers_address_contact_and_open_jobs(self, shop):
		customer = make_customer().name
		contact = make_contact(customer, email=f"{frappe.generate_hash(length=8)}@example.com").name
		frappe.db.set_value("Customer", customer, "customer_primary_contact", contact)
		address = frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": "Site",
				"address_line1": "1 Pump Street",
				"city": "Gdansk",
				"country": frappe.db.get_value("Company", default_company(), "country"),
				"is_shipping_address": 1,
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		).insert()
		open_job = make_job(shop.job_type, customer=customer)
		closed = make_job(shop.job_type, customer=customer)
		dispatch.set_status(closed.name, "Cancelled")
		entry = job_entry(customer)
		assert (entry["site_address"], entry["contact"]) == (address.name, contact)
		assert "1 Pump Street" in entry["address_display"]
		assert [j.name for j in entry["open_jobs"]] == [open_job.name]
		job = make_job(shop.job_type, customer=customer, site_address=address.name, contact=contact)
		assert "Gdansk" in job.address_display

	def test_a_site_address_of_another_customer_is_refused(self, shop):
		other = make_customer().name
		address = frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": "Elsewhere",
				"address_line1": "2 Other Road",
				"city": "Krakow",
				"country": frappe.db.get_value("Company", default_company(), "country"),
				"links": [{"link_doctype": "Customer", "link_name": other}],
			}
		).insert()
		with pytest.raises(frappe.ValidationError):
			make_job(shop.job_type, site_address=address.name)


@pytest.fixture
def rest_shop(frappe_site, committed):
	"""A committed customer, job type and technician (REST requests run in their own transaction)."""
	job_type = make_job_type(60)
	tech = make_technician()
	employee = frappe.db.get_value("Service Technician", tech, "employee")
	customer = make_customer().name
	frappe.db.commit()
	committed.add("Employee", employee)
	committed.add("Service Technician", tech)
	committed.add("Service Job Type", job_type)
	committed.add("Customer", customer)
	return frappe._dict(job_type=job_type, tech=tech, customer=customer)


class TestBadInput:
	@pytest.mark.parametrize(
		"values, error",
		[
			({"customer": "Korus Nobody Ltd"}, "LinkValidationError"),
			(
				{"technician": "HR-EMP-NOPE", "scheduled_start": at(9), "scheduled_end": at(10)},
				"LinkValidationError",
			),
			({"scheduled_start": at(10), "scheduled_end": at(9)}, "JobStatusError"),
			({"scheduled_start": "next tuesday-ish", "scheduled_end": at(9)}, "InvalidInputError"),
			({"scheduled_start": {"a": 1}}, "InvalidInputError"),
			({"priority": "Whenever"}, None),
		],
	)
	def test_a_bad_job_over_rest_is_a_4xx_and_leaves_no_row(self, rest_shop, api, values, error):
		client = api("Korus Dispatcher")
		before = frappe.db.count("Service Job")
		response = client.post(
			"/api/resource/Service Job",
			{
				"customer": rest_shop.customer,
				"job_type": rest_shop.job_type,
				"company": default_company(),
				**values,
			},
		)
		assert 400 <= response.status_code < 500, response
		if error:
			assert response.exc_type == error, response
		assert frappe.db.count("Service Job") == before

	def test_an_unknown_employee_or_customer_is_refused(self, shop):
		# Frappe v15 does not check a link other fields fetch from when its record is missing
		with pytest.raises(frappe.LinkValidationError):
			frappe.get_doc({"doctype": "Service Technician", "employee": "HR-EMP-NOPE"}).insert()
		with pytest.raises(frappe.LinkValidationError):
			make_job(shop.job_type, customer="Korus Nobody Ltd")

	def test_bad_scheduling_over_rest_is_a_4xx_and_changes_nothing(self, rest_shop, api, committed):
		job = make_job(rest_shop.job_type, customer=rest_shop.customer)
		frappe.db.commit()
		committed.add("Service Job", job.name)
		client = api("Korus Administrator")
		path = "/api/method/korus_crm.field_service.dispatch.schedule_job"
		for data, error in (
			({"technician": "HR-EMP-NOPE", "start": at(9)}, "LinkValidationError"),
			({"technician": rest_shop.tech, "start": at(10), "end": at(9)}, "DispatchBoardError"),
			({"technician": rest_shop.tech, "start": "2026-13-45 99:00"}, "DispatchBoardError"),
			({"technician": rest_shop.tech, "start": ["x"]}, "InvalidInputError"),
			({"job": "SJ-NOPE", "technician": rest_shop.tech, "start": at(9)}, "DoesNotExistError"),
		):
			response = client.post(path, {"job": job.name, **data})
			assert 400 <= response.status_code < 500, (data, response)
			assert response.exc_type == error, (data, response)
		frappe.db.rollback()
		assert frappe.db.get_value("Service Job", job.name, ["status", "technician"]) == ("New", None)
		ok = client.post(path, {"job": job.name, "technician": rest_shop.tech, "start": at(9)})
		assert ok.status_code == 200, ok
		assert ok.data["status"] == "Scheduled"


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
