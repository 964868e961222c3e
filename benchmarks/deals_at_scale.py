"""Deals at scale: a pipeline's board data, a move on its board and a stage move, at 1k and 100k.

Run by hand, as the bench's owner, with the bench's Python, against a site you can fill with
throwaway deals (it adds them and leaves them; use a dedicated site):

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/deals_at_scale.py --site bench.localhost

Measured in this run, ERPNext's own figures beside Korus's, with the ratios printed:

- board data of one pipeline (the Deal Board page's calls): the whole board (every column's
  first page and totals), a column's next page, a column with only a few cards, the per-column
  counts, value and weighted totals (korus_crm.api.boards); beside them ERPNext's way (a GROUP BY
  over tabOpportunity by ERPNext's Sales Stage, and a "sparse column" of a Sales Stage, which has
  no index, ordered by modified), and Frappe's desk kanban query (every card of the board);
- a move on the board (korus_crm.api.deals.move_deal, what the Deal Board calls), rolled back;
- a stage move through REST (POST korus_crm.api.deals.move_deal) against a plain
  frappe.client.set_value of the deal's title through REST, both real requests through Frappe's
  WSGI application (each commits).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leads_at_scale import connect, timed

PIPELINE = "Bench Pipeline"
STAGES = [
	# name, share of deals, probability, flags
	("Qualification", 40, 10, {"is_default": 1}),
	("Proposal", 25, 60, {}),
	("Negotiation", 1, 80, {}),  # the sparse column
	("Won", 20, 100, {"is_won": 1}),
	("Lost", 14, 0, {"is_lost": 1}),
]


def ensure_pipeline(frappe) -> None:
	if frappe.db.exists("Deal Pipeline", PIPELINE):
		return
	frappe.get_doc(
		{
			"doctype": "Deal Pipeline",
			"pipeline_name": PIPELINE,
			"stages": [{"stage_name": n, "probability": p, **flags} for n, _w, p, flags in STAGES],
		}
	).insert()
	frappe.db.commit()


def grow_to(frappe, size: int) -> None:
	from frappe.utils import add_to_date, now_datetime

	from korus_crm.boards import counts

	have = frappe.db.count("Opportunity", {"deal_pipeline": PIPELINE})
	if have >= size:
		return
	company = frappe.defaults.get_global_default("company")
	currency = frappe.get_cached_value("Company", company, "default_currency")
	customer = ensure_customer(frappe)
	rng = random.Random(size)
	weighted = [(n, p) for n, w, p, _f in STAGES for _ in range(w)]
	stage_names = {
		n: frappe.db.get_value("Deal Stage", {"pipeline": PIPELINE, "stage_name": n}) for n, *_ in STAGES
	}
	fields = [
		"name", "naming_series", "opportunity_from", "party_name", "customer_name", "title", "status", "company",
		"currency", "conversion_rate", "opportunity_amount", "base_opportunity_amount", "probability",
		"deal_pipeline", "deal_stage", "sales_stage", "transaction_date", "creation", "modified", "owner", "modified_by",
		"docstatus",
	]  # fmt: skip
	start = now_datetime()
	rows = []
	for i in range(have, size):
		stage, probability = rng.choice(weighted)
		amount = rng.randint(1, 100) * 100
		when = add_to_date(start, seconds=-rng.randint(0, 365 * 24 * 3600))
		status = {"Won": "Converted", "Lost": "Lost"}.get(stage, "Open")
		rows.append(
			(
				f"BENCH-OPP-{i:07d}", "CRM-OPP-.YYYY.-", "Customer", customer, customer, f"Deal {i}", status, company,
				currency, 1, amount, amount, probability, PIPELINE, stage_names[stage], stage, when.date(), when, when,
				"Administrator", "Administrator", 0,
			)
		)  # fmt: skip
	frappe.db.bulk_insert("Opportunity", fields, rows, chunk_size=5000)
	counts.recount(counts.DEALS)
	frappe.db.commit()


def ensure_customer(frappe) -> str:
	name = "Bench Customer"
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": "All Customer Groups",
				"territory": "All Territories",
			}
		).insert()
		frappe.db.commit()
	return name


def board_costs(frappe, repeat: int) -> dict[str, float]:
	from frappe.query_builder import DocType
	from frappe.query_builder.functions import Count, Sum

	from korus_crm.api.boards import get_deal_board, get_deal_board_counts, get_deal_column

	opp = DocType("Opportunity")

	def erpnext_counts():
		(
			frappe.qb.from_(opp)
			.select(opp.sales_stage, Count("*"), Sum(opp.base_opportunity_amount))
			.where(opp.deal_pipeline == PIPELINE)
			.groupby(opp.sales_stage)
			.run()
		)

	def erpnext_sparse_column():
		# ERPNext's own stage field (sales_stage) has no index: a column is a walk of `modified`
		frappe.qb.from_(opp).select(opp.name).where(
			(opp.deal_pipeline == PIPELINE) & (opp.sales_stage == "Negotiation")
		).orderby(opp.modified, order=frappe.qb.desc).limit(20).run()

	def desk_kanban_all_cards():
		frappe.get_list(
			"Opportunity",
			filters={"deal_pipeline": PIPELINE},
			fields=[
				"name",
				"title",
				"opportunity_amount",
				"customer_name",
				"opportunity_owner",
				"sales_stage",
			],
			limit_page_length=0,
		)

	return {
		"the whole board: every column's first page and totals (Korus)": timed(
			lambda: get_deal_board(PIPELINE, 20), repeat
		),
		"counts and totals (Korus)": timed(lambda: get_deal_board_counts(pipeline=PIPELINE), repeat),
		"counts and totals (GROUP BY, ERPNext's way)": timed(erpnext_counts, repeat),
		"first page of a column (Korus)": timed(
			lambda: get_deal_column(PIPELINE, "Qualification", 0, 20), repeat
		),
		"a column's page further down (Korus, start 200)": timed(
			lambda: get_deal_column(PIPELINE, "Qualification", 200, 20), repeat
		),
		"first page of a sparse column (Korus)": timed(
			lambda: get_deal_column(PIPELINE, "Negotiation", 0, 20), repeat
		),
		"sparse column by Sales Stage, no index (ERPNext)": timed(
			erpnext_sparse_column, max(5, repeat // 10)
		),
		"desk kanban, every card of the board (Frappe's default)": timed(
			desk_kanban_all_cards, max(3, repeat // 20)
		),
	}


def drag_cost(frappe, repeat: int) -> float:
	"""A move on the Deal Board: move_deal between two open stages, rolled back."""
	from korus_crm.api.deals import move_deal

	deal = frappe.get_all("Opportunity", filters={"deal_pipeline": PIPELINE}, pluck="name", limit=1)[0]
	stages = [
		frappe.db.get_value("Deal Stage", {"pipeline": PIPELINE, "stage_name": n})
		for n in ("Proposal", "Qualification")
	]
	state = {"i": 0}

	def drag():
		state["i"] += 1
		move_deal(deal, stages[state["i"] % 2])

	try:
		return timed(drag, repeat)
	finally:
		frappe.db.rollback()


class Rest:
	"""Real requests through Frappe's WSGI application (werkzeug's client), each in a thread of its
	own as Frappe's API tests do; each request commits."""

	def __init__(self, frappe, site: str):
		from frappe.app import application
		from werkzeug.test import Client, TestResponse

		self.site = site
		self.client = Client(application, TestResponse)
		self.call(
			"POST",
			"/api/method/login",
			data={"usr": "Administrator", "pwd": os.environ.get("KORUS_ADMIN_PASSWORD", "admin")},
		)

	def call(self, method, path, **kwargs):
		box = {}

		def run():
			with patch("frappe.app.get_site_name", return_value=self.site):
				box["r"] = self.client.open(path, method=method, **kwargs)

		t = threading.Thread(target=run)
		t.start()
		t.join()
		assert box["r"].status_code == 200, box["r"].get_data(as_text=True)[:500]
		return box["r"]


