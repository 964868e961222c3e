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
# The site's records belong to the 20 owners benchmarks/analytics_at_scale.py made; the prepare step
# hands each owner's book (leads, deals, customers) out among the sales users mapped to that owner
# (user k gets a share of owner k % 20's records), so that every sales user works on a real book in
# their Own scope; the clean-up (--all) gives them back.
SITE_OWNERS = 20
BOOKS = (("Lead", "lead_owner"), ("Opportunity", "opportunity_owner"), ("Customer", "account_manager"))


def site_owner(k: int) -> str:
	return f"an-bench-{k % SITE_OWNERS:02d}@korus.invalid"


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
