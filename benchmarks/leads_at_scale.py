"""Leads at scale: what Korus adds to a Lead insert, and what the Leads board costs, at 1k and 100k.

Run by hand, as the bench's owner, with the bench's Python, against a site you can fill with
throwaway leads (it adds them and leaves them; use a dedicated site):

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/leads_at_scale.py --site bench.localhost

Every figure is measured in this run, ERPNext's own beside Korus's, and printed with the ratios:

- insert: one Lead insert with Korus's hooks, at each size; and the same insert with Korus's
  doc_events switched off (ERPNext's plain Lead insert, same table), the two measured alternately;
- board counts: the Leads board's per-column counts and value totals (korus_crm.api.boards);
  beside them ERPNext's way of counting (a GROUP BY over tabLead);
- first page: one board column's first page of cards (korus_crm.api.boards.get_lead_column);
  beside it the desk's own kanban query (every open lead, no limit).

Gravatar is stubbed (ERPNext's Lead validation calls it over HTTP), or the timings are noise.
Inserts are rolled back, so the table stays at the measured size.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(os.environ.get("FRAPPE_BENCH", "/home/frappe/frappe-bench"))
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

STATUS_MIX = [("New", 30), ("Contacted", 20), ("Qualified", 10), ("Converted", 25), ("Lost", 15)]
ERPNEXT_STATUS = {
	"New": "Lead",
	"Contacted": "Replied",
	"Qualified": "Interested",
	"Converted": "Converted",
	"Lost": "Do Not Contact",
}


def connect(site: str):
	import frappe

	os.chdir(BENCH / "sites")
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	stub_gravatar()
	return frappe


def stub_gravatar() -> None:
	import frappe.utils
	from erpnext.crm.doctype.lead import lead as lead_module

	frappe.utils.has_gravatar = lambda email: ""
	lead_module.has_gravatar = lambda email: ""
	try:
		from frappe.contacts.doctype.contact import contact as contact_module

		contact_module.has_gravatar = lambda email: ""
	except ImportError:
		pass


def grow_to(frappe, size: int) -> None:
	"""Bulk-insert synthetic leads until the table holds `size` rows; then rebuild the counts."""
	from frappe.utils import add_to_date, now_datetime

	from korus_crm.boards import counts

	have = frappe.db.count("Lead")
	if have >= size:
		return
	rng = random.Random(size)
	statuses = [s for s, weight in STATUS_MIX for _ in range(weight)]
	fields = [
		"name", "naming_series", "first_name", "lead_name", "title", "company_name", "email_id",
		"email_normalized", "lead_status", "status", "estimated_value", "creation", "modified",
		"owner", "modified_by", "docstatus",
	]  # fmt: skip
	start = now_datetime()
	rows = []
	for i in range(have, size):
		status = rng.choice(statuses)
		when = add_to_date(start, seconds=-rng.randint(0, 365 * 24 * 3600))
		email = f"bench.lead.{i}@example.com"
		name = f"BENCH-LEAD-{i:07d}"
		rows.append(
			(
				name, "CRM-LEAD-.YYYY.-", f"Bench {i}", f"Bench {i}", f"Bench {i}", f"Company {i % 5000}",
				email, email, status, ERPNEXT_STATUS[status], rng.randint(0, 50000), when, when,
				"Administrator", "Administrator", 0,
			)
		)  # fmt: skip
	frappe.db.bulk_insert("Lead", fields, rows, chunk_size=5000)
	counts.recount(counts.LEADS)
	frappe.db.commit()


def timed(fn, repeat: int) -> float:
	"""Median milliseconds of `repeat` calls (after two warm-up calls)."""
	for _ in range(2):
		fn()
	samples = []
	for _ in range(repeat):
		t = time.perf_counter()
		fn()
		samples.append((time.perf_counter() - t) * 1000)
	return statistics.median(samples)


def insert_costs(frappe, repeat: int) -> tuple[float, float]:
	"""Median ms of one Lead insert with Korus's hooks and without them (ERPNext alone), measured
	alternately, insert by insert, so that the machine's drift touches both alike; rolled back."""
	with_korus = frappe.get_doc_hooks()
	erpnext_only = {
		doctype: {
			event: [h for h in handlers if not h.startswith("korus_crm.")]
			for event, handlers in events.items()
		}
		for doctype, events in with_korus.items()
	}
	counter = iter(range(10**9))

	def insert(hooks: dict, korus: bool) -> float:
		frappe.local.doc_events_hooks = hooks
		i = next(counter)
		doc = frappe.get_doc(
			{
				"doctype": "Lead",
				"first_name": f"Probe {i}",
				"email_id": f"probe.{os.getpid()}.{i}@example.com",
				"lead_status": "Contacted" if korus else None,
				"estimated_value": 100,
			}
		)
		t = time.perf_counter()
		doc.insert()
		return (time.perf_counter() - t) * 1000

	try:
		for _ in range(3):
			insert(with_korus, True)
			insert(erpnext_only, False)
		korus, erpnext = [], []
		for _ in range(repeat):
			korus.append(insert(with_korus, True))
			erpnext.append(insert(erpnext_only, False))
		return statistics.median(korus), statistics.median(erpnext)
	finally:
		frappe.local.doc_events_hooks = with_korus
		frappe.db.rollback()


