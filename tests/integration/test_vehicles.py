"""Vehicles on a real site (korus_crm.vehicles, docs/vehicles.md): ERPNext's Vehicle odometer set from
the submitted Korus Mileage Logs (out of order, after cancellations), the backdated warning, the
Vehicle Mileage report against hand-computed figures (as Administrator and as a branch-scoped user),
and bad input over REST answered 4xx with a translated message and no row left."""

from __future__ import annotations

import json

import frappe
import pytest

from korus_crm.exceptions import MileageLogError
from korus_crm.korus_crm.report.vehicle_mileage.vehicle_mileage import execute as vehicle_mileage
from korus_crm.rules.scope import BRANCH
from korus_crm.setup.roles import OFFICE_STAFF
from tests.integration.factories import default_company, make_customer, unique
from tests.integration.org_setup import make_branch, make_employee
from tests.integration.support import ApiClient, make_user, new_user, set_scope

LOG = "Korus Mileage Log"


def make_vehicle(odometer: int = 1000, employee: str | None = None) -> str:
	uom = "Litre" if frappe.db.exists("UOM", "Litre") else frappe.db.get_value("UOM", {}, "name")
	return (
		frappe.get_doc(
			{
				"doctype": "Vehicle",
				"license_plate": unique("KR").replace(" ", "-").upper(),
				"make": "Korus",
				"model": "Van",
				"last_odometer": odometer,
				"fuel_type": "Diesel",
				"uom": uom,
				"employee": employee,
			}
		)
		.insert()
		.name
	)


def make_log(vehicle: str, driver: str, start: int, end: int, date: str, submit: bool = True, **values):
	doc = frappe.get_doc(
		{
			"doctype": LOG,
			"vehicle": vehicle,
			"driver": driver,
			"date": date,
			"start_odometer": start,
			"end_odometer": end,
			"purpose": values.pop("purpose", "Customer visit"),
			**values,
		}
	).insert()
	if submit:
		doc.submit()
	return doc


def odometer(vehicle: str) -> int:
	return frappe.db.get_value("Vehicle", vehicle, "last_odometer")


def warnings() -> str:
	return json.dumps([str(m) for m in frappe.local.message_log])


@pytest.fixture
def fleet(frappe_site):
	driver = make_employee(None, None, None)
	return frappe._dict(driver=driver, vehicle=make_vehicle(1000, employee=driver))


class TestLogs:
	def test_distance_is_end_minus_start_and_the_driver_comes_from_the_vehicle(self, fleet):
		doc = frappe.get_doc(
			{
				"doctype": LOG,
				"vehicle": fleet.vehicle,
				"date": "2026-05-04",
				"end_odometer": 1135,
				"purpose": "Delivery",
			}
		).insert()
		assert (doc.start_odometer, doc.distance) == (1000, 135)  # start: the vehicle's odometer
		assert doc.driver == fleet.driver
		assert doc.company == default_company()

	def test_end_below_start_and_negative_readings_are_refused(self, fleet):
		with pytest.raises(MileageLogError, match="cannot be below"):
			make_log(fleet.vehicle, fleet.driver, 1200, 1100, "2026-05-04", submit=False)
		with pytest.raises(MileageLogError, match="cannot be negative"):
			make_log(fleet.vehicle, fleet.driver, -5, 10, "2026-05-04", submit=False)
		with pytest.raises(MileageLogError, match="negative"):
			make_log(fleet.vehicle, fleet.driver, 1000, 1010, "2026-05-04", submit=False, fuel_litres=-2)
		assert not frappe.db.exists(LOG, {"vehicle": fleet.vehicle})

	def test_a_drafts_readings_do_not_move_the_odometer(self, fleet):
		make_log(fleet.vehicle, fleet.driver, 1000, 1500, "2026-05-04", submit=False)
		assert odometer(fleet.vehicle) == 1000

	def test_a_log_for_a_service_job_takes_the_jobs_customer(self, fleet):
		customer = make_customer().name
		job_type = (
			frappe.get_doc({"doctype": "Service Job Type", "job_type_name": unique("Korus Trip Repair")})
			.insert()
			.name
		)
		job = frappe.get_doc(
			{
				"doctype": "Service Job",
				"customer": customer,
				"job_type": job_type,
				"company": default_company(),
			}
		).insert()
		log = make_log(fleet.vehicle, fleet.driver, 1000, 1020, "2026-05-04", service_job=job.name)
		assert log.customer == customer
		with pytest.raises(MileageLogError):
			make_log(
				fleet.vehicle, fleet.driver, 1020, 1040, "2026-05-05",
				service_job=job.name, customer=make_customer().name,
			)  # fmt: skip


