"""Korus Tasks at scale: one reminder run, the "my subordinates'" and "mine" list first pages and the
overdue count, at 1k and 100k tasks, with the query plans (EXPLAIN) that show the indexes they use.

Run by hand, as the bench's owner, with the bench's Python, against a dedicated site (it adds 50
users with Employee records in 5 teams, and the tasks; the site's setup is completed if it is not):

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/tasks_at_scale.py --site tasksbench.localhost

What grows and what does not: the history (completed tasks) grows with the table; the work in hand
does not — at both sizes there are the same 600 open tasks ahead (12 per person), 100 open overdue
tasks whose notice went out already, and, for the reminder run, 20 reminders due before the due time
and 20 overdue notices (each to an assignee and an assigner: 80 notifications and 40 emails queued).
Targets: each figure at 100k costs at most 1.5x what it costs at 1k.

Each figure is the lowest of three medians (the machine is shared). Lists and the count are read as
the desk reads them (frappe.get_list with the view's filters, the
user's permission conditions, the doctype's sort), as a team leader (9 subordinates) and a team
member; the reminder run is korus_crm.tasks.reminders.run, rolled back after each run.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leads_at_scale import connect, timed

DOCTYPE = "Korus Task"
CHILD = "Korus Task Assignee"
TEAMS, TEAM_SIZE = 5, 10
USERS = [f"task-bench-{i:02d}@korus.invalid" for i in range(TEAMS * TEAM_SIZE)]
LEADER, MEMBER = USERS[0], USERS[1]  # team 0's leader and one of their people
OPEN_AHEAD, OPEN_OVERDUE, DUE_SOON, OVERDUE_PENDING = 600, 100, 20, 20
WORK_IN_HAND = OPEN_AHEAD + OPEN_OVERDUE + DUE_SOON + OVERDUE_PENDING
PREFIX = "KT-BENCH-"
LIST_FIELDS = ["name", "subject", "status", "priority", "due_at", "start_at", "assigned_to", "user_group", "assigned_by"]  # fmt: skip
BY_NAME = f"`tab{DOCTYPE}`.`name`"
SORT = f"`tab{DOCTYPE}`.`due_at` asc"


def ensure_people(frappe) -> None:
	"""50 Sales Users in 5 teams: each team's first user leads the other nine."""
	from korus_crm import people
	from korus_crm.setup.site import ensure_setup_complete

	ensure_setup_complete()
	company = frappe.defaults.get_global_default("company")
	for i, user in enumerate(USERS):
		if not frappe.db.exists("User", user):
			frappe.get_doc(
				{"doctype": "User", "email": user, "first_name": user.split("@")[0], "send_welcome_email": 0,
				 "roles": [{"role": "Sales User"}]}
			).insert(ignore_permissions=True)  # fmt: skip
		if not frappe.db.exists("Employee", {"user_id": user}):
			leader = USERS[(i // TEAM_SIZE) * TEAM_SIZE]
			reports_to = None if user == leader else frappe.db.get_value("Employee", {"user_id": leader})
			frappe.get_doc(
				{"doctype": "Employee", "first_name": user.split("@")[0], "company": company, "gender": "Other",
				 "date_of_birth": "1990-01-01", "date_of_joining": "2020-01-01", "status": "Active", "user_id": user,
				 "reports_to": reports_to, "create_user_permission": 0}
			).insert()  # fmt: skip
	if not frappe.db.exists("Email Account", {"default_outgoing": 1}):
		frappe.flags.in_test = True  # no SMTP login on save: mails are only queued here
		try:
			frappe.get_doc(
				{"doctype": "Email Account", "email_account_name": "Task Bench Outgoing",
				 "email_id": "tasks@korus.invalid", "enable_outgoing": 1, "default_outgoing": 1,
				 "smtp_server": "127.0.0.1", "no_smtp_authentication": 1}
			).insert(ignore_permissions=True)  # fmt: skip
		finally:
			frappe.flags.in_test = False
	frappe.db.commit()
	people.forget()


def task_rows(i: int, kind: str, now, rng: random.Random) -> tuple[tuple, list[tuple]]:
	"""One task (and its assignee row) of `kind`: history, ahead, overdue, due_soon, overdue_pending."""
	from frappe.utils import add_to_date

	assignee = USERS[i % len(USERS)]
	team_leader = USERS[(USERS.index(assignee) // TEAM_SIZE) * TEAM_SIZE]
	assigner = rng.choice([assignee, team_leader])
	status, remind_at, overdue_at, sent, notified, completed = "Open", None, None, 0, 0, None
	if kind == "history":
		due = add_to_date(now, minutes=-rng.randint(60, 3 * 365 * 24 * 60))
		status, sent, notified, completed = rng.choice(["Completed"] * 9 + ["Cancelled"]), 1, 0, due
	elif kind == "ahead":
		due = add_to_date(now, minutes=rng.randint(24 * 60, 60 * 24 * 60))
		remind_at, overdue_at = add_to_date(due, minutes=-30), due
	elif kind == "overdue":
		due = add_to_date(now, minutes=-rng.randint(60, 30 * 24 * 60))
		sent, notified = 1, 1
	elif kind == "due_soon":
		due = add_to_date(now, minutes=rng.randint(5, 25))
		remind_at, overdue_at = add_to_date(due, minutes=-30), due
	else:  # overdue_pending
		due = add_to_date(now, minutes=-rng.randint(1, 4))
		sent, overdue_at = 1, due
	name = f"{PREFIX}{i:07d}"
	created = add_to_date(due, days=-rng.randint(1, 20))
	task = (
		name, f"Bench task {i}", status, rng.choice(["Low", "Medium", "Medium", "High", "Urgent"]), assignee, assigner,
		add_to_date(due, hours=-2), due, 30, remind_at, overdue_at, sent, notified, completed,
		created, created, assigner, assigner, 0,
	)  # fmt: skip
	open_assignee = assignee if status == "Open" else None
	child = [(f"{name}-a", name, DOCTYPE, "assignees", 1, assignee, open_assignee, created, created, assigner, assigner, 0)]  # fmt: skip
	return task, child


def grow_to(frappe, size: int, now) -> None:
	"""The table holds `size` tasks: the work in hand (made once) and history up to the size."""
	rng = random.Random(size)
	have = frappe.db.count(DOCTYPE, {"name": ("like", f"{PREFIX}%")})
	kinds = (
		["ahead"] * OPEN_AHEAD + ["overdue"] * OPEN_OVERDUE + ["due_soon"] * DUE_SOON + ["overdue_pending"] * OVERDUE_PENDING
	)  # fmt: skip
	tasks, children = [], []
	for i in range(have, size):
		kind = kinds[i] if i < len(kinds) else "history"
		task, child = task_rows(i, kind, now, rng)
		tasks.append(task)
		children.extend(child)
	if tasks:
		frappe.db.bulk_insert(
			DOCTYPE,
			["name", "subject", "status", "priority", "assigned_to", "assigned_by", "start_at", "due_at",
			 "remind_before_minutes", "remind_at", "overdue_at", "reminder_sent", "overdue_notified", "completed_on",
			 "creation", "modified", "owner", "modified_by", "docstatus"],
			tasks, chunk_size=5000,
		)  # fmt: skip
		frappe.db.bulk_insert(
			CHILD,
			["name", "parent", "parenttype", "parentfield", "idx", "user", "open_assignee", "creation", "modified",
			 "owner", "modified_by", "docstatus"],
			children, chunk_size=5000,
		)  # fmt: skip
	frappe.db.commit()
	frappe.db.sql(f"analyze table `tab{DOCTYPE}`, `tab{CHILD}`")


def queries(frappe, now) -> dict:
	"""label -> (user, get_list kwargs): what the desk asks for."""
	from korus_crm import people

	subordinates = people.subordinates(LEADER)
	assert len(subordinates) == TEAM_SIZE - 1, subordinates
	return {
		"my subordinates' tasks, first page": (
			LEADER,
			dict(fields=LIST_FIELDS, filters=[[CHILD, "open_assignee", "in", subordinates]], group_by=BY_NAME,
				 order_by=SORT, limit_page_length=20),
		),
		"my tasks, first page": (
			MEMBER,
			dict(fields=LIST_FIELDS, filters=[[CHILD, "open_assignee", "=", MEMBER]], group_by=BY_NAME,
				 order_by=SORT, limit_page_length=20),
		),
		"overdue count (team leader)": (
			LEADER,
			dict(fields=[f"count({BY_NAME}) as total"], filters=[["status", "in", ["Open", "Working"]], ["due_at", "<", now]],
				 order_by=None),
		),
		"overdue count (manager)": (
			"Administrator",
			dict(fields=[f"count({BY_NAME}) as total"], filters=[["status", "in", ["Open", "Working"]], ["due_at", "<", now]],
				 order_by=None),
		),
	}  # fmt: skip


def steady(fn, repeat: int, rounds: int = 3) -> float:
	"""The lowest of `rounds` medians of `repeat` calls: the machine is shared, and a round that
	other work slowed down says nothing about the query."""
	return min(timed(fn, repeat) for _ in range(rounds))


def costs(frappe, now, repeat: int) -> dict[str, float]:
	"""Median ms of each figure: the desk's call (frappe.get_list: permission conditions built, query
	run, rows returned) and, beside it, the SQL that call runs, alone (what the table's size can
	change; the rest is the same Python at both sizes)."""
	from korus_crm.tasks import reminders

	out = {}

	def one_run():
		sent = reminders.run(now)
		frappe.db.rollback()
		assert sent == {"due soon": DUE_SOON, "overdue": OVERDUE_PENDING}, sent

	out["one reminder run (40 due)"] = steady(one_run, max(5, repeat // 20))
	for label, (user, kwargs) in queries(frappe, now).items():

		def read(user=user, kwargs=kwargs):
			frappe.set_user(user)
			try:
				return frappe.get_list(DOCTYPE, **kwargs)
			finally:
				frappe.set_user("Administrator")

		out[label] = steady(read, repeat)
		frappe.set_user(user)
		sql = frappe.get_list(DOCTYPE, run=0, **kwargs)
		frappe.set_user("Administrator")
		out[f"{label} :: SQL"] = steady(lambda sql=sql: frappe.db.sql(sql), repeat)
	return out


def explain(frappe, now) -> None:
	from korus_crm.tasks import reminders

	plans = {
		f"reminder job: due rows of {column}": reminders.due_rows_query(column, now).get_sql()
		for column in ("remind_at", "overdue_at")
	}
	for label, (user, kwargs) in queries(frappe, now).items():
		frappe.set_user(user)
		plans[label] = frappe.get_list(DOCTYPE, run=0, **kwargs)
		frappe.set_user("Administrator")
	for label, sql in plans.items():
		print(f"\n-- EXPLAIN {label}")
		for row in frappe.db.sql(f"explain {sql}", as_dict=True):
			print(
				f"   {row.table!s:<24} type={row.type!s:<12} key={row.key!s:<28} rows={row.rows!s:<8} {row.Extra or ''}"
			)


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--sizes", default="1000,100000")
	parser.add_argument("--repeat", type=int, default=200)
	args = parser.parse_args()
	frappe = connect(args.site)
	from frappe.utils import now_datetime

	ensure_people(frappe)
	now = now_datetime()
	sizes = [int(s) for s in args.sizes.split(",")]
	assert sizes[0] >= WORK_IN_HAND, f"the smallest size must hold the {WORK_IN_HAND} tasks in hand"
	if frappe.db.count(DOCTYPE, {"name": ("like", f"{PREFIX}%")}) > sizes[0]:
		print(f"removing the {PREFIX}* tasks of an earlier run", flush=True)
		frappe.db.sql(f"delete from `tab{CHILD}` where parent like %s", f"{PREFIX}%")
		frappe.db.sql(f"delete from `tab{DOCTYPE}` where name like %s", f"{PREFIX}%")
		frappe.db.commit()
	results = {}
	for size in sizes:
		grow_to(frappe, size, now)
		print(f"\n== {size} tasks ({WORK_IN_HAND} in hand, the rest history), {len(USERS)} users", flush=True)
		results[size] = costs(frappe, now, args.repeat)
		for label, ms in results[size].items():
			print(f"  {label:<48} {ms:8.3f} ms", flush=True)
	explain(frappe, now)
	small, large = results[sizes[0]], results[sizes[-1]]
	print(f"\n== ratios ({sizes[-1]} vs {sizes[0]})")
	for label in large:
		ratio = large[label] / small[label]
		print(f"  {label:<48} {ratio:5.2f}x{'  ok' if ratio <= 1.5 else '  OVER 1.5'}")
	frappe.destroy()


if __name__ == "__main__":
	main()
