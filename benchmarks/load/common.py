"""What the load test's scripts share: the site connection (as the bench's other benchmarks do),
the names that tag a run's records, and the accounts the prepare step makes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

BENCH = Path(os.environ.get("FRAPPE_BENCH", "/home/frappe/frappe-bench"))
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the app's repository (benchmarks, tests)

PIPELINE = "Analytics Bench"  # made by benchmarks/analytics_at_scale.py with the site's 100k deals
MOVE_STAGES = ("Qualification", "Proposal", "Negotiation")  # drags stay in open stages
POOL = "Public Pool"
ITEM = "LOAD-ITEM-01"
ITEM_RATE = 100.0
POOL_CUSTOMER_PREFIX = "LOAD-POOL-CUST-"
EMAIL_DOMAIN = "load.invalid"  # every lead a run makes has an email at this domain
TITLE_PREFIX = "Load "  # and every deal, customer and follow-up a run makes starts so
BRANCHES = ("Load North", "Load South")


def account(i: int) -> str:
	return f"load-sales-{i:03d}@korus.invalid"


def manager(i: int) -> str:
	return f"load-manager-{i:02d}@korus.invalid"


def connect(site: str):
	import frappe

	os.chdir(BENCH / "sites")
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	return frappe