class TestOdometer:
	def test_logs_entered_out_of_order_leave_the_highest_reading(self, fleet):
		make_log(fleet.vehicle, fleet.driver, 1200, 1300, "2026-05-03")
		assert odometer(fleet.vehicle) == 1300
		make_log(fleet.vehicle, fleet.driver, 1000, 1100, "2026-05-01")  # handed in late
		assert odometer(fleet.vehicle) == 1300
		make_log(fleet.vehicle, fleet.driver, 1100, 1200, "2026-05-02")
		assert odometer(fleet.vehicle) == 1300

	def test_cancelling_falls_back_to_the_highest_remaining_reading(self, fleet):
		first = make_log(fleet.vehicle, fleet.driver, 1000, 1100, "2026-05-01")
		middle = make_log(fleet.vehicle, fleet.driver, 1100, 1250, "2026-05-02")
		last = make_log(fleet.vehicle, fleet.driver, 1250, 1400, "2026-05-03")
		assert odometer(fleet.vehicle) == 1400
		middle.cancel()  # hrms would subtract its 150 km here: 1250, which is wrong
		assert odometer(fleet.vehicle) == 1400
		last.cancel()
		assert odometer(fleet.vehicle) == 1100
		first.cancel()
		assert odometer(fleet.vehicle) == 1000  # the reading before the first log

	def test_an_amended_log_replaces_the_cancelled_one(self, fleet):
		log = make_log(fleet.vehicle, fleet.driver, 1000, 1900, "2026-05-01")  # a typo: 1900
		log.cancel()
		amended = frappe.copy_doc(log)
		amended.docstatus = 0
		amended.amended_from = log.name
		amended.end_odometer = 1090
		amended.insert()
		amended.submit()
		assert odometer(fleet.vehicle) == 1090

	def test_the_odometer_never_falls_below_the_reading_before_the_first_log(self, fleet):
		vehicle = make_vehicle(50_000)
		old = make_log(vehicle, fleet.driver, 40_000, 40_100, "2026-05-01")
		assert odometer(vehicle) == 50_000
		old.cancel()
		assert odometer(vehicle) == 50_000


class TestBackdating:
	def test_a_log_in_order_gives_no_warning(self, fleet):
		make_log(fleet.vehicle, fleet.driver, 1000, 1100, "2026-05-01")
		frappe.local.message_log = []
		make_log(fleet.vehicle, fleet.driver, 1100, 1200, "2026-05-02")
		assert "Backdated" not in warnings()

	def test_a_backdated_log_warns_and_is_kept(self, fleet):
		make_log(fleet.vehicle, fleet.driver, 1000, 1300, "2026-05-10")
		frappe.local.message_log = []
		late = make_log(fleet.vehicle, fleet.driver, 1000, 1080, "2026-05-05")
		assert late.docstatus == 1
		shown = warnings()
		assert "Backdated" in shown
		assert "before the vehicle" in shown and "latest log" in shown
		assert "below the vehicle" in shown
		assert odometer(fleet.vehicle) == 1300

	def test_a_start_below_the_odometer_warns_even_when_dated_after(self, fleet):
		make_log(fleet.vehicle, fleet.driver, 1000, 1300, "2026-05-10")
		frappe.local.message_log = []
		make_log(fleet.vehicle, fleet.driver, 1250, 1320, "2026-05-11")
		shown = warnings()
		assert "below the vehicle" in shown and "latest log" not in shown
		assert odometer(fleet.vehicle) == 1320


