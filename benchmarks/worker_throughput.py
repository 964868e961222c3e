"""A bulk Korus job's throughput on RQ workers: the deals' bulk "assign" (korus_crm.deals.bulk.run_job,
each deal saved with its rules, one job per chunk of deals) drained by 1 and by 2 workers.

Run by hand, as the bench's owner, with the bench's Python, against your own site:

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/worker_throughput.py --site hF.localhost

It does not touch the bench's own workers, scheduler or Redis: it starts a redis-server of its own on
127.0.0.1:--port (default 11999, nothing saved to disk), queues the jobs there (on the queue name
Frappe's "long" queue has, but in that Redis), and starts its own workers (rq's Worker in burst mode,
as `bench worker` does, without the scheduler) pointed at it; the jobs run against the site's
database like any job. The first run makes --deals deals (titles "Worker bench ...", committed, kept
for the next runs) and two owners; each round assigns them all to the other owner, so every save
changes the deal. The notices the jobs leave (one per job) are deleted afterwards.

Figures: records/s and jobs drained per minute, from the first job's start to the last job's end
(RQ's own timestamps), for 1 and 2 workers, and the ratio. The machine is shared: rerun on a quiet
machine for final figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[1]))

OWNERS = ("worker-bench-a@korus.invalid", "worker-bench-b@korus.invalid")
TITLE = "Worker bench"
JOB = "korus_crm.deals.bulk.run_job"


def redis_url(port: int) -> str:
	return f"redis://127.0.0.1:{port}"


def start_redis(port: int) -> subprocess.Popen:
	server = shutil.which("redis-server") or "/usr/bin/redis-server"
	args = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
	proc = subprocess.Popen([*args, "--dir", "/tmp"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
	import redis

	for _ in range(50):
		try:
			redis.Redis.from_url(redis_url(port)).ping()
			return proc
		except redis.exceptions.ConnectionError:
			time.sleep(0.1)
	proc.terminate()
	raise SystemExit(f"redis-server did not start on 127.0.0.1:{port} (port in use?)")


def use_private_redis(frappe, port: int):
	"""Point this process's Frappe queue connection at our Redis (a module-level connection Frappe
	keeps for the process: every enqueue and the worker use it)."""
	from frappe.utils import background_jobs

	frappe.local.conf.redis_queue = redis_url(port)
	background_jobs._redis_queue_conn = None
	return background_jobs.get_redis_conn()


def ensure_deals(frappe, count: int) -> list[str]:
	from korus_crm.setup.site import ensure_setup_complete

	ensure_setup_complete()
	for user in OWNERS:
		if not frappe.db.exists("User", user):
			frappe.get_doc(
				{"doctype": "User", "email": user, "first_name": user.split("@")[0], "send_welcome_email": 0,
				 "roles": [{"role": "Sales User"}]}
			).insert(ignore_permissions=True)  # fmt: skip
	names = frappe.get_all(
		"Opportunity", filters={"title": ("like", f"{TITLE}%")}, pluck="name", order_by="name"
	)
	if len(names) < count:
		customer = (
			frappe.db.get_value("Customer", {"customer_name": TITLE})
			or frappe.get_doc(  # owned by a bench user: not in the pool sales users see
				{
					"doctype": "Customer",
					"customer_name": TITLE,
					"customer_type": "Company",
					"account_manager": OWNERS[0],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		company = frappe.defaults.get_global_default("company")
		for i in range(len(names), count):
			frappe.get_doc(
				{"doctype": "Opportunity", "opportunity_from": "Customer", "party_name": customer,
				 "company": company, "title": f"{TITLE} {i:05d}", "opportunity_owner": OWNERS[0],
				 "opportunity_amount": 1000}
			).insert(ignore_permissions=True)  # fmt: skip
			if i % 100 == 0:
				frappe.db.commit()
		frappe.db.commit()
		names = frappe.get_all(
			"Opportunity", filters={"title": ("like", f"{TITLE}%")}, pluck="name", order_by="name"
		)
	return names[:count]


def queue_jobs(frappe, conn, names: list[str], per_job: int, owner: str) -> list[str]:
	from frappe.utils.background_jobs import generate_qname
	from rq import Queue

	from korus_crm import jobs

	queue = Queue(generate_qname(jobs.JOBS[JOB][0]), connection=conn)
	queue.empty()
	ids = []
	for start in range(0, len(names), per_job):
		chunk = names[start : start + per_job]
		job = frappe.enqueue(
			JOB,
			queue=jobs.JOBS[JOB][0],
			timeout=3600,
			action="assign",
			names=chunk,
			args={"owner": owner},
			**{jobs.USER_ARG: "Administrator"},
		)
		ids.append(job.id)
	return ids


def run_workers(site: str, port: int, workers: int) -> None:
	python = sys.executable
	procs = [
		subprocess.Popen([python, str(HERE), "--site", site, "--port", str(port), "--as-worker"])
		for _ in range(workers)
	]
	for proc in procs:
		if proc.wait() != 0:
			raise SystemExit(f"a worker failed (exit {proc.returncode})")


def worker_main(site: str, port: int) -> None:
	"""One RQ worker in burst mode on our Redis's long queue (what `bench worker --queue long` runs,
	without the scheduler), exiting when the queue is empty."""
	import frappe
	from frappe.utils.background_jobs import generate_qname
	from leads_at_scale import BENCH
	from rq import Worker

	os.chdir(BENCH / "sites")
	frappe.init(site=site, sites_path=".")
	conn = use_private_redis(frappe, port)
	queue = generate_qname("long")
	frappe.destroy()
	Worker([queue], connection=conn).work(burst=True, logging_level="WARNING")


def measure(frappe, conn, ids: list[str], records: int) -> dict:
	from rq.job import Job

	jobs_ = [Job.fetch(i, connection=conn) for i in ids]
	failed = [j.id for j in jobs_ if j.get_status() != "finished"]
	if failed:
		raise SystemExit(f"{len(failed)} jobs did not finish, e.g. {failed[0]}: {jobs_[0].exc_info}")
	results = [j.return_value() for j in jobs_]
	refused = sum(len(r["failed"]) for r in results)
	span = (max(j.ended_at for j in jobs_) - min(j.started_at for j in jobs_)).total_seconds()
	return {
		"seconds": span,
		"records_per_s": records / span,
		"jobs_per_min": len(ids) * 60 / span,
		"refused": refused,
	}


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--site", default=os.environ.get("KORUS_SITE", "hF.localhost"))
	parser.add_argument("--port", type=int, default=11999, help="port of the benchmark's own Redis")
	parser.add_argument("--deals", type=int, default=400)
	parser.add_argument("--per-job", type=int, default=20)
	parser.add_argument("--as-worker", action="store_true", help=argparse.SUPPRESS)
	opts = parser.parse_args()
	if opts.as_worker:
		worker_main(opts.site, opts.port)
		return

	from leads_at_scale import connect

	redis_proc = start_redis(opts.port)
	frappe = connect(opts.site)
	try:
		conn = use_private_redis(frappe, opts.port)
		names = ensure_deals(frappe, opts.deals)
		started = frappe.utils.now_datetime()
		figures = {}
		for workers in (1, 2):
			current = frappe.db.get_value("Opportunity", names[0], "opportunity_owner")
			owner = OWNERS[1] if current == OWNERS[0] else OWNERS[0]
			ids = queue_jobs(frappe, conn, names, opts.per_job, owner)
			run_workers(opts.site, opts.port, workers)
			frappe.db.rollback()  # a fresh snapshot: see what the workers committed
			figures[workers] = measure(frappe, conn, ids, len(names))
			moved = frappe.db.count("Opportunity", {"name": ("in", names), "opportunity_owner": owner})
			figures[workers]["assigned"] = moved
		frappe.db.delete(
			"Notification Log",
			{"for_user": "Administrator", "creation": (">=", started), "document_type": "Opportunity"},
		)
		frappe.db.commit()
	finally:
		redis_proc.terminate()
		redis_proc.wait()
		frappe.destroy()

	jobs_count = -(-len(names) // opts.per_job)
	print(
		f"\nWorker throughput on {opts.site}: bulk assign of {len(names)} deals, {jobs_count} jobs of {opts.per_job}"
	)
	print(f"{'workers':>8} {'seconds':>8} {'records/s':>10} {'jobs/min':>9} {'assigned':>9} {'refused':>8}")
	for workers, f in figures.items():
		print(
			f"{workers:>8} {f['seconds']:>8.1f} {f['records_per_s']:>10.1f} {f['jobs_per_min']:>9.1f}"
			f" {f['assigned']:>9} {f['refused']:>8}"
		)
	ratio = figures[2]["records_per_s"] / figures[1]["records_per_s"]
	print(f"2 workers / 1 worker: {ratio:.2f}x (CPUs: {os.cpu_count()}; provisional on a shared machine)")


if __name__ == "__main__":
	main()
