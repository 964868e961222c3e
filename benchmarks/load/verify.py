"""After a load run: throughput, p50/p95/p99 per action and errors from Locust's CSV stats, and the
count check against the site: every acknowledged create exists, every acknowledged conversion is
recorded, every acknowledged move is in the Deal Stage History, every acknowledged approval and
claim holds. Prints a summary, writes it to --out (JSON), exits 1 when a requirement fails:
0 HTTP 5xx, 0 lost writes, p95 <= --p95-ms for every interactive action.

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/load/verify.py --site anbench.localhost \
		--acks RUN/acks.jsonl --stats RUN/stats --out RUN/summary.json
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import connect

NOT_INTERACTIVE = ("login",)  # once per user, before the day starts
# the ERPNext-only anchor actions, reported beside Korus's own
ANCHOR_PREFIX = "erpnext_"
# the locustfile's "<status>: <body>" (wrapped as CatchResponseError('...')), or Locust's own HTTPError
FIVE_XX = re.compile(r"(?:^|\(['\"])5\d\d[: ]|Server Error")
NO_ANSWER = re.compile(r"(?:^|\(['\"])0: ")


def read_stats(prefix: str) -> tuple[list[dict], list[dict]]:
	with open(f"{prefix}_stats.csv") as f:
		stats = list(csv.DictReader(f))
	failures = []
	if Path(f"{prefix}_failures.csv").exists():
		with open(f"{prefix}_failures.csv") as f:
			failures = list(csv.DictReader(f))
	return stats, failures


def server_errors(failures: list[dict]) -> tuple[int, int]:
	"""(HTTP 5xx, other failures): the locustfile reports a failed call as "<status>: <body>";
	a failed connection has no status."""
	five, other = 0, 0
	for row in failures:
		n = int(row["Occurrences"])
		if FIVE_XX.search(row["Error"]):
			five += n
		else:
			other += n
	return five, other


def no_answer(failures: list[dict]) -> int:
	"""Requests the server did not answer at all (connection refused or reset: a restart)."""
	return sum(int(row["Occurrences"]) for row in failures if NO_ANSWER.search(row["Error"]))


def lost_writes(frappe, acks: list[dict]) -> dict[str, list]:
	"""The acknowledged writes the site does not hold, by kind."""
	lost: dict[str, list] = {}

	def miss(kind: str, what) -> None:
		lost.setdefault(kind, []).append(what)

	for a in acks:
		kind = a["kind"]
		if kind in ("create", "save"):
			if not frappe.db.exists(a["doctype"], a["name"]):
				miss(f"{kind} {a['doctype']}", a["name"])
		elif kind == "convert":
			if not frappe.db.exists("Lead Conversion", {"lead": a["lead"]}):
				miss("convert (Lead Conversion)", a["lead"])
			for doctype, key in (("Customer", "customer"), ("Contact", "contact"), ("Opportunity", "deal")):
				if a.get(key) and not frappe.db.exists(doctype, a[key]):
					miss(f"convert ({doctype})", a[key])
		elif kind == "move":
			if not frappe.db.exists("Deal Stage History", {"deal": a["deal"], "to_stage": a["stage"]}):
				miss("move (Deal Stage History)", f"{a['deal']} -> {a['stage']}")
		elif kind == "approve":
			if frappe.db.get_value("Price Offer", a["offer"], "docstatus") != 1:
				miss("approve (Price Offer)", a["offer"])
		elif kind == "claim":
			if not frappe.db.exists(
				"Customer Owner Log", {"customer": a["customer"], "to_user": a["user"], "action": "Claim"}
			):
				miss("claim (Customer Owner Log)", a["customer"])
	return lost


def ms(value: str) -> float:
	return float(value) if value not in ("", "N/A") else 0.0


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="anbench.localhost")
	parser.add_argument("--acks", required=True)
	parser.add_argument("--stats", required=True, help="Locust's --csv prefix")
	parser.add_argument("--p95-ms", type=float, default=1000.0)
	parser.add_argument("--out")
	args = parser.parse_args()

	stats, failures = read_stats(args.stats)
	acks = [json.loads(line) for line in open(args.acks) if line.strip()] if Path(args.acks).exists() else []
	frappe = connect(args.site)
	try:
		lost = lost_writes(frappe, acks)
	finally:
		frappe.destroy()
	five, other = server_errors(failures)

	rows, slow = [], []
	total = None
	for s in stats:
		if s["Name"] == "Aggregated":
			total = s
			continue
		row = {
			"action": s["Name"], "method": s["Type"], "requests": int(s["Request Count"]),
			"failures": int(s["Failure Count"]), "rps": float(s["Requests/s"]),
			"p50": ms(s["50%"]), "p95": ms(s["95%"]), "p99": ms(s["99%"]), "max": ms(s["Max Response Time"]),
		}  # fmt: skip
		rows.append(row)
		if s["Name"] not in NOT_INTERACTIVE and row["p95"] > args.p95_ms:
			slow.append(row["action"])
	rows.sort(key=lambda r: (r["action"].startswith(ANCHOR_PREFIX), r["action"]))

	print(f"{'action':38} {'reqs':>6} {'fail':>5} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
	for r in rows:
		flag = "  SLOW" if r["action"] in slow else ""
		print(
			f"{r['action']:38} {r['requests']:6d} {r['failures']:5d} {r['rps']:6.2f} "
			f"{r['p50']:6.0f} {r['p95']:6.0f} {r['p99']:6.0f}{flag}"
		)
	if total:
		print(
			f"{'all requests':38} {int(total['Request Count']):6d} {int(total['Failure Count']):5d} "
			f"{float(total['Requests/s']):6.2f} {ms(total['50%']):6.0f} {ms(total['95%']):6.0f} {ms(total['99%']):6.0f}"
		)
	kinds = Counter(a["kind"] for a in acks)
	n_lost = sum(len(v) for v in lost.values())
	print(f"\nacknowledged writes: {len(acks)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
	print(f"lost writes: {n_lost}")
	for kind, names in lost.items():
		print(f"  {kind}: {len(names)}, e.g. {names[:5]}")
	unanswered = no_answer(failures)
	print(
		f"HTTP 5xx: {five}; other failed requests: {other} (of them unanswered, e.g. a restart: {unanswered})"
	)
	for f in failures:
		print(f"  {f['Occurrences']:>5} x {f['Name']}: {f['Error'][:160]}")
	checks = {
		"0 HTTP 5xx": five == 0,
		"0 lost writes": n_lost == 0,
		f"p95 <= {args.p95_ms:.0f} ms for every interactive action": not slow,
	}
	print()
	for name, ok in checks.items():
		print(
			f"{'PASS' if ok else 'FAIL'}  {name}"
			+ ("" if ok or name != list(checks)[2] else f": {', '.join(slow)}")
		)
	if args.out:
		Path(args.out).write_text(
			json.dumps(
				{
					"actions": rows,
					"acks": dict(kinds),
					"lost": lost,
					"http_5xx": five,
					"other_failures": other,
					"unanswered": unanswered,
					"slow": slow,
					"checks": checks,
				},
				indent=1,
				default=str,
			)
		)
	sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
	main()