def report_rows(filters: dict, vehicles: set[str]) -> dict[tuple, dict]:
	_columns, data, *_rest = vehicle_mileage(json.dumps(filters))
	return {(r["month"], r["vehicle"], r["driver"]): r for r in data if r["vehicle"] in vehicles}


def figures(row: dict) -> tuple:
	return (row["logs"], row["distance"], row["fuel_litres"], row["cost"])


@pytest.fixture
def two_branches(frappe_site):
	"""A branch-scoped office user in branch A; driver Ann (with a login) in A, Bob (no login) in B;
	two vans; logs over two months, with a draft and a cancelled log that do not count."""
	north, south = make_branch(), make_branch()
	office = new_user(OFFICE_STAFF)
	make_employee(office, None, north)
	set_scope(OFFICE_STAFF, BRANCH)
	ann_user = new_user("Korus Technician")
	ann = make_employee(ann_user, None, north)
	bob = make_employee(None, None, south)
	van1, van2 = make_vehicle(10_000), make_vehicle(20_000)
	logs = [
		# vehicle, driver, start, end, date, fuel, cost
		(van1, ann, 10_000, 10_120, "2026-04-03", 9.5, 60.0),
		(van1, ann, 10_120, 10_200, "2026-04-20", 0, 12.5),
		(van1, bob, 10_200, 10_500, "2026-04-28", 22.0, 140.0),
		(van1, ann, 10_500, 10_650, "2026-05-02", 11.25, 75.0),
		(van2, bob, 20_000, 20_040, "2026-05-06", 3.0, 20.0),
		(van2, bob, 20_040, 20_100, "2026-05-30", 4.5, 30.0),
		(van2, ann, 20_100, 20_300, "2026-06-01", 15.0, 90.0),  # outside the period
	]
	for vehicle, driver, start, end, date, fuel, cost in logs:
		make_log(vehicle, driver, start, end, date, fuel_litres=fuel, cost=cost)
	make_log(van2, ann, 20_300, 29_999, "2026-05-15", submit=False)  # a draft
	make_log(van1, bob, 10_650, 19_999, "2026-05-20").cancel()  # cancelled
	return frappe._dict(office=office, ann=ann, bob=bob, van1=van1, van2=van2, north=north, south=south)


PERIOD = {"from_date": "2026-04-01", "to_date": "2026-05-31"}


class TestReport:
	def test_distance_fuel_and_cost_per_vehicle_driver_and_month(self, two_branches):
		t = two_branches
		rows = report_rows(PERIOD, {t.van1, t.van2})
		assert {key: figures(row) for key, row in rows.items()} == {
			("2026-04", t.van1, t.ann): (2, 200, 9.5, 72.5),
			("2026-04", t.van1, t.bob): (1, 300, 22.0, 140.0),
			("2026-05", t.van1, t.ann): (1, 150, 11.25, 75.0),
			("2026-05", t.van2, t.bob): (2, 100, 7.5, 50.0),
		}
		assert rows[("2026-04", t.van1, t.bob)]["fuel_per_100_km"] == pytest.approx(7.33)
		assert rows[("2026-05", t.van2, t.bob)]["cost_per_km"] == pytest.approx(0.5)

	def test_filters_narrow_the_rows(self, two_branches):
		t = two_branches
		rows = report_rows({**PERIOD, "vehicle": t.van1, "driver": t.ann}, {t.van1, t.van2})
		assert set(rows) == {("2026-04", t.van1, t.ann), ("2026-05", t.van1, t.ann)}
		rows = report_rows({**PERIOD, "branch": t.south}, {t.van1, t.van2})
		assert {key[2] for key in rows} == {t.bob}

	def test_a_branch_scoped_user_sees_their_branchs_drivers_only(self, two_branches):
		t = two_branches
		frappe.set_user(t.office)
		rows = report_rows(PERIOD, {t.van1, t.van2})
		assert {key: figures(row) for key, row in rows.items()} == {
			("2026-04", t.van1, t.ann): (2, 200, 9.5, 72.5),
			("2026-05", t.van1, t.ann): (1, 150, 11.25, 75.0),
		}
		visible = frappe.get_list(LOG, filters={"vehicle": ("in", [t.van1, t.van2])}, pluck="driver")
		assert set(visible) == {t.ann}

	def test_bad_filters_are_refused(self, frappe_site):
		from korus_crm.exceptions import InvalidInputError

		with pytest.raises(InvalidInputError):
			vehicle_mileage(json.dumps({"from_date": "not-a-date"}))
		with pytest.raises(InvalidInputError):
			vehicle_mileage(json.dumps({"from_date": "2026-06-01", "to_date": "2026-05-01"}))


