"""Prepares a site for the load test (idempotent): the sales users (ERPNext's Sales User, an
Employee in one of two branches) and the managers who approve offers (Sales Manager), each with
a password; a service item with a selling price (offers need one); customers waiting in the
customer pool to be claimed. Writes the accounts to --out (JSON) for Locust.

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/load/prepare.py --site anbench.localhost \
		--users 50 --out /tmp/korus-load/users.json
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import (
	BOOKS,
	BRANCHES,
	ITEM,
	ITEM_RATE,
	PIPELINE,
	POOL,
	POOL_CUSTOMER_PREFIX,
	SITE_OWNERS,
	account,
	connect,
	manager,
	site_owner,
)
from leads_at_scale import stub_gravatar


def ensure_user(frappe, email: str, roles: list[str], password: str) -> None:
	from frappe.utils.password import update_password

	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0,
			 "user_type": "System User", "roles": [{"role": r} for r in roles]}
		).insert(ignore_permissions=True)  # fmt: skip
	else:
		user = frappe.get_doc("User", email)
		missing = [r for r in roles if r not in {x.role for x in user.roles}]
		if missing:
			user.add_roles(*missing)
	# one login per Locust user, but let a rerun log in again without dropping sessions
	frappe.db.set_value("User", email, "simultaneous_sessions", 5)
	update_password(email, password)


def ensure_employee(frappe, user: str, branch: str, company: str) -> None:
	if frappe.db.exists("Employee", {"user_id": user}):
		return
	frappe.get_doc(
		{"doctype": "Employee", "first_name": user.split("@")[0], "gender": "Other", "date_of_birth": "1990-01-01",
		 "date_of_joining": "2024-01-01", "status": "Active", "company": company, "branch": branch, "user_id": user}
	).insert(ignore_permissions=True)  # fmt: skip


def ensure_item(frappe, company: str) -> None:
	if not frappe.db.exists("Item", ITEM):
		frappe.get_doc(
			{"doctype": "Item", "item_code": ITEM, "item_name": "Load test service", "is_stock_item": 0,
			 "item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name") or "All Item Groups",
			 "stock_uom": "Nos"}
		).insert(ignore_permissions=True)  # fmt: skip
	price_list = frappe.db.get_single_value("Selling Settings", "selling_price_list") or "Standard Selling"
	if not frappe.db.exists("Item Price", {"item_code": ITEM, "price_list": price_list}):
		frappe.get_doc(
			{
				"doctype": "Item Price",
				"item_code": ITEM,
				"price_list": price_list,
				"price_list_rate": ITEM_RATE,
			}
		).insert(ignore_permissions=True)


def ensure_pool_customers(frappe, count: int) -> int:
	"""`count` customers in the pool (no owner), named so that the clean-up finds them."""
	from frappe.utils import now_datetime

	have = frappe.db.count("Customer", {"name": ("like", f"{POOL_CUSTOMER_PREFIX}%")})
	group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name") or "All Customer Groups"
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name") or "All Territories"
	now = now_datetime()
	fields = ["name", "customer_name", "customer_type", "customer_group", "territory", "korus_pool",
			  "korus_in_pool", "disabled", "creation", "modified", "owner", "modified_by", "docstatus"]  # fmt: skip
	rows = [
		(f"{POOL_CUSTOMER_PREFIX}{i:06d}", f"Load Pool Customer {i}", "Company", group, territory, POOL, 1, 0,
		 now, now, "Administrator", "Administrator", 0)
		for i in range(have, count)
	]  # fmt: skip
	frappe.db.bulk_insert("Customer", fields, rows, chunk_size=2000)
	# claimed ones from an earlier run go back to the pool
	frappe.db.sql(
		"""update `tabCustomer` set account_manager = null, korus_in_pool = 1, korus_pool = %s
		where name like %s""",
		(POOL, f"{POOL_CUSTOMER_PREFIX}%"),
	)
	return count


def hand_out_books(frappe, sales: list[str]) -> dict[str, int]:
	"""Each site owner's leads, deals and customers shared out among the sales users mapped to them
	(by a hash of the record's name), stamped with the user's branch as Korus stamps a record with its
	owner's place. Once: records already handed out stay with their user."""
	handed = {}
	for doctype, field in BOOKS:
		for k in range(min(SITE_OWNERS, len(sales))):
			users = sales[k::SITE_OWNERS]  # the users mapped to site owner k
			for share, user in enumerate(users):
				branch = frappe.db.get_value("Employee", {"user_id": user}, "branch")
				frappe.db.sql(
					f"""update `tab{doctype}` set `{field}` = %s{", branch = %s" if doctype != "Customer" else ""}
					where `{field}` = %s and crc32(name) %% %s = %s""",
					(user, *([branch] if doctype != "Customer" else []), site_owner(k), len(users), share),
				)
		handed[doctype] = frappe.db.count(doctype, {field: ("like", "load-sales-%")})
	return handed


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="anbench.localhost")
	parser.add_argument("--users", type=int, default=50, help="Locust users: one account each")
	parser.add_argument("--managers", type=int, default=3, help="of them, managers who approve offers")
	parser.add_argument("--pool-customers", type=int, default=5000)
	parser.add_argument("--out", required=True)
	args = parser.parse_args()

	frappe = connect(args.site)
	stub_gravatar()  # no gravatar look-ups (offline: up to seconds each)
	company = frappe.defaults.get_global_default("company")
	if not frappe.db.exists("Deal Pipeline", PIPELINE):
		sys.exit(f"{args.site} has no pipeline {PIPELINE!r}: run benchmarks/analytics_at_scale.py first")
	for branch in BRANCHES:
		if not frappe.db.exists("Branch", branch):
			frappe.get_doc({"doctype": "Branch", "branch": branch}).insert(ignore_permissions=True)
	password = secrets.token_urlsafe(16)
	sales = [account(i) for i in range(1, max(args.users - args.managers, 1) + 1)]
	managers = [manager(i) for i in range(1, args.managers + 1)]
	for i, user in enumerate(sales):
		ensure_user(frappe, user, ["Sales User"], password)
		ensure_employee(frappe, user, BRANCHES[i % len(BRANCHES)], company)
	for user in managers:
		ensure_user(frappe, user, ["Sales User", "Sales Manager"], password)
		ensure_employee(frappe, user, BRANCHES[0], company)
	ensure_item(frappe, company)
	ensure_pool_customers(frappe, args.pool_customers)
	books = hand_out_books(frappe, sales)
	from korus_crm.boards import counts

	counts.recount_all()
	frappe.db.commit()
	Path(args.out).write_text(
		json.dumps(
			{
				"site": args.site,
				"password": password,
				"sales": sales,
				"managers": managers,
				"pipeline": PIPELINE,
				"company": company,
				"item": ITEM,
			},
			indent=1,
		)
	)
	print(
		f"prepared {len(sales)} sales users, {len(managers)} managers, {args.pool_customers} pool customers; "
		f"the sales users' books: {', '.join(f'{d} {n}' for d, n in books.items())}"
	)
	frappe.destroy()


if __name__ == "__main__":
	main()