def board_costs(frappe, repeat: int) -> dict[str, float]:
	from frappe.query_builder import DocType
	from frappe.query_builder.functions import Count, Sum

	from korus_crm.api.boards import get_lead_board_counts, get_lead_column

	lead = DocType("Lead")

	def erpnext_counts():
		(
			frappe.qb.from_(lead)
			.select(lead.lead_status, Count("*"), Sum(lead.estimated_value))
			.where(lead.lead_status.isin(["New", "Contacted", "Qualified"]))
			.groupby(lead.lead_status)
			.run()
		)

	def desk_kanban_all_cards():
		frappe.get_list(
			"Lead",
			filters=[["lead_status", "not in", ["Converted", "Lost"]]],
			fields=["name", "lead_name", "company_name", "estimated_value", "lead_owner", "lead_status"],
			limit_page_length=0,
		)

	return {
		"board counts (Korus)": timed(get_lead_board_counts, repeat),
		"board counts (GROUP BY, ERPNext's way)": timed(erpnext_counts, repeat),
		"first page of a column (Korus)": timed(lambda: get_lead_column("Contacted", 0, 20), repeat),
		"first page of a sparse column (Korus)": timed(lambda: get_lead_column("Qualified", 0, 20), repeat),
		"desk kanban, all open cards (Frappe's default)": timed(desk_kanban_all_cards, max(3, repeat // 20)),
	}


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--sizes", default="1000,100000")
	parser.add_argument("--repeat", type=int, default=200)
	args = parser.parse_args()
	frappe = connect(args.site)
	sizes = [int(s) for s in args.sizes.split(",")]
	if frappe.db.count("Lead") > sizes[0]:
		sys.exit(
			f"{args.site} already has {frappe.db.count('Lead')} leads, more than {sizes[0]}: use a fresh site"
		)

	results: dict[int, dict[str, float]] = {}
	for size in sizes:
		grow_to(frappe, size)
		print(f"\n== {frappe.db.count('Lead')} leads", flush=True)
		korus_insert, erpnext_insert = insert_costs(frappe, args.repeat)
		row = {
			"insert (Korus)": korus_insert,
			"insert (ERPNext alone, Korus hooks off)": erpnext_insert,
			**board_costs(frappe, args.repeat),
		}
		for label, ms in row.items():
			print(f"  {label:<50} {ms:9.3f} ms")
		results[size] = row

	small, large = results[sizes[0]], results[sizes[-1]]
	print(f"\n== ratios ({sizes[-1]} vs {sizes[0]} leads)")
	checks = [
		("Korus insert, large / small", large["insert (Korus)"] / small["insert (Korus)"], 1.1),
		(
			"Korus insert / ERPNext insert, large",
			large["insert (Korus)"] / large["insert (ERPNext alone, Korus hooks off)"],
			1.2,
		),
		("ERPNext insert, large / small (reference)", large["insert (ERPNext alone, Korus hooks off)"] / small["insert (ERPNext alone, Korus hooks off)"], None),
		("board counts, large / small", large["board counts (Korus)"] / small["board counts (Korus)"], 1.5),
		("GROUP BY counts, large / small (reference)", large["board counts (GROUP BY, ERPNext's way)"] / small["board counts (GROUP BY, ERPNext's way)"], None),
		("first page, large / small", large["first page of a column (Korus)"] / small["first page of a column (Korus)"], 1.5),
		("sparse column page, large / small", large["first page of a sparse column (Korus)"] / small["first page of a sparse column (Korus)"], 1.5),
		("desk kanban all cards, large / small (reference)", large["desk kanban, all open cards (Frappe's default)"] / small["desk kanban, all open cards (Frappe's default)"], None),
	]  # fmt: skip
	for label, ratio, target in checks:
		verdict = "" if target is None else ("  ok" if ratio <= target else f"  OVER target {target}")
		print(f"  {label:<50} {ratio:7.2f}x{verdict}")
	frappe.destroy()


if __name__ == "__main__":
	main()