@pytest.fixture
def rest_fleet(frappe_site, committed, api):
	"""A committed driver and vehicle, and an office user's REST client."""
	client = api(OFFICE_STAFF)
	driver = make_employee(None, None, None)
	vehicle = make_vehicle(1000, employee=driver)
	frappe.db.commit()
	committed.add("Employee", driver)
	committed.add("Vehicle", vehicle)
	return frappe._dict(client=client, driver=driver, vehicle=vehicle)


def body(fleet, **values) -> dict:
	return {
		"vehicle": fleet.vehicle,
		"driver": fleet.driver,
		"date": "2026-05-04",
		"purpose": "Customer visit",
		"start_odometer": 1000,
		"end_odometer": 1100,
		**values,
	}


class TestRest:
	def test_bad_readings_and_an_unknown_vehicle_are_4xx_and_leave_no_row(self, rest_fleet):
		client = rest_fleet.client
		for values, exc_type, text in (
			({"start_odometer": -5}, "MileageLogError", "cannot be negative"),
			({"end_odometer": -1}, "MileageLogError", "cannot be negative"),
			({"start_odometer": 1200, "end_odometer": 1100}, "MileageLogError", "cannot be below"),
			({"vehicle": "KR-NO-SUCH-VAN"}, "LinkValidationError", "KR-NO-SUCH-VAN"),
			({"end_odometer": "abc"}, "InvalidInputError", "end_odometer"),
		):
			response = client.post(f"/api/resource/{LOG}", body(rest_fleet, **values))
			assert 400 <= response.status_code < 500, response
			assert response.exc_type == exc_type, response
			assert any(text in m for m in response.messages), response
		frappe.db.rollback()
		assert frappe.db.count(LOG, {"vehicle": rest_fleet.vehicle}) == 0
		assert frappe.db.count(LOG, {"driver": rest_fleet.driver}) == 0

	def test_a_polish_user_reads_the_error_in_polish(self, frappe_site, rest_fleet, committed):
		user, password = make_user([OFFICE_STAFF])
		committed.add("User", user)
		frappe.db.set_value("User", user, "language", "pl")
		frappe.db.commit()
		client = ApiClient(frappe_site)
		client.login(user, password)  # the session takes the user's language
		response = client.post(f"/api/resource/{LOG}", body(rest_fleet, vehicle="KR-NO-SUCH-VAN"))
		assert response.status_code == 417, response
		assert any("Nie znaleziono" in m for m in response.messages), response

	def test_an_office_user_submits_a_log_and_the_odometer_follows(self, rest_fleet, committed):
		response = rest_fleet.client.post(f"/api/resource/{LOG}", body(rest_fleet, docstatus=1))
		assert response.status_code == 200, response
		committed.add(LOG, response.data["name"])
		assert response.data["distance"] == 100
		frappe.db.rollback()
		assert odometer(rest_fleet.vehicle) == 1100

	def test_a_user_without_a_vehicle_role_may_not_log(self, rest_fleet, api):
		response = api("Sales User").post(f"/api/resource/{LOG}", body(rest_fleet))
		assert response.status_code == 403, response
		frappe.db.rollback()
		assert frappe.db.count(LOG, {"vehicle": rest_fleet.vehicle}) == 0
