"""Data scope at scale: a branch-scoped Sales User's list, board counts and a column page, at 1k and
100k records, beside the same calls by the Administrator (who reads all).

Run by hand, as the bench's owner, with the bench's Python, against a dedicated site (it adds 10
branches, 50 owners with their Employee records, 100,000 leads and 100,000 deals, and sets the
Sales User role's data scope to Branch):

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/scope_at_scale.py --site scope.localhost

Records are spread evenly over 10 branches and 50 owners (5 per branch), stamped as Korus stamps
them (owner, the owner's department and branch). Targets: the scoped user's calls at 100k cost at
most 1.5x what they cost at 1k, and at most 1.5x the Administrator's at 100k.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leads_at_scale import connect, timed

BRANCHES = [f"Bench Branch {i:02d}" for i in range(10)]
OWNERS = [f"bench-owner-{i:02d}@korus.invalid" for i in range(50)]
SCOPED_USER = "bench-scoped@korus.invalid"
PIPELINE = "Scope Bench Pipeline"


def ensure_org(frappe) -> dict[str, tuple[str, str]]:
	"""{owner: (department, branch)}; the scoped user works in the first branch."""
	from frappe.utils.nestedset import get_root_of

	company = frappe.defaults.get_global_default("company")
	places = {}
	for i, branch in enumerate(BRANCHES):
		if not frappe.db.exists("Branch", branch):
			frappe.get_doc({"doctype": "Branch", "branch": branch, "company": company}).insert()
		department = frappe.db.get_value("Department", {"department_name": f"Bench Dept {i:02d}"})
		if not department:
			department = (
				frappe.get_doc(
					{
						"doctype": "Department",
						"department_name": f"Bench Dept {i:02d}",
						"parent_department": get_root_of("Department"),
						"company": company,
					}
				)
				.insert()
				.name
			)
		for owner in OWNERS[i * 5 : i * 5 + 5]:
			places[owner] = (department, branch)
	for user in [*OWNERS, SCOPED_USER]:
		if not frappe.db.exists("User", user):
			frappe.get_doc(
				{"doctype": "User", "email": user, "first_name": user.split("@")[0], "send_welcome_email": 0,
				 "roles": [{"role": "Sales User"}]}
			).insert(ignore_permissions=True)  # fmt: skip
		department, branch = places.get(user, places[OWNERS[0]])
		if not frappe.db.exists("Employee", {"user_id": user}):
			frappe.get_doc(
				{"doctype": "Employee", "first_name": user.split("@")[0], "company": company, "gender": "Other",
				 "date_of_birth": "1990-01-01", "date_of_joining": "2020-01-01", "status": "Active", "user_id": user,
				 "department": department, "branch": branch, "create_user_permission": 0}
			).insert()  # fmt: skip
	if not frappe.db.exists("Korus Role Scope", "Sales User"):
		frappe.get_doc(
			{"doctype": "Korus Role Scope", "role": "Sales User", "default_scope": "Branch"}
		).insert()
	if not frappe.db.exists("Deal Pipeline", PIPELINE):
		frappe.get_doc(
			{"doctype": "Deal Pipeline", "pipeline_name": PIPELINE, "stages": [
				{"stage_name": "Qualification", "is_default": 1, "probability": 10},
				{"stage_name": "Proposal", "probability": 60},
				{"stage_name": "Won", "is_won": 1, "probability": 100},
				{"stage_name": "Lost", "is_lost": 1, "probability": 0},
			]}
		).insert()  # fmt: skip
	frappe.db.commit()
	from korus_crm import scope

	scope.forget()
	return places


def grow_to(frappe, size: int, places: dict) -> None:
	from frappe.utils import add_to_date, now_datetime

	from korus_crm.boards import counts

	rng = random.Random(size)
	start = now_datetime()
	have = frappe.db.count("Lead", {"name": ("like", "SCOPE-LEAD-%")})
	rows = []
	for i in range(have, size):
		owner = OWNERS[i % len(OWNERS)]
		department, branch = places[owner]
		when = add_to_date(start, seconds=-rng.randint(0, 365 * 24 * 3600))
		status = rng.choice(["New", "Contacted", "Qualified"])
		rows.append(
			(
				f"SCOPE-LEAD-{i:07d}",
				f"Lead {i}",
				owner,
				status,
				100,
				department,
				branch,
				"Lead",
				when,
				when,
				"Administrator",
				"Administrator",
				0,
			)
		)
	if rows:
		frappe.db.bulk_insert(
			"Lead",
			["name", "lead_name", "lead_owner", "lead_status", "estimated_value", "korus_department", "branch", "status",
			 "creation", "modified", "owner", "modified_by", "docstatus"],
			rows, chunk_size=5000,
		)  # fmt: skip
	stages = {
		n: frappe.db.get_value("Deal Stage", {"pipeline": PIPELINE, "stage_name": n})
		for n in ("Qualification", "Proposal", "Won")
	}
	company = frappe.defaults.get_global_default("company")
	currency = frappe.get_cached_value("Company", company, "default_currency")
	have = frappe.db.count("Opportunity", {"deal_pipeline": PIPELINE})
	rows = []
	for i in range(have, size):
		owner = OWNERS[i % len(OWNERS)]
		department, branch = places[owner]
		name = rng.choice(list(stages))
		when = add_to_date(start, seconds=-rng.randint(0, 365 * 24 * 3600))
		rows.append((
			f"SCOPE-OPP-{i:07d}", "Customer", "Bench Customer", f"Deal {i}", "Open", company, currency, 1, 100, 100, 50,
			PIPELINE, stages[name], name, owner, department, branch, when.date(), when, when, "Administrator", "Administrator", 0,
		))  # fmt: skip
	if rows:
		frappe.db.bulk_insert(
			"Opportunity",
			["name", "opportunity_from", "party_name", "title", "status", "company", "currency", "conversion_rate",
			 "opportunity_amount", "base_opportunity_amount", "probability", "deal_pipeline", "deal_stage", "sales_stage",
			 "opportunity_owner", "korus_department", "branch", "transaction_date", "creation", "modified", "owner",
			 "modified_by", "docstatus"],
			rows, chunk_size=5000,
		)  # fmt: skip
	for spec in counts.COUNTED:
		counts.recount(spec)
	frappe.db.commit()


def costs(frappe, user: str, repeat: int) -> dict[str, float]:
	from korus_crm.api.boards import (
		get_deal_board_counts,
		get_deal_column,
		get_lead_board_counts,
		get_lead_column,
	)

	frappe.set_user(user)
	frappe.local.korus_scope = {}
	try:
		return {
			"leads list, first page": timed(
				lambda: frappe.get_list("Lead", fields=["name", "lead_name", "lead_status"], order_by="modified desc", limit_page_length=20),
				repeat,
			),
			"deals list, first page": timed(
				lambda: frappe.get_list("Opportunity", fields=["name", "title", "deal_stage"], order_by="modified desc", limit_page_length=20),
				repeat,
			),
			"lead board counts": timed(get_lead_board_counts, repeat),
			"deal board counts": timed(lambda: get_deal_board_counts(PIPELINE), repeat),
			"lead column page": timed(lambda: get_lead_column("Contacted", 0, 20), repeat),
			"deal column page": timed(lambda: get_deal_column(PIPELINE, "Proposal", 0, 20), repeat),
		}  # fmt: skip
	finally:
		frappe.set_user("Administrator")


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--sizes", default="1000,100000")
	parser.add_argument("--repeat", type=int, default=100)
	args = parser.parse_args()
	frappe = connect(args.site)
	places = ensure_org(frappe)
	sizes = [int(s) for s in args.sizes.split(",")]
	results = {}
	for size in sizes:
		grow_to(frappe, size, places)
		print(
			f"\n== {size} leads and {size} deals over {len(BRANCHES)} branches and {len(OWNERS)} owners",
			flush=True,
		)
		results[size] = {
			"scoped": costs(frappe, SCOPED_USER, args.repeat),
			"admin": costs(frappe, "Administrator", args.repeat),
		}
		for label in results[size]["scoped"]:
			print(
				f"  {label:<28} branch-scoped {results[size]['scoped'][label]:8.3f} ms   administrator {results[size]['admin'][label]:8.3f} ms",
				flush=True,
			)
	small, large = results[sizes[0]], results[sizes[-1]]
	print(f"\n== ratios ({sizes[-1]} vs {sizes[0]})")
	for label in large["scoped"]:
		growth = large["scoped"][label] / small["scoped"][label]
		versus = large["scoped"][label] / large["admin"][label]
		print(
			f"  {label:<28} scoped large/small {growth:5.2f}x{'  ok' if growth <= 1.5 else '  OVER 1.5'}"
			f"   scoped/admin at {sizes[-1]} {versus:5.2f}x{'  ok' if versus <= 1.5 else '  OVER 1.5'}"
		)
	frappe.destroy()


if __name__ == "__main__":
	main()
