"""Customers at scale (issue 11): the pool list's first page, a claim, "my customers due for contact",
the daily return job and a duplicate check, at 1k and 100k customers (3 follow-ups each: 300k at
100k), with ERPNext's own customer list beside them and the query plans (EXPLAIN).

Run by hand, as the bench's owner, with the bench's Python, against a dedicated site (it adds 20
Sales Users, a pool, the customers and follow-ups; the site's setup is completed if it is not):

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/customers_at_scale.py --site custbench.localhost

What grows and what does not: half the customers are in the pool, half owned by the 20 users; every
owned customer's return date lies in the next 30 days except DUE of them, due today, at both sizes.
The return job is also run with 10x as many due (at the largest size), to show that its time follows
the due customers, not the table. Targets: each figure at 100k costs at most 1.5x what it costs at 1k.

Each figure is the lowest of three medians (the machine is shared). Lists are read as the desk reads
them (frappe.get_list: the user's permission conditions, here a Sales User with data scope Own, who
reads the pool's customers as a member); the claim and the return job are rolled back after each run.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leads_at_scale import connect, timed

USERS = [f"cust-bench-{i:02d}@korus.invalid" for i in range(20)]
ME = USERS[0]
POOL = "Bench Pool"
PREFIX = "CUST-BENCH-"
DUE = 50
FOLLOW_UPS_EACH = 3
LIST_FIELDS = ["name", "customer_name", "korus_status", "korus_level", "account_manager", "korus_next_contact_at", "modified"]  # fmt: skip


def steady(fn, repeat: int, rounds: int = 3) -> float:
	return min(timed(fn, repeat) for _ in range(rounds))


def ensure_setup(frappe) -> None:
	from korus_crm.customers import pool
	from korus_crm.setup.site import ensure_setup_complete

	ensure_setup_complete()
	for user in USERS:
		if not frappe.db.exists("User", user):
			frappe.get_doc(
				{"doctype": "User", "email": user, "first_name": user.split("@")[0], "send_welcome_email": 0,
				 "roles": [{"role": "Sales User"}]}
			).insert(ignore_permissions=True)  # fmt: skip
	if not frappe.db.exists("Customer Pool", POOL):
		frappe.get_doc(
			{"doctype": "Customer Pool", "pool_name": POOL, "auto_return": 1, "notify_days_before": 3,
			 "previous_owner_block_days": 7, "max_owned_per_user": 0, "daily_claim_limit": 0,
			 "members": [{"member_type": "User", "user": u} for u in USERS],
			 "rules": [{"basis": "Follow-up", "days": 30}]}
		).insert(ignore_permissions=True)  # fmt: skip
	# the Sales User reads their own customers, and their pool's as a member
	if frappe.db.exists("Korus Role Scope", "Sales User"):
		frappe.delete_doc("Korus Role Scope", "Sales User", ignore_permissions=True)
	frappe.get_doc({"doctype": "Korus Role Scope", "role": "Sales User", "default_scope": "Own"}).insert(
		ignore_permissions=True
	)
	frappe.db.commit()
	pool.forget_pools()


def grow_to(frappe, size: int, now, today) -> None:
	from frappe.utils import add_days, add_to_date

	from korus_crm.rules import duplicates

	rng = random.Random(size)
	have = frappe.db.count("Customer", {"name": ("like", f"{PREFIX}%")})
	group = frappe.db.get_value("Customer Group", {"is_group": 0}) or frappe.db.get_value(
		"Customer Group", {}
	)
	territory = frappe.db.get_value("Territory", {"is_group": 0}) or frappe.db.get_value("Territory", {})
	customers, follow_ups = [], []
	for i in range(have, size):
		name = f"{PREFIX}{i:07d}"
		title = f"Bench Company {i} Sp. z o.o."
		owned = i % 2 == 1
		owner = USERS[i % len(USERS)] if owned else None
		created = add_to_date(now, days=-rng.randint(40, 900))
		due = today if owned and i < 2 * DUE else (add_days(today, rng.randint(1, 30)) if owned else None)
		next_contact = add_to_date(now, hours=rng.randint(-72, 24 * 40)) if owned else None
		customers.append(
			(name, title, "Company", group, territory, POOL, 0 if owned else 1, owner,
			 add_to_date(now, days=-rng.randint(31, 60)) if owned else None, due, next_contact,
			 add_to_date(now, days=-rng.randint(1, 29)) if owned else None, rng.choice(["Potential", "Developing", "Won"]),
			 duplicates.name_key(title), duplicates.phone_key(f"+48 {600000000 + i}"), created, created, "Administrator", "Administrator", 0)
		)  # fmt: skip
		for k in range(FOLLOW_UPS_EACH):
			at = add_to_date(created, days=k * 7 + 1)
			follow_ups.append(
				(f"{name}-F{k}", name, title, rng.choice(["Call", "Visit", "Email"]), f"Follow-up {k} of {title}", at,
				 owner or USERS[0], None, 1, at, at, owner or USERS[0], owner or USERS[0], 0)
			)  # fmt: skip
	if customers:
		frappe.db.bulk_insert(
			"Customer",
			["name", "customer_name", "customer_type", "customer_group", "territory", "korus_pool", "korus_in_pool",
			 "account_manager", "korus_owner_since", "korus_return_due_on", "korus_next_contact_at",
			 "korus_last_followup_at", "korus_status", "korus_name_key", "korus_phone_key", "creation", "modified",
			 "owner", "modified_by", "docstatus"],
			customers, chunk_size=5000,
		)  # fmt: skip
		frappe.db.bulk_insert(
			"Customer Follow-up",
			["name", "customer", "customer_name", "method", "content", "followed_up_at", "followed_up_by",
			 "next_contact_at", "reminder_sent", "creation", "modified", "owner", "modified_by", "docstatus"],
			follow_ups, chunk_size=5000,
		)  # fmt: skip
	frappe.db.commit()
	frappe.db.sql("analyze table `tabCustomer`, `tabCustomer Follow-up`, `tabCustomer Owner Log`")


def as_user(frappe, user, fn):
	frappe.set_user(user)
	try:
		return fn()
	finally:
		frappe.set_user("Administrator")


def no_commit(frappe):
	return patch.object(frappe.db, "commit", lambda *a, **k: None)


def costs(frappe, now, today, repeat: int) -> dict[str, float]:
	from frappe.utils import add_to_date

	from korus_crm.customers import duplicates, pool

	out = {}
	pool_list = dict(
		fields=LIST_FIELDS, filters={"korus_pool": POOL, "korus_in_pool": 1}, order_by="`tabCustomer`.`modified` desc",
		limit_page_length=20,
	)  # fmt: skip
	out["pool list, first page (member, scope Own)"] = steady(
		lambda: as_user(frappe, ME, lambda: frappe.get_list("Customer", **pool_list)), repeat
	)
	out["ERPNext's customer list, first page (Administrator)"] = steady(
		lambda: frappe.get_list(
			"Customer", fields=LIST_FIELDS, order_by="`tabCustomer`.`modified` desc", limit_page_length=20
		),
		repeat,
	)
	due_for_contact = dict(
		fields=LIST_FIELDS,
		filters=[["account_manager", "=", ME], ["korus_next_contact_at", "<=", add_to_date(now, days=7)]],
		order_by="`tabCustomer`.`korus_next_contact_at` asc",
		limit_page_length=20,
	)
	out["my customers due for contact, first page"] = steady(
		lambda: as_user(frappe, ME, lambda: frappe.get_list("Customer", **due_for_contact)), repeat
	)
	free = frappe.get_all("Customer", filters={"korus_pool": POOL, "korus_in_pool": 1, "name": ("like", f"{PREFIX}%")},
						  pluck="name", limit=200, order_by="name desc")  # fmt: skip
	picks = iter(free * 1000)

	def claim():
		with no_commit(frappe):
			as_user(frappe, USERS[1], lambda: pool.claim(next(picks)))
		frappe.db.rollback()

	out["one claim"] = steady(claim, max(5, repeat // 10))
	probe = {"customer_name": "BENCH COMPANY 77 sp z o o", "office_phone": "+48 600 000 077"}
	out["duplicate check (name, phone)"] = steady(
		lambda: as_user(frappe, ME, lambda: duplicates.find_duplicates("Customer", probe)), repeat
	)

	def return_job(expected: int):
		def run():
			with no_commit(frappe):
				returned = pool.return_due_customers(today)
			frappe.db.rollback()
			assert sum(len(v) for v in returned.values()) == expected, returned

		return run

	out[f"daily return job ({DUE} due)"] = steady(return_job(DUE), 3, rounds=2)
	return out


def return_job_with_more_due(frappe, today, factor: int = 10) -> float:
	"""The return job at the same size with `factor` times as many customers due."""
	from korus_crm.customers import pool

	extra = frappe.db.sql(
		"""select name from `tabCustomer` where name like %s and korus_in_pool = 0 and korus_return_due_on > %s
		order by name limit %s""",
		(f"{PREFIX}%", today, DUE * (factor - 1)),
		pluck=True,
	)
	frappe.db.sql("update `tabCustomer` set korus_return_due_on = %s where name in %s", (today, tuple(extra)))

	def run():
		with patch.object(frappe.db, "commit", lambda *a, **k: None):
			returned = pool.return_due_customers(today)
		assert sum(len(v) for v in returned.values()) == DUE * factor
		frappe.db.rollback()
		frappe.db.sql(
			"update `tabCustomer` set korus_return_due_on = %s where name in %s", (today, tuple(extra))
		)

	cost = steady(run, 2, rounds=2)
	frappe.db.rollback()
	return cost


def explain(frappe, now, today) -> None:
	from frappe.utils import add_to_date

	plans = {
		"return job: due rows": frappe.db.sql(
			"""explain select name, account_manager, korus_pool from `tabCustomer`
			where korus_in_pool = 0 and korus_return_due_on <= %s and korus_deleted = 0
			order by korus_return_due_on, name limit 500""",
			today,
			as_dict=True,
		),
	}
	frappe.set_user(ME)
	pool_sql = frappe.get_list(
		"Customer", fields=LIST_FIELDS, filters={"korus_pool": POOL, "korus_in_pool": 1},
		order_by="`tabCustomer`.`modified` desc", limit_page_length=20, run=0,
	)  # fmt: skip
	due_sql = frappe.get_list(
		"Customer", fields=LIST_FIELDS,
		filters=[["account_manager", "=", ME], ["korus_next_contact_at", "<=", add_to_date(now, days=7)]],
		order_by="`tabCustomer`.`korus_next_contact_at` asc", limit_page_length=20, run=0,
	)  # fmt: skip
	frappe.set_user("Administrator")
	plans["pool list, first page"] = frappe.db.sql(f"explain {pool_sql}", as_dict=True)
	plans["my customers due for contact"] = frappe.db.sql(f"explain {due_sql}", as_dict=True)
	plans["duplicate check by name key"] = frappe.db.sql(
		"explain select name from `tabCustomer` where korus_name_key in ('bench company 77')", as_dict=True
	)
	for label, rows in plans.items():
		print(f"\n-- EXPLAIN {label}")
		for row in rows:
			print(
				f"   {row.table!s:<22} type={row.type!s:<12} key={row.key!s:<32} rows={row.rows!s:<8} {row.Extra or ''}"
			)


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--sizes", default="1000,100000")
	parser.add_argument("--repeat", type=int, default=100)
	args = parser.parse_args()
	frappe = connect(args.site)
	from frappe.utils import getdate, now_datetime, nowdate

	ensure_setup(frappe)
	now, today = now_datetime(), getdate(nowdate())
	sizes = [int(s) for s in args.sizes.split(",")]
	if frappe.db.count("Customer", {"name": ("like", f"{PREFIX}%")}) > sizes[0]:
		print(f"removing the {PREFIX}* customers of an earlier run", flush=True)
		frappe.db.sql("delete from `tabCustomer Follow-up` where customer like %s", f"{PREFIX}%")
		frappe.db.sql("delete from `tabCustomer Owner Log` where customer like %s", f"{PREFIX}%")
		frappe.db.sql("delete from `tabCustomer` where name like %s", f"{PREFIX}%")
		frappe.db.commit()
	results = {}
	for size in sizes:
		grow_to(frappe, size, now, today)
		print(f"\n== {size} customers ({size * FOLLOW_UPS_EACH} follow-ups), {DUE} due today", flush=True)
		results[size] = costs(frappe, now, today, args.repeat)
		for label, ms in results[size].items():
			print(f"  {label:<52} {ms:9.3f} ms", flush=True)
	more = return_job_with_more_due(frappe, today)
	print(f"\n== {sizes[-1]} customers, {DUE * 10} due today")
	print(f"  {'daily return job (' + str(DUE * 10) + ' due)':<52} {more:9.3f} ms")
	explain(frappe, now, today)
	small, large = results[sizes[0]], results[sizes[-1]]
	print(f"\n== ratios ({sizes[-1]} vs {sizes[0]})")
	for label in large:
		ratio = large[label] / small[label]
		print(f"  {label:<52} {ratio:5.2f}x{'  ok' if ratio <= 1.5 else '  OVER 1.5'}")
	job = f"daily return job ({DUE} due)"
	print(
		f"  return job at {sizes[-1]}: {DUE * 10} due vs {DUE} due  {more / large[job]:5.2f}x (grows with the due customers)"
	)
	frappe.destroy()


if __name__ == "__main__":
	main()
