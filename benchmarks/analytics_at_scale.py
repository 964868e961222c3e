"""Analytics at scale (issue 12): every figure of the CRM dashboard, the forecast, the per-employee
statistics, targets vs achieved and the stage duration report, at 1k and at 100k deals, with
ERPNext's own Sales Pipeline Analytics beside them on the same data.

Run by hand, as the bench's owner, with the bench's Python, against a dedicated site (it adds a
pipeline, deals with their stage history, leads, customers and two users, and leaves them):

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/analytics_at_scale.py --site anbench.localhost

At each size N (default 1,000 then 100,000): N deals (each with two stage-history rows: created in
its first stage, moved on), N leads and N/5 customers, bulk inserted over the last year and spread
over 20 owners, then the maintained aggregates rebuilt (counts.recount_all, as migrate and the daily
job do). Measured as a Sales Manager (reads everything) and, for the cards, as a Sales User with data
scope Own: each figure's median time of --repeat calls and its memory (tracemalloc's peak of one
call). Reports run through frappe.desk.query_report.run as a user, as the desk runs them; a report
that does not exist (yet) prints "missing".

Targets (printed with the ratios): every card, chart, the forecast, the per-employee statistics for
one month and the targets report at 100k cost <= 1.5x their 1k cost and are >= 10x faster than
ERPNext's Sales Pipeline Analytics at 100k; the stage duration report for a quarter at 100k >= 10x
faster than before (--before-duration-ms, the issue's 510 ms) and every figure's memory at 100k
within 1.5x of its 1k figure.
"""

from __future__ import annotations

import argparse
import random
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leads_at_scale import connect, timed

PIPELINE = "Analytics Bench"
STAGES = [  # name, share, probability, flags
	("Qualification", 40, 10, {"is_default": 1}),
	("Proposal", 25, 60, {}),
	("Negotiation", 5, 80, {}),
	("Won", 18, 100, {"is_won": 1}),
	("Lost", 12, 0, {"is_lost": 1}),
]
OWNERS = [f"an-bench-{i:02d}@korus.invalid" for i in range(20)]
MANAGER = "an-bench-manager@korus.invalid"
SCOPED = OWNERS[0]
SOURCES = ["Bench Web", "Bench Fair", "Bench Referral"]


def ensure_setup(frappe) -> None:
	from korus_crm.setup.site import ensure_setup_complete
	from tests.integration.support import set_scope

	ensure_setup_complete()
	for user, roles in [(MANAGER, ["Sales User", "Sales Manager"]), *((u, ["Sales User"]) for u in OWNERS)]:
		if not frappe.db.exists("User", user):
			frappe.get_doc(
				{"doctype": "User", "email": user, "first_name": user.split("@")[0], "send_welcome_email": 0,
				 "roles": [{"role": r} for r in roles]}
			).insert(ignore_permissions=True)  # fmt: skip
	if not frappe.db.exists("Deal Pipeline", PIPELINE):
		frappe.get_doc(
			{"doctype": "Deal Pipeline", "pipeline_name": PIPELINE,
			 "stages": [{"stage_name": n, "probability": p, **flags} for n, _w, p, flags in STAGES]}
		).insert()  # fmt: skip
	for source in SOURCES:
		if not frappe.db.exists("Lead Source", source):
			frappe.get_doc({"doctype": "Lead Source", "source_name": source}).insert()
	if frappe.db.get_value("Korus Role Scope", "Sales User", "default_scope") != "Own":
		set_scope("Sales User", "Own")
	frappe.db.commit()


