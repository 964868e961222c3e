"""Approval requests at scale: a manager's "awaiting me" and "my subordinates'" views and the count on
the workspace card, at 1k and 100k requests, in one run.

Run by hand, as the bench's owner, with the bench's Python, against a dedicated site (it adds 50
people with their Employee records in a Reports To tree, a General form type and up to 100,000
submitted requests with their step rows):

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/approvals_at_scale.py --site scope.localhost

The tree: a head, 9 managers reporting to the head, 40 staff reporting to the managers. Requests are
spread over the staff, a year back, most of them decided (approved or rejected), as a year of an
office's requests is; the measured manager has the same 25 requests waiting for them at every size
(an approver's queue does not grow with the history). Target: each call at 100k costs at most 1.5x
what it costs at 1k. ERPNext has no approval engine of this kind: its own figure beside ours is a
plain list of the same doctype by the Administrator (no scope, no join).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leads_at_scale import connect, timed

PEOPLE = [f"bench-appr-{i:02d}@korus.invalid" for i in range(50)]
HEAD, MANAGERS, STAFF = PEOPLE[0], PEOPLE[1:10], PEOPLE[10:]
MEASURED = MANAGERS[0]
FORM_TYPE = "Bench General"
WAITING = 25  # requests waiting for the measured manager, at every size


def manager_of(user: str) -> str:
	return MANAGERS[STAFF.index(user) % len(MANAGERS)]


def ensure_org(frappe) -> dict[str, str]:
	"""{user: employee}"""
	company = frappe.defaults.get_global_default("company")
	employees: dict[str, str] = {}
	frappe.flags.in_import = True  # Frappe throttles making more than 60 users an hour
	for user in PEOPLE:
		if not frappe.db.exists("User", user):
			frappe.get_doc(
				{"doctype": "User", "email": user, "first_name": user.split("@")[0], "send_welcome_email": 0,
				 "enabled": 1, "user_type": "System User", "roles": [{"role": "Employee"}]}
			).insert(ignore_permissions=True)  # fmt: skip
	frappe.db.set_value("User", {"name": ("in", PEOPLE)}, "enabled", 1)
	frappe.flags.in_import = False
	for user in [HEAD, *MANAGERS, *STAFF]:
		employee = frappe.db.get_value("Employee", {"user_id": user})
		if not employee:
			boss = (
				None if user == HEAD else employees[HEAD] if user in MANAGERS else employees[manager_of(user)]
			)
			employee = frappe.get_doc(
				{"doctype": "Employee", "first_name": user.split("@")[0], "company": company, "gender": "Other",
				 "date_of_birth": "1990-01-01", "date_of_joining": "2020-01-01", "status": "Active", "user_id": user,
				 "reports_to": boss, "create_user_permission": 0}
			).insert().name  # fmt: skip
		employees[user] = employee
	if not frappe.db.exists("Approval Form Type", FORM_TYPE):
		frappe.get_doc(
			{"doctype": "Approval Form Type", "form_type_name": FORM_TYPE, "form_kind": "General",
			 "steps": [{"step": 1, "approver_kind": "Direct Supervisor", "mode": "Any"}]}
		).insert()  # fmt: skip
	frappe.db.commit()
	return employees


def grow_to(frappe, size: int, employees: dict[str, str]) -> None:
	from frappe.utils import add_to_date, now_datetime

	rng = random.Random(size)
	start = now_datetime()
	company = frappe.defaults.get_global_default("company")
	currency = frappe.get_cached_value("Company", company, "default_currency")
	have = frappe.db.count("Approval Request", {"form_type": FORM_TYPE})
	requests, steps = [], []
	for i in range(have, size):
		submitter = STAFF[i % len(STAFF)]
		approver = manager_of(submitter)
		status = rng.choice(["Approved", "Approved", "Approved", "Rejected"])
		when = add_to_date(start, seconds=-rng.randint(3600, 365 * 24 * 3600))
		name = f"BENCH-APR-{i:07d}"
		requests.append((
			name, FORM_TYPE, "General", f"Request {i}", status, submitter, employees[submitter], company, currency,
			0, 0, when, when, when, submitter, approver, 1,
		))  # fmt: skip
		steps.append((
			f"{name}-1", name, "steps", "Approval Request", 1, 1, approver, status, "Any", when, when, when, 1,
		))  # fmt: skip
	if requests:
		frappe.db.bulk_insert(
			"Approval Request",
			["name", "form_type", "form_kind", "title", "status", "requested_by", "employee", "company", "currency",
			 "amount", "current_step", "decided_on", "creation", "modified", "owner", "modified_by", "docstatus"],
			requests, chunk_size=5000,
		)  # fmt: skip
		frappe.db.bulk_insert(
			"Approval Request Step",
			["name", "parent", "parentfield", "parenttype", "idx", "step", "approver", "status", "mode", "acted_on",
			 "creation", "modified", "docstatus"],
			steps, chunk_size=5000,
		)  # fmt: skip
	# the measured manager's queue: the WAITING newest of their requests pending, at every size
	frappe.db.sql(
		"update `tabApproval Request` r join `tabApproval Request Step` s on s.`parent` = r.`name`"
		" set r.`status` = 'Approved', s.`status` = 'Approved' where s.`status` = 'Pending'"
	)
	mine = frappe.get_all(
		"Approval Request Step", filters={"approver": MEASURED, "parenttype": "Approval Request"},
		pluck="parent", order_by="modified desc", limit_page_length=WAITING,
	)  # fmt: skip
	frappe.db.sql(
		"update `tabApproval Request` r join `tabApproval Request Step` s on s.`parent` = r.`name`"
		" set r.`status` = 'Pending', s.`status` = 'Pending' where r.`name` in %(mine)s",
		{"mine": tuple(mine)},
	)
	frappe.db.commit()


def costs(frappe, repeat: int) -> dict[str, float]:
	from korus_crm.requests import views

	def as_user(user, fn):
		"""A call as `user`, with what Korus works out once a request (scope, place, people) worked
		out again each call."""

		def call():
			if frappe.session.user != user:
				frappe.set_user(user)
			frappe.local.korus_scope = {}
			frappe.local.korus_people = {}
			return fn()

		return call

	try:
		return {
			"manager: awaiting me, first page": timed(as_user(MEASURED, lambda: views.get_view("Awaiting Me", 0, 20)), repeat),
			"manager: subordinates', first page": timed(as_user(MEASURED, lambda: views.get_view("My Subordinates", 0, 20)), repeat),
			"manager: all they read, first page": timed(as_user(MEASURED, lambda: views.get_view("All", 0, 20)), repeat),
			"manager: awaiting me, count (card)": timed(as_user(MEASURED, views.count_awaiting_me), repeat),
			"head: subordinates', first page": timed(as_user(HEAD, lambda: views.get_view("My Subordinates", 0, 20)), repeat),
			"staff: created by me, first page": timed(as_user(STAFF[0], lambda: views.get_view("Created by Me", 0, 20)), repeat),
			"staff: all they read, first page": timed(as_user(STAFF[0], lambda: views.get_view("All", 0, 20)), repeat),
		}  # fmt: skip
	finally:
		frappe.set_user("Administrator")


def erpnext_figure(frappe, repeat: int) -> float:
	"""The same doctype's first page as ERPNext's own list reads it for the Administrator."""
	return timed(
		lambda: frappe.get_list(
			"Approval Request",
			fields=["name", "title", "status"],
			order_by="modified desc",
			limit_page_length=20,
		),
		repeat,
	)


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--sizes", default="1000,100000")
	parser.add_argument("--repeat", type=int, default=50)
	args = parser.parse_args()
	frappe = connect(args.site)
	employees = ensure_org(frappe)
	sizes = [int(s) for s in args.sizes.split(",")]
	results, plain = {}, {}
	for size in sizes:
		grow_to(frappe, size, employees)
		print(f"\n== {size} approval requests ({len(STAFF)} staff, {len(MANAGERS)} managers)", flush=True)
		results[size] = costs(frappe, args.repeat)
		plain[size] = erpnext_figure(frappe, args.repeat)
		for label, ms in results[size].items():
			print(f"  {label:<32} {ms:8.3f} ms", flush=True)
		print(f"  {'(Administrator, plain list)':<32} {plain[size]:8.3f} ms", flush=True)
	small, large = results[sizes[0]], results[sizes[-1]]
	print(f"\n== ratios ({sizes[-1]} vs {sizes[0]})")
	for label in large:
		growth = large[label] / small[label]
		print(f"  {label:<32} {growth:5.2f}x{'  ok' if growth <= 1.5 else '  OVER 1.5'}")
	print(f"  {'(Administrator, plain list)':<32} {plain[sizes[-1]] / plain[sizes[0]]:5.2f}x")
	frappe.set_user(MEASURED)
	print("\n== EXPLAIN, awaiting me")
	from frappe.model.db_query import DatabaseQuery

	from korus_crm.requests import views

	query = DatabaseQuery("Approval Request").execute(
		filters=views.view_filters("Awaiting Me"), fields=["`tabApproval Request`.`name`"],
		order_by="`tabApproval Request`.`modified` desc", limit_page_length=20, distinct=True, run=False,
	)  # fmt: skip
	for row in frappe.db.sql(f"explain {query}", as_dict=True):
		print(f"  {row.get('table')}: key={row.get('key')} rows={row.get('rows')} {row.get('Extra') or ''}")
	frappe.destroy()


if __name__ == "__main__":
	main()
