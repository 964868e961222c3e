"""A working day of Korus CRM under load (issue 15), for Locust.

Each Locust user logs in as its own account (made by prepare.py, listed in $KORUS_LOAD_USERS) with
POST /api/method/login, then acts every 5-15 s as people do, through the calls the desk makes:
the boards, lists, a deal dragged to another stage, leads, follow-ups, lead conversion, offers
(approved by a manager), a claim from the customer pool, the dashboard and reports; and, in the
same run, the ERPNext-only anchor actions (ERPNext's Lead and Opportunity lists as the desk's
list view loads them, saving an Opportunity). Every request is named by its action.

Every write the server acknowledged is appended to $KORUS_LOAD_ACKS (JSON lines), which verify.py
checks against the site after the run. Records a run makes are tagged with $KORUS_LOAD_RUN (leads'
emails at load.invalid, titles starting "Load "), so that cleanup.py finds them.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import time
from collections import deque

from locust import HttpUser, between, events, task

RUN = os.environ.get("KORUS_LOAD_RUN", "manual")
SITE = os.environ.get("KORUS_LOAD_SITE", "anbench.localhost")
CONFIG = json.load(open(os.environ.get("KORUS_LOAD_USERS", "/tmp/korus-load/users.json")))
ACKS = open(os.environ.get("KORUS_LOAD_ACKS", f"/tmp/korus-load/{RUN}-acks.jsonl"), "a", buffering=1)
PIPELINE = CONFIG["pipeline"]
# seconds between a user's actions (people: 5-15 s); a smoke run may shorten them
WAIT = tuple(float(x) for x in os.environ.get("KORUS_LOAD_WAIT", "5,15").split(","))
MOVE_STAGES = ("Qualification", "Proposal", "Negotiation")  # drags stay in open stages (no won/lost)
POOL_PREFIX = "LOAD-POOL-CUST-"
OFFER_DISCOUNT = 15  # above the site's approval threshold (10 %): a manager approves the offer
REPORTS = ("Deal Forecast", "Deal Stage Duration")
CARDS = [
	"korus_crm.api.cards.get_open_leads_card", "korus_crm.api.cards.get_weighted_pipeline_card",
	"korus_crm.api.cards.get_companies_card", "korus_crm.api.cards.get_active_companies_card",
	"korus_crm.api.cards.get_customers_card", "korus_crm.api.cards.get_leads_card",
	"korus_crm.api.cards.get_qualified_leads_card", "korus_crm.api.cards.get_deals_card",
	"korus_crm.api.cards.get_open_deals_card", "korus_crm.api.cards.get_won_deals_card",
	"korus_crm.api.cards.get_revenue_won_card", "korus_crm.api.cards.get_open_pipeline_card",
	"korus_crm.api.cards.get_average_deal_card", "korus_crm.api.cards.get_tasks_card",
	"korus_crm.api.cards.get_pending_tasks_card", "korus_crm.api.cards.get_done_tasks_card",
]  # fmt: skip
CHARTS = {
	"Korus Deals by Month": "deals_by_month_chart", "Korus Revenue by Month": "revenue_by_month_chart",
	"Korus Leads by Source": "leads_by_source_chart", "Korus Tasks by Status": "tasks_by_status_chart",
	"Korus Pipeline Overview": "pipeline_overview_chart", "Korus Pipeline Value": "pipeline_value_chart",
}  # fmt: skip

_sales = itertools.cycle(CONFIG["sales"])
_managers = itertools.cycle(CONFIG["managers"])
_serial = itertools.count(1)
# offers waiting for a manager, shared by the users of this Locust process
awaiting_approval: deque[str] = deque(maxlen=500)


def ack(kind: str, **fields) -> None:
	ACKS.write(json.dumps({"kind": kind, "run": RUN, "at": time.time(), **fields}) + "\n")


class KorusUser(HttpUser):
	"""The shared part: logging in, calling a method by action name, the boards and lists."""

	abstract = True
	wait_time = between(*WAIT)
	user_pool = _sales

	def on_start(self):
		self.client.headers["Host"] = SITE
		self.client.headers["Accept"] = "application/json"
		self.user = next(self.user_pool)
		self.leads: list[str] = []  # made by this user and not converted yet
		self.customers: list[str] = []
		self.deals: list[str] = []
		self.stages: dict[str, str] = {}  # stage name -> Deal Stage
		r = self.client.post(
			"/api/method/login", data={"usr": self.user, "pwd": CONFIG["password"]}, name="login"
		)
		if r.status_code != 200:
			raise RuntimeError(f"{self.user} could not log in: {r.status_code} {r.text[:200]}")

	def call(self, action: str, method: str, params: dict | None = None, post: bool = False, ok=(200,)):
		"""Calls a whitelisted method; returns its message, or None when the call failed (Locust
		records the failure). Codes in `ok` besides 200 are expected refusals, not failures."""
		data = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in (params or {}).items()}
		request = self.client.post if post else self.client.get
		kwargs = {"data": data} if post else {"params": data}
		with request(f"/api/method/{method}", name=action, catch_response=True, **kwargs) as r:
			if r.status_code in ok and r.status_code != 200:
				r.success()
				return None
			if r.status_code != 200:
				r.failure(f"{r.status_code}: {r.text[:300] or r.error}")  # 0: no answer (connection)
				return None
			try:
				return r.json().get("message")
			except ValueError:
				r.failure("not JSON")
				return None

	# --- boards and lists ---

	@task(3)
	def open_lead_board(self):
		self.call("open_lead_board", "korus_crm.api.boards.get_lead_board")

	@task(3)
	def open_deal_board(self):
		board = self.call("open_deal_board", "korus_crm.api.boards.get_deal_board", {"pipeline": PIPELINE})
		if not board:
			return None
		self.stages = {c["name"]: c["stage"] for c in board["columns"]}
		return board

	@task(2)
	def open_customer_list(self):
		self.desk_list(
			"open_customer_list", "Customer", ["name", "customer_name", "customer_group", "korus_status"]
		)

	@task(1)
	def open_follow_up_list(self):
		self.call(
			"open_follow_up_list", "frappe.client.get_list",
			{"doctype": "Customer Follow-up", "fields": ["name", "customer", "followed_up_at", "next_contact_at"],
			 "order_by": "followed_up_at desc", "limit_page_length": 20},
		)  # fmt: skip

	def desk_list(self, action: str, doctype: str, fields: list[str], filters=None):
		"""As Frappe's list view loads a page and its count."""
		table = f"`tab{doctype}`"
		self.call(
			action, "frappe.desk.reportview.get",
			{"doctype": doctype, "fields": [f"{table}.`{f}`" for f in ["name", "modified", *fields]],
			 "filters": filters or [], "order_by": f"{table}.`modified` desc", "start": 0, "page_length": 20,
			 "view": "List", "group_by": "", "with_comment_count": 1},
			post=True,
		)  # fmt: skip
		self.call(
			f"{action} count", "frappe.desk.reportview.get_count",
			{"doctype": doctype, "filters": filters or [], "fields": [], "distinct": "false"}, post=True,
		)  # fmt: skip

	# --- the ERPNext-only anchor ---

	@task(2)
	def erpnext_lead_list(self):
		self.desk_list("erpnext_lead_list", "Lead", ["lead_name", "status", "company_name", "territory"])

	@task(2)
	def erpnext_opportunity_list(self):
		self.desk_list(
			"erpnext_opportunity_list", "Opportunity", ["title", "status", "opportunity_from", "party_name"]
		)

	@task(2)
	def erpnext_save_opportunity(self):
		"""ERPNext's own Opportunity form: a new deal for one of my leads (frappe.client.insert), then
		saved again with a change (frappe.client.save)."""
		if not self.leads:
			return self.create_lead()
		n = next(_serial)
		doc = self.call(
			"erpnext_save_opportunity", "frappe.client.insert",
			{"doc": {"doctype": "Opportunity", "opportunity_from": "Lead", "party_name": random.choice(self.leads),
					 "title": f"Load {RUN} deal {n}", "deal_pipeline": PIPELINE, "company": CONFIG["company"],
					 "opportunity_amount": random.randint(1, 100) * 100, "opportunity_owner": self.user}},
			post=True,
		)  # fmt: skip
		if not doc:
			return None
		ack("create", doctype="Opportunity", name=doc["name"], user=self.user)
		self.deals.append(doc["name"])
		doc["probability"] = random.randint(5, 60)
		saved = self.call("erpnext_save_opportunity", "frappe.client.save", {"doc": doc}, post=True)
		if saved:
			ack(
				"save",
				doctype="Opportunity",
				name=saved["name"],
				field="probability",
				value=doc["probability"],
			)
		return None

	# --- dashboard and reports ---

	@task(1)
	def open_dashboard(self):
		"""The Korus CRM workspace: its number cards, charts and recent activity (the desk loads them
		in parallel; here one after another, each timed)."""
		for method in CARDS:
			self.call("dashboard_card", method, {"filters": {}})
		for chart, method in CHARTS.items():
			self.call(
				"dashboard_chart",
				f"korus_crm.analytics.dashboard.{method}",
				{"chart_name": chart, "filters": {}},
			)
		self.call("dashboard_recent_activity", "korus_crm.analytics.dashboard.recent_activity")

	@task(1)
	def open_report(self):
		today = datetime.date.today()
		report = random.choice(REPORTS)
		filters = {
			"pipeline": PIPELINE,
			"from_date": str(today - datetime.timedelta(days=90)),
			"to_date": str(today),
		}
		if report == "Deal Forecast":
			filters.update(to_date=str(today + datetime.timedelta(days=365)), commit_probability=70)
		self.call(
			"open_report", "frappe.desk.query_report.run",
			{"report_name": report, "filters": filters, "ignore_prepared_report": "false", "are_default_filters": "true"},
		)  # fmt: skip

	# --- writes ---

	@task(3)
	def create_lead(self):
		n = next(_serial)
		doc = self.call(
			"create_lead", "frappe.client.insert",
			{"doc": {"doctype": "Lead", "first_name": "Load", "last_name": f"{RUN} {n}",
					 "email_id": f"load-{RUN}-{n}@load.invalid".lower(), "lead_owner": self.user,
					 "estimated_value": random.randint(1, 100) * 50}},
			post=True,
		)  # fmt: skip
		if doc:
			ack("create", doctype="Lead", name=doc["name"], user=self.user)
			self.leads.append(doc["name"])

	@task(2)
	def move_deal(self):
		"""Drag a deal on the board: a card of mine (a manager: any card this run made) to another
		open stage."""
		board = self.open_deal_board()
		if not board:
			return
		cards = [
			(c["name"], col["name"])
			for col in board["columns"]
			if col["name"] in MOVE_STAGES
			for c in col["cards"]
			if (c.get("title") or "").startswith(f"Load {RUN}")
		]
		if not cards:
			return
		deal, current = random.choice(cards)
		target = random.choice([s for s in MOVE_STAGES if s != current])
		moved = self.call(
			"move_deal",
			"korus_crm.api.deals.move_deal",
			{"deal": deal, "stage": self.stages[target]},
			post=True,
		)
		if moved and moved.get("deal_stage") == self.stages[target]:
			ack("move", deal=deal, stage=self.stages[target], user=self.user)