def grow_to(frappe, size: int) -> None:
	"""Deals (with stage history), leads and customers up to `size`, `size`, `size // 5`."""
	from frappe.utils import add_to_date, now_datetime

	from korus_crm.boards import counts

	rng = random.Random(size)
	start = now_datetime()
	company = frappe.defaults.get_global_default("company")
	currency = frappe.get_cached_value("Company", company, "default_currency")
	stage_names = {
		n: frappe.db.get_value("Deal Stage", {"pipeline": PIPELINE, "stage_name": n}) for n, *_ in STAGES
	}
	weighted = [(n, p) for n, w, p, _f in STAGES for _ in range(w)]

	def when():
		return add_to_date(start, seconds=-rng.randint(0, 365 * 24 * 3600))

	have = frappe.db.count("Customer", {"name": ("like", "AN-BENCH-CUST-%")})
	fields = ["name", "customer_name", "customer_type", "customer_group", "territory", "account_manager",
			  "disabled", "creation", "modified", "owner", "modified_by", "docstatus"]  # fmt: skip
	group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name") or "All Customer Groups"
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name") or "All Territories"
	rows = []
	for i in range(have, size // 5):
		t = when()
		rows.append((f"AN-BENCH-CUST-{i:07d}", f"Bench Customer {i}", rng.choice(["Company", "Individual"]),
					 group, territory, rng.choice(OWNERS), int(rng.random() < 0.1), t, t, "Administrator",
					 "Administrator", 0))  # fmt: skip
	frappe.db.bulk_insert("Customer", fields, rows, chunk_size=5000)
	customer = "AN-BENCH-CUST-0000000"

	have = frappe.db.count("Lead", {"name": ("like", "AN-BENCH-LEAD-%")})
	statuses = frappe.get_all("Lead Status", pluck="name") or [None]
	fields = ["name", "first_name", "lead_name", "lead_status", "status", "source", "qualification_status",
			  "lead_owner", "estimated_value", "company", "creation", "modified", "owner", "modified_by",
			  "docstatus", "naming_series"]  # fmt: skip
	rows = []
	for i in range(have, size):
		t = when()
		rows.append((f"AN-BENCH-LEAD-{i:07d}", f"Lead {i}", f"Lead {i}", rng.choice(statuses), "Lead",
					 rng.choice([*SOURCES, None]), rng.choice(["Unqualified", "In Process", "Qualified"]),
					 rng.choice(OWNERS), rng.randint(0, 100) * 10, company, t, t, "Administrator",
					 "Administrator", 0, "CRM-LEAD-.YYYY.-"))  # fmt: skip
	frappe.db.bulk_insert("Lead", fields, rows, chunk_size=5000)

	have = frappe.db.count("Opportunity", {"deal_pipeline": PIPELINE})
	fields = [
		"name", "naming_series", "opportunity_from", "party_name", "customer_name", "title", "status", "company",
		"currency", "conversion_rate", "opportunity_amount", "base_opportunity_amount", "probability",
		"deal_pipeline", "deal_stage", "sales_stage", "transaction_date", "expected_closing", "closed_on",
		"opportunity_owner", "creation", "modified", "owner", "modified_by", "docstatus",
	]  # fmt: skip
	history_fields = ["name", "deal", "pipeline", "from_stage", "to_stage", "entered_at", "left_at",
					  "changed_by", "deal_owner", "creation", "modified", "owner", "modified_by", "docstatus"]  # fmt: skip
	first = stage_names[STAGES[0][0]]
	rows, history = [], []
	for i in range(have, size):
		stage, probability = rng.choice(weighted)
		amount = rng.randint(1, 100) * 100
		t = when()
		moved = add_to_date(t, days=rng.randint(1, 30))
		closed = moved.date() if stage in ("Won", "Lost") else None
		status = {"Won": "Converted", "Lost": "Lost"}.get(stage, "Open")
		owner = rng.choice(OWNERS)
		name = f"AN-BENCH-OPP-{i:07d}"
		rows.append((name, "CRM-OPP-.YYYY.-", "Customer", customer, customer, f"Deal {i}", status, company,
					 currency, 1, amount, amount, probability, PIPELINE, stage_names[stage], stage, t.date(),
					 add_to_date(t, days=rng.randint(10, 200)).date(), closed, owner, t, t, "Administrator",
					 "Administrator", 0))  # fmt: skip
		history.append((f"{name}-H1", name, PIPELINE, None, first, t, moved, "Administrator", owner, t, t,
						"Administrator", "Administrator", 0))  # fmt: skip
		history.append((f"{name}-H2", name, PIPELINE, first, stage_names[stage], moved, None, "Administrator",
						owner, moved, moved, "Administrator", "Administrator", 0))  # fmt: skip
	frappe.db.bulk_insert("Opportunity", fields, rows, chunk_size=5000)
	frappe.db.bulk_insert("Deal Stage History", history_fields, history, chunk_size=5000)
	# the scope columns (owners have no Employee: none) and the maintained aggregates
	counts.recount_all()
	frappe.db.commit()


def measured(frappe, fn, repeat: int) -> tuple[float, float]:
	"""(lowest of three medians in ms: the machine is shared, tracemalloc peak MB of one call)."""
	ms = min(timed(fn, repeat) for _ in range(3))
	frappe.local.korus_scope = {}
	tracemalloc.start()
	fn()
	_current, peak = tracemalloc.get_traced_memory()
	tracemalloc.stop()
	return ms, peak / 2**20


def report(frappe, name: str, filters: dict):
	from frappe.desk.query_report import run

	if not frappe.db.exists("Report", name):
		return None
	return lambda: run(name, filters=filters, ignore_prepared_report=True)


def figures(frappe) -> dict:
	"""{label: callable} of every figure measured."""
	from frappe.utils import add_months, get_first_day, get_last_day, getdate, nowdate

	from korus_crm.analytics import dashboard
	from korus_crm.api import cards

	today = getdate(nowdate())
	month = (get_first_day(today), get_last_day(today))
	quarter = (add_months(today, -3), today)
	fiscal_year = frappe.db.get_value(
		"Fiscal Year", {"year_start_date": ("<=", today), "year_end_date": (">=", today)}, "name"
	)
	out = {
		f"card: {name[4:-5].replace('_', ' ')}": getattr(cards, name)
		for name in dir(cards)
		if name.startswith("get_") and name.endswith("_card")
	}
	out.update(
		{
			"chart: deals by month": dashboard.deals_by_month_chart,
			"chart: revenue by month": dashboard.revenue_by_month_chart,
			"chart: leads by source": dashboard.leads_by_source_chart,
			"chart: tasks by status": dashboard.tasks_by_status_chart,
			"chart: pipeline overview": dashboard.pipeline_overview_chart,
			"chart: pipeline value": dashboard.pipeline_value_chart,
			"recent activity": dashboard.recent_activity,
		}
	)
	reports = {
		"report: Deal Forecast": report(frappe, "Deal Forecast", {}),
		"report: Employee CRM Statistics (a month)": report(
			frappe, "Employee CRM Statistics", {"from_date": month[0], "to_date": month[1]}
		),
		"report: Target vs Achieved": report(
			frappe,
			"Target vs Achieved",
			{"fiscal_year": fiscal_year, "period": "Monthly", "metric": "Order Value"},
		),
		"report: Deal Stage Duration (a quarter)": report(
			frappe, "Deal Stage Duration", {"from_date": quarter[0], "to_date": quarter[1]}
		),
		# its own defaults (by owner, number of deals), over the last twelve months (its chart has
		# twelve slots: a longer range breaks it)
		"ERPNext: Sales Pipeline Analytics": report(
			frappe, "Sales Pipeline Analytics", erpnext_filters(frappe, "Number")
		),
		"ERPNext: Sales Pipeline Analytics (amount)": report(
			frappe, "Sales Pipeline Analytics", erpnext_filters(frappe, "Amount")
		),
	}
	out.update(reports)
	return out


def erpnext_filters(frappe, based_on: str) -> dict:
	from frappe.utils import add_months, get_first_day, getdate, nowdate

	today = getdate(nowdate())
	return {
		"pipeline_by": "Owner",
		"from_date": get_first_day(add_months(today, -11)),
		"to_date": today,
		"range": "Monthly",
		"based_on": based_on,
		"company": frappe.defaults.get_global_default("company"),
	}


def run_as(frappe, user: str, items: dict, repeat: int) -> dict:
	out = {}
	for label, fn in items.items():
		frappe.set_user(user)
		frappe.local.korus_scope = {}
		if fn is None:
			out[label] = None
			print(f"  {label:<52} missing", flush=True)
			continue
		try:
			ms, mb = measured(
				frappe, fn, max(3, repeat // 5) if label.startswith(("report", "ERPNext")) else repeat
			)
		except Exception as e:  # a report being written by another helper: say so, go on
			frappe.db.rollback()
			out[label] = None
			print(f"  {label:<52} failed: {type(e).__name__}: {str(e)[:80]}", flush=True)
			continue
		out[label] = (ms, mb)
		print(f"  {label:<52} {ms:9.2f} ms {mb:8.2f} MB", flush=True)
	frappe.set_user("Administrator")
	return out


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--sizes", default="1000,100000")
	parser.add_argument("--repeat", type=int, default=30)
	parser.add_argument("--before-duration-ms", type=float, default=510.0)
	args = parser.parse_args()
	frappe = connect(args.site)
	ensure_setup(frappe)
	sizes = [int(s) for s in args.sizes.split(",")]
	results = {}
	for size in sizes:
		grow_to(frappe, size)
		print(f"\n== {size} deals (and stage history), {size} leads, {size // 5} customers", flush=True)
		print(f" as a Sales Manager ({MANAGER})", flush=True)
		manager = run_as(frappe, MANAGER, figures(frappe), args.repeat)
		print(f" as a Sales User with scope Own ({SCOPED})", flush=True)
		cards_only = {k: v for k, v in figures(frappe).items() if k.startswith(("card", "chart"))}
		scoped = run_as(frappe, SCOPED, cards_only, args.repeat)
		results[size] = {**manager, **{f"{k} [own]": v for k, v in scoped.items()}}

	small, large = results[sizes[0]], results[sizes[-1]]
	erpnext = large.get("ERPNext: Sales Pipeline Analytics")
	print(f"\n== ratios ({sizes[-1]} vs {sizes[0]}); ERPNext's Sales Pipeline Analytics at {sizes[-1]}: "
		  f"{erpnext[0]:.1f} ms" if erpnext else "\n== ratios")  # fmt: skip
	print(f"  {'figure':<58} {'time':>7} {'memory':>7} {'vs ERPNext':>10}")
	for label in large:
		if large[label] is None or small.get(label) is None:
			print(f"  {label:<58} missing")
			continue
		(ms_l, mb_l), (ms_s, mb_s) = large[label], small[label]
		time_ratio, mem_ratio = ms_l / ms_s, (mb_l / mb_s if mb_s else 1.0)
		faster = erpnext[0] / ms_l if erpnext else float("nan")
		checks = []
		if label.startswith("ERPNext"):
			checks.append("reference")
		elif "Deal Stage Duration" in label:
			checks.append(
				"ok"
				if args.before_duration_ms / ms_l >= 10
				else f"only {args.before_duration_ms / ms_l:.1f}x faster than before"
			)
			checks.append("memory ok" if mem_ratio <= 1.5 else "memory OVER 1.5")
		else:
			checks.append("ok" if time_ratio <= 1.5 else "time OVER 1.5")
			checks.append("memory ok" if mem_ratio <= 1.5 else "memory OVER 1.5")
			checks.append("10x ok" if faster >= 10 else "under 10x")
		print(f"  {label:<58} {time_ratio:6.2f}x {mem_ratio:6.2f}x {faster:9.1f}x  {', '.join(checks)}")
	frappe.destroy()


if __name__ == "__main__":
	main()
