"""Field service at scale (issue 13): the dispatch board of one branch for one week, the job pool's
first page and an assignment with its overlap check, at 1k and at 100k Service Jobs over 200
technicians and a year.

Run by hand, as the bench's owner, with the bench's Python, against a site you can fill (it adds
four branches, 200 technicians with their Employees, a dispatcher, a job type, customers and the
jobs, and leaves them unless --clean):

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/field_service_at_scale.py --site bench.localhost

What grows and what does not: the technicians (200, 50 a branch), the branches and the measured
week's jobs are the same at both sizes. The measured week (the week after next) holds WEEK_JOBS
jobs of the measured branch at both sizes: the board shows the same screen, and its cost should
not follow the table. Every other job lies elsewhere in a year (300 days back, 65 ahead), on a
random technician's free hour: past jobs Completed (a tenth Cancelled), future ones Scheduled or
Dispatched; a tenth of them are New, in the pool of a random branch (and each branch's pool has
POOL_JOBS at the smallest size already). A week as dense as the
year is measured too, for information (its cost follows the jobs it shows, not the table).

Measured as the dispatcher (Korus Dispatcher, scope Branch, an Employee of the measured branch),
through the whitelisted functions the page calls (korus_crm.field_service.dispatch.board, .pool,
.schedule_job): each figure's lowest of three medians of --repeat calls, and its memory
(tracemalloc's peak of one call). The assignment drops a pool job on a free hour of a technician
(the overlap, holiday, leave and skill checks run, under the technician's row lock) and is rolled
back after each call. Target: each figure at 100k costs at most 1.5x its cost at 1k.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import tracemalloc
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leads_at_scale import connect, timed

BRANCHES = ["FS Bench North", "FS Bench South", "FS Bench East", "FS Bench West"]
BRANCH = BRANCHES[0]
TECHNICIANS = 200
DISPATCHER = "fs-bench-dispatcher@korus.invalid"
JOB_TYPE = "FS Bench Repair"
SKILL = "FS Bench Skill"
CUSTOMERS = 20
EMP = "FSB-EMP-"
JOB = "FSB-JOB-"
WEEK_JOBS = 200  # the measured week's jobs of the measured branch (4 a technician), at both sizes
POOL_JOBS = 60  # New jobs of each branch at the smallest size (the pool's first page is 50)
POOL_SHARE = 0.1  # of the other jobs, New (in the pool of a random branch)
HOURS = range(7, 19)  # the board's working hours: a job takes one of them


def technician_names() -> list[str]:
	return [f"{EMP}{i:04d}" for i in range(TECHNICIANS)]


def branch_of(index: int) -> str:
	return BRANCHES[index % len(BRANCHES)]


def ensure_setup(frappe) -> None:
	from frappe.utils import now_datetime

	from korus_crm.setup.site import ensure_setup_complete

	ensure_setup_complete()
	company = frappe.defaults.get_global_default("company")
	for branch in BRANCHES:
		if not frappe.db.exists("Branch", branch):
			frappe.get_doc({"doctype": "Branch", "branch": branch}).insert()
	if not frappe.db.exists("Service Skill", SKILL):
		frappe.get_doc({"doctype": "Service Skill", "skill_name": SKILL}).insert()
	if not frappe.db.exists("Service Job Type", JOB_TYPE):
		frappe.get_doc(
			{"doctype": "Service Job Type", "job_type_name": JOB_TYPE, "default_duration": 60,
			 "required_skills": [{"skill": SKILL}]}
		).insert()  # fmt: skip
	if not frappe.db.exists("User", DISPATCHER):
		frappe.get_doc(
			{"doctype": "User", "email": DISPATCHER, "first_name": "FS Bench Dispatcher", "send_welcome_email": 0,
			 "roles": [{"role": "Korus Dispatcher"}]}
		).insert(ignore_permissions=True)  # fmt: skip
	if not frappe.db.exists("Employee", {"user_id": DISPATCHER}):
		frappe.get_doc(
			{"doctype": "Employee", "first_name": "FS Bench Dispatcher", "company": company,
			 "gender": frappe.db.get_value("Gender", {}, "name"), "date_of_birth": "1990-01-01",
			 "date_of_joining": "2020-01-01", "status": "Active", "user_id": DISPATCHER, "branch": BRANCH}
		).insert()  # fmt: skip
	group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name") or "All Customer Groups"
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name") or "All Territories"
	for i in range(CUSTOMERS):
		if not frappe.db.exists("Customer", {"customer_name": f"FS Bench Customer {i}"}):
			frappe.get_doc(
				{"doctype": "Customer", "customer_name": f"FS Bench Customer {i}", "customer_type": "Company",
				 "customer_group": group, "territory": territory, "account_manager": DISPATCHER}
			).insert()  # fmt: skip
	# 200 technicians, each an Employee (bulk inserted: Employee's own hooks are not what is measured)
	have = set(frappe.get_all("Service Technician", filters={"name": ("like", f"{EMP}%")}, pluck="name"))
	now = now_datetime()
	gender = frappe.db.get_value("Gender", {}, "name")
	employees, technicians, skills = [], [], []
	for i, name in enumerate(technician_names()):
		if name in have:
			continue
		full = f"Bench Technician {i:03d}"
		employees.append(
			(name, "Bench Technician", f"{i:03d}", full, company, gender, "1990-01-01", "2020-01-01", "Active",
			 branch_of(i), "HR-EMP-", now, now, "Administrator", "Administrator", 0)
		)  # fmt: skip
		technicians.append(
			(name, name, full, company, 1, branch_of(i), now, now, "Administrator", "Administrator", 0)
		)  # fmt: skip
		skills.append((f"{name}-S1", name, "Service Technician", "skills", 1, SKILL, now, now, "Administrator", "Administrator", 0))  # fmt: skip
	if employees:
		frappe.db.bulk_insert(
			"Employee",
			["name", "first_name", "last_name", "employee_name", "company", "gender", "date_of_birth",
			 "date_of_joining", "status", "branch", "naming_series", "creation", "modified", "owner", "modified_by",
			 "docstatus"],
			employees,
		)  # fmt: skip
		frappe.db.bulk_insert(
			"Service Technician",
			["name", "employee", "employee_name", "company", "active", "branch", "creation", "modified", "owner",
			 "modified_by", "docstatus"],
			technicians,
		)  # fmt: skip
		frappe.db.bulk_insert(
			"Service Technician Skill",
			["name", "parent", "parenttype", "parentfield", "idx", "skill", "creation", "modified", "owner",
			 "modified_by", "docstatus"],
			skills,
		)  # fmt: skip
	frappe.db.commit()


def measured_week(today: datetime.date) -> datetime.date:
	"""The Monday of the week after next."""
	return today + datetime.timedelta(days=14 - today.weekday())


def dense_week(today: datetime.date) -> datetime.date:
	"""A Monday about four months back: as dense as the year."""
	monday = today - datetime.timedelta(days=today.weekday())
	return monday - datetime.timedelta(weeks=17)


class Jobs:
	"""The job rows to insert, with each technician's taken hours (no double booking)."""

	def __init__(self, frappe, now: datetime.datetime, seed: int) -> None:
		self.rng = random.Random(seed)
		self.now = now
		self.taken: set[tuple[str, datetime.datetime]] = {
			(r[0], r[1])
			for r in frappe.db.sql(
				"select technician, scheduled_start from `tabService Job` where name like %s and technician is not null",
				f"{JOB}%",
			)
		}
		self.customers = frappe.get_all(
			"Customer",
			filters={"customer_name": ("like", "FS Bench Customer %")},
			fields=["name", "customer_name"],
		)
		self.company = frappe.defaults.get_global_default("company")
		self.rows: list[tuple] = []

	def add(self, index: int, technician: str | None, start: datetime.datetime | None, branch: str) -> None:
		rng = self.rng
		customer = rng.choice(self.customers)
		priority = rng.choice(["Urgent", "High", "Medium", "Medium", "Low"])
		rank = ["Urgent", "High", "Medium", "Low"].index(priority) + 1
		if technician:
			end = start + datetime.timedelta(hours=1)
			if start < self.now:
				status = "Cancelled" if rng.random() < 0.1 else "Completed"
			else:
				status = rng.choice(["Scheduled", "Dispatched"])
			created = start - datetime.timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
			tech_name = f"Bench Technician {int(technician[len(EMP) :]):03d}"
		else:
			end, status, tech_name = None, "New", None
			created = self.now - datetime.timedelta(minutes=rng.randint(10, 365 * 24 * 60))
		self.rows.append(
			(f"{JOB}{index:07d}", "SJ-.YYYY.-", customer.name, customer.customer_name, JOB_TYPE, priority, rank,
			 status, self.company, DISPATCHER, branch, technician, tech_name, start, end, 60 if technician else 0,
			 created, created, "Administrator", "Administrator", 0)
		)  # fmt: skip

	def free_hour(self, technician: str, day: datetime.date) -> datetime.datetime | None:
		hours = list(HOURS)
		self.rng.shuffle(hours)
		for hour in hours:
			start = datetime.datetime.combine(day, datetime.time(hour))
			if (technician, start) not in self.taken:
				self.taken.add((technician, start))
				return start
		return None