def rest_costs(frappe, site: str, repeat: int) -> dict[str, float]:
	rest = Rest(frappe, site)
	deal = frappe.get_all("Opportunity", filters={"deal_pipeline": PIPELINE}, pluck="name", limit=1)[0]
	stages = [
		frappe.db.get_value("Deal Stage", {"pipeline": PIPELINE, "stage_name": n})
		for n in ("Proposal", "Qualification")
	]
	state = {"i": 0}

	def move():
		state["i"] += 1
		rest.call(
			"POST",
			"/api/method/korus_crm.api.deals.move_deal",
			json={"deal": deal, "stage": stages[state["i"] % 2]},
		)

	def set_value():
		state["i"] += 1
		rest.call(
			"POST",
			"/api/method/frappe.client.set_value",
			json={
				"doctype": "Opportunity",
				"name": deal,
				"fieldname": "title",
				"value": f"Deal title {state['i']}",
			},
		)

	out = {
		"REST: stage move (move_deal)": timed(move, repeat),
		"REST: plain set_value of the deal's title": timed(set_value, repeat),
	}
	frappe.db.rollback()
	return out


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--sizes", default="1000,100000")
	parser.add_argument("--repeat", type=int, default=100)
	args = parser.parse_args()
	frappe = connect(args.site)
	ensure_pipeline(frappe)
	sizes = [int(s) for s in args.sizes.split(",")]
	results = {}
	for size in sizes:
		grow_to(frappe, size)
		print(
			f"\n== {frappe.db.count('Opportunity', {'deal_pipeline': PIPELINE})} deals in {PIPELINE!r}",
			flush=True,
		)
		row = {
			**board_costs(frappe, args.repeat),
			"a move on the board (move_deal)": drag_cost(frappe, max(20, args.repeat // 2)),
			**rest_costs(frappe, args.site, max(20, args.repeat // 2)),
		}
		for label, ms in row.items():
			print(f"  {label:<60} {ms:9.3f} ms", flush=True)
		results[size] = row

	small, large = results[sizes[0]], results[sizes[-1]]
	print(f"\n== ratios ({sizes[-1]} vs {sizes[0]} deals)")
	checks = [
		("first page of a column, large / small", "first page of a column (Korus)", 1.5),
		("sparse column, large / small", "first page of a sparse column (Korus)", 1.5),
		("counts and totals, large / small", "counts and totals (Korus)", 1.5),
		(
			"the whole board, large / small",
			"the whole board: every column's first page and totals (Korus)",
			1.5,
		),
		(
			"a column's page further down, large / small",
			"a column's page further down (Korus, start 200)",
			1.5,
		),
		("a move on the board, large / small", "a move on the board (move_deal)", 1.5),
		(
			"GROUP BY counts, large / small (ERPNext, reference)",
			"counts and totals (GROUP BY, ERPNext's way)",
			None,
		),
		(
			"sparse column by Sales Stage, large / small (ERPNext, reference)",
			"sparse column by Sales Stage, no index (ERPNext)",
			None,
		),
		(
			"desk kanban every card, large / small (Frappe, reference)",
			"desk kanban, every card of the board (Frappe's default)",
			None,
		),
	]
	for label, key, target in checks:
		ratio = large[key] / small[key]
		verdict = "" if target is None else ("  ok" if ratio <= target else f"  OVER target {target}")
		print(f"  {label:<66} {ratio:7.2f}x{verdict}")
	for size in sizes:
		ratio = (
			results[size]["REST: stage move (move_deal)"]
			/ results[size]["REST: plain set_value of the deal's title"]
		)
		print(
			f"  {'REST stage move / REST set_value, ' + str(size) + ' deals':<66} {ratio:7.2f}x{'  ok' if ratio <= 1.3 else '  OVER target 1.3'}"
		)
	frappe.destroy()


if __name__ == "__main__":
	main()