class SalesUser(KorusUser):
	"""A sales user (ERPNext's Sales User, data scope of the site's Korus Role Scope, an Employee in
	a branch)."""

	weight = 1
	user_pool = _sales

	@task(2)
	def create_follow_up(self):
		if not self.customers:
			return self.convert_lead()
		n = next(_serial)
		when = datetime.datetime.now()  # followed_up_at and _by: the form's defaults (now, me)
		doc = self.call(
			"create_follow_up", "frappe.client.insert",
			{"doc": {"doctype": "Customer Follow-up", "customer": random.choice(self.customers), "method": "Call",
					 "content": f"Load {RUN} follow-up {n}",
					 "next_contact_at": (when + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")}},
			post=True,
		)  # fmt: skip
		if doc:
			ack("create", doctype="Customer Follow-up", name=doc["name"], user=self.user)
		return None

	@task(2)
	def convert_lead(self):
		if not self.leads:
			return self.create_lead()
		lead = self.leads.pop(random.randrange(len(self.leads)))
		n = next(_serial)
		result = self.call(
			"convert_lead", "korus_crm.api.leads.convert_lead",
			{"lead": lead, "customer_name": f"Load {RUN} customer {n}", "company_option": "none", "create_deal": 1,
			 "deal_title": f"Load {RUN} deal {n}", "deal_value": random.randint(1, 100) * 100, "pipeline": PIPELINE},
			post=True,
		)  # fmt: skip
		if result:
			ack(
				"convert",
				lead=lead,
				customer=result["customer"],
				contact=result["contact"],
				deal=result["deal"],
			)
			self.customers.append(result["customer"])
			if result.get("deal"):
				self.deals.append(result["deal"])
		return None

	@task(2)
	def make_offer(self):
		"""Create > Price Offer from a lead (the desk's mapper), one line with a discount above the
		threshold, saved: it waits for a manager's approval."""
		if not self.leads:
			return self.create_lead()
		offer = self.call(
			"make_offer", "korus_crm.api.offers.make_price_offer_for",
			{"source_name": random.choice(self.leads), "args": {"source_doctype": "Lead"}}, post=True,
		)  # fmt: skip
		if not offer:
			return None
		offer["items"] = [
			{"item_code": CONFIG["item"], "qty": random.randint(1, 5), "requested_discount": OFFER_DISCOUNT}
		]
		offer.pop("__islocal", None)
		offer.pop("__unsaved", None)
		doc = self.call("make_offer", "frappe.client.insert", {"doc": offer}, post=True)
		if doc:
			ack("create", doctype="Price Offer", name=doc["name"], user=self.user)
			if doc.get("needs_manager_approval"):
				awaiting_approval.append(doc["name"])
		return None

	@task(1)
	def claim_from_pool(self):
		"""The Customer Pool view of the Customer list, then Claim on one of its customers (another
		user may have taken it a moment before: that refusal is the rule working, not an error)."""
		filters = [["Customer", "korus_in_pool", "=", 1], ["Customer", "name", "like", f"{POOL_PREFIX}%"]]
		rows = self.call(
			"claim_from_pool list", "frappe.client.get_list",
			{"doctype": "Customer", "fields": ["name"], "filters": filters, "order_by": "modified desc",
			 "limit_start": random.randint(0, 500), "limit_page_length": 20},
		)  # fmt: skip
		if not rows:
			return
		customer = random.choice(rows)["name"]
		result = self.call(
			"claim_from_pool",
			"korus_crm.customers.pool.claim",
			{"customer": customer},
			post=True,
			ok=(200, 417),
		)
		if result is not None:
			ack("claim", customer=customer, user=self.user)


class Manager(KorusUser):
	"""A sales manager: reads everything (the 100k boards and lists) and approves offers."""

	fixed_count = len(CONFIG["managers"])  # one Locust user per manager account; the rest are sales users
	user_pool = _managers

	@task(3)
	def approve_offer(self):
		self.call(
			"approve_offer list", "frappe.client.get_list",
			{"doctype": "Price Offer", "fields": ["name", "party_name", "grand_total"],
			 "filters": {"status": "Draft", "needs_manager_approval": 1}, "limit_page_length": 20},
		)  # fmt: skip
		if not awaiting_approval:
			return
		offer = awaiting_approval.popleft()
		result = self.call(
			"approve_offer", "korus_crm.api.offers.approve_price_offer", {"offer": offer}, post=True
		)
		if result and result.get("status") == "Approved":
			ack("approve", offer=offer, user=self.user)


@events.quitting.add_listener
def _close(environment, **_kw):
	ACKS.close()