FIELDS = ["name", "naming_series", "customer", "customer_name", "job_type", "priority", "priority_rank", "status",
		  "company", "job_owner", "branch", "technician", "technician_name", "scheduled_start", "scheduled_end",
		  "duration_minutes", "creation", "modified", "owner", "modified_by", "docstatus"]  # fmt: skip


def grow_to(frappe, size: int, now: datetime.datetime, today: datetime.date) -> None:
	have = frappe.db.count("Service Job", {"name": ("like", f"{JOB}%")})
	if have >= size:
		return
	jobs = Jobs(frappe, now, size)
	techs = technician_names()
	week = measured_week(today)
	week_days = {week + datetime.timedelta(days=d) for d in range(7)}
	index = have
	if have == 0:  # the measured week: 4 jobs of each of the branch's technicians, Monday to Thursday
		branch_techs = [t for i, t in enumerate(techs) if branch_of(i) == BRANCH]
		for technician in branch_techs:
			for d in range(WEEK_JOBS // len(branch_techs)):
				jobs.add(
					index, technician, jobs.free_hour(technician, week + datetime.timedelta(days=d)), BRANCH
				)
				index += 1
		for branch in BRANCHES:  # a pool of POOL_JOBS a branch at the smallest size already
			for _ in range(POOL_JOBS):
				jobs.add(index, None, None, branch)
				index += 1
	first = today - datetime.timedelta(days=300)
	while index < size:
		if jobs.rng.random() < POOL_SHARE:
			jobs.add(index, None, None, jobs.rng.choice(BRANCHES))
			index += 1
			continue
		i = jobs.rng.randrange(TECHNICIANS)
		day = first + datetime.timedelta(days=jobs.rng.randrange(365))
		if day in week_days or day.weekday() >= 5:
			continue
		start = jobs.free_hour(techs[i], day)
		if start is None:
			continue
		jobs.add(index, techs[i], start, branch_of(i))
		index += 1
	frappe.db.bulk_insert("Service Job", FIELDS, jobs.rows, chunk_size=5000)
	frappe.db.commit()
	frappe.db.sql("analyze table `tabService Job`")


def as_dispatcher(frappe, fn):
	def run():
		frappe.set_user(DISPATCHER)
		try:
			return fn()
		finally:
			frappe.set_user("Administrator")

	return run


def measured(frappe, fn, repeat: int) -> tuple[float, float]:
	"""(lowest of three medians in ms, tracemalloc peak MB of one call)."""
	ms = min(timed(fn, repeat) for _ in range(3))
	tracemalloc.start()
	fn()
	_current, peak = tracemalloc.get_traced_memory()
	tracemalloc.stop()
	return ms, peak / 2**20


def figures(frappe, today: datetime.date) -> dict:
	from korus_crm.field_service import dispatch

	week = measured_week(today)
	branch_techs = [t for i, t in enumerate(technician_names()) if branch_of(i) == BRANCH]
	# a pool job of the branch, dropped on a free hour: Friday 15:00 of the measured week
	pool_job = frappe.db.get_value(
		"Service Job",
		{"name": ("like", f"{JOB}%"), "status": "New", "branch": BRANCH},
		"name",
		order_by="name",
	)
	slot = f"{week + datetime.timedelta(days=4)} 15:00:00"

	def board():
		data = dispatch.board(week, "week", BRANCH)
		assert len(data["technicians"]) == len(branch_techs), len(data["technicians"])
		return data

	def board_dense():
		return dispatch.board(dense_week(today), "week", BRANCH)

	def pool():
		rows = dispatch.pool(branch=BRANCH)
		assert len(rows) == 50, len(rows)

	def assign():
		with patch.object(frappe.db, "commit", lambda *a, **k: None):
			block = dispatch.schedule_job(pool_job, branch_techs[0], slot)
		assert block["status"] == "Scheduled", block
		frappe.db.rollback()

	return {
		"dispatch board, one branch, the measured week": as_dispatcher(frappe, board),
		"job pool, first page (one branch)": as_dispatcher(frappe, pool),
		"assignment with its overlap check (rolled back)": as_dispatcher(frappe, assign),
		"[info] dispatch board, a week as dense as the year": as_dispatcher(frappe, board_dense),
	}


def explain(frappe, today: datetime.date) -> None:
	from korus_crm.rules import field_service as rules

	week = measured_week(today)
	start, end = rules.board_range("week", week)
	techs = tuple(t for i, t in enumerate(technician_names()) if branch_of(i) == BRANCH)
	booked = tuple(sorted(rules.BOOKED))
	plans = {
		"board: the technicians' jobs in the week": (
			"""explain select name from `tabService Job` where technician in %(techs)s
			and scheduled_start < %(end)s and scheduled_end > %(start)s and status in %(booked)s""",
			{"techs": techs, "start": start, "end": end, "booked": booked},
		),
		"overlap check: one technician, one hour": (
			"""explain select name from `tabService Job` where technician in %(techs)s
			and scheduled_start < %(end)s and scheduled_end > %(start)s and status in %(booked)s and name != ''""",
			{
				"techs": techs[:1],
				"start": end - datetime.timedelta(hours=60),
				"end": end - datetime.timedelta(hours=59),
				"booked": booked,
			},
		),
		"pool: first page of a branch": (
			"""explain select name from `tabService Job` where status = 'New' and branch = %(branch)s
			order by priority_rank asc, creation asc limit 50""",
			{"branch": BRANCH},
		),
	}
	for label, (sql, values) in plans.items():
		print(f"\n-- EXPLAIN {label}")
		for row in frappe.db.sql(sql, values, as_dict=True):
			print(
				f"   {row.table!s:<14} type={row.type!s:<8} key={row.key!s:<30} rows={row.rows!s:<8} {row.Extra or ''}"
			)


def clean(frappe) -> None:
	print("removing the benchmark's rows", flush=True)
	frappe.db.sql("delete from `tabService Job` where name like %s", f"{JOB}%")
	frappe.db.sql("delete from `tabService Technician Skill` where parent like %s", f"{EMP}%")
	frappe.db.sql("delete from `tabService Technician` where name like %s", f"{EMP}%")
	frappe.db.sql("delete from `tabEmployee` where name like %s", f"{EMP}%")
	frappe.db.commit()


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--sizes", default="1000,100000")
	parser.add_argument("--repeat", type=int, default=30)
	parser.add_argument("--clean", action="store_true", help="remove the jobs and technicians afterwards")
	args = parser.parse_args()
	frappe = connect(args.site)
	from frappe.utils import getdate, now_datetime, nowdate

	sizes = [int(s) for s in args.sizes.split(",")]
	if frappe.db.count("Service Job", {"name": ("like", f"{JOB}%")}) > sizes[0]:
		print(f"removing the {JOB}* jobs of an earlier run", flush=True)
		frappe.db.sql("delete from `tabService Job` where name like %s", f"{JOB}%")
		frappe.db.commit()
	ensure_setup(frappe)
	now, today = now_datetime(), getdate(nowdate())
	results = {}
	for size in sizes:
		grow_to(frappe, size, now, today)
		count = frappe.db.count("Service Job", {"name": ("like", f"{JOB}%")})
		print(f"\n== {count} service jobs, {TECHNICIANS} technicians in {len(BRANCHES)} branches", flush=True)
		results[size] = {}
		for label, fn in figures(frappe, today).items():
			results[size][label] = measured(frappe, fn, args.repeat)
			ms, mb = results[size][label]
			print(f"  {label:<56} {ms:9.3f} ms {mb:7.2f} MB", flush=True)
	explain(frappe, today)
	small, large = results[sizes[0]], results[sizes[-1]]
	print(f"\n== ratios ({sizes[-1]} vs {sizes[0]})")
	for label in large:
		(ms_l, mb_l), (ms_s, mb_s) = large[label], small[label]
		ratio, memory = ms_l / ms_s, mb_l / mb_s if mb_s else 1.0
		verdict = "info" if label.startswith("[info]") else ("ok" if ratio <= 1.5 else "OVER 1.5")
		print(f"  {label:<56} time {ratio:5.2f}x  memory {memory:5.2f}x  {verdict}")
	if args.clean:
		clean(frappe)
	frappe.destroy()


if __name__ == "__main__":
	main()
