"""Reads from the MariaDB replica (scripts/replica, docs/replica.md).

- Korus's reports, dashboards, statistics and exports run under @frappe.read_only() (an audit that
  enumerates them); Frappe sends those reads to the replica when the site has `read_from_replica`.
- With `read_from_replica` on, a dashboard call reads the replica: a row that exists only on the
  replica (written there directly, removed afterwards) shows up, in process and over REST, and the
  primary's connection runs no SELECT for it.
- Writes never go to the replica: a write in a request lands on the primary (and reaches the replica
  only by replication), and the replica refuses a write from the site's user.

The replica tests need Frappe's replica keys (replica_host, replica_db_port in common_site_config):
without them they fail under CI=true and are skipped, loudly, elsewhere. `read_from_replica` is
switched on only inside these tests: test sites read the primary, where a test's uncommitted records
are.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

import pytest

APP = Path(__file__).resolve().parents[2] / "korus_crm"

# Exports that are plain reads of the records the user may read.
EXPORTS = ("korus_crm.deals.bulk.export", "korus_crm.catalogue.bulk.export")


# --- the audit: what must run under @frappe.read_only() ---


def _read_only_code():
	import frappe

	return frappe.read_only()(lambda: None).__code__


def is_read_only(fn) -> bool:
	"""Whether `fn` (through any decorators that keep __wrapped__) runs under frappe.read_only()."""
	code = _read_only_code()
	seen = 0
	while fn is not None and seen < 10:
		if getattr(fn, "__code__", None) is code:
			return True
		fn = getattr(fn, "__wrapped__", None)
		seen += 1
	return False


def _resolve(path: str):
	module, _, name = path.rpartition(".")
	return getattr(importlib.import_module(module), name)


def read_paths() -> list[str]:
	"""Every Korus report's execute, the dashboard's cards and charts (from their records), every
	whitelisted function of korus_crm.analytics, the statistics and the exports."""
	import frappe

	paths: set[str] = set()
	for py in sorted((APP / "korus_crm" / "report").glob("*/*.py")):
		if py.stem == py.parent.name:
			paths.add(f"korus_crm.korus_crm.report.{py.parent.name}.{py.stem}.execute")
	for card in (APP / "korus_crm" / "number_card").glob("*/*.json"):
		method = json.loads(card.read_text()).get("method")
		if method and method.startswith("korus_crm."):
			paths.add(method)
	for source in (APP / "korus_crm" / "dashboard_chart_source").glob("*/*.js"):
		paths.update(re.findall(r'method:\s*"(korus_crm\.[\w.]+)"', source.read_text()))
	modules = [
		importlib.import_module(f"korus_crm.analytics.{py.stem}")
		for py in sorted((APP / "analytics").glob("*.py"))
	]
	whitelisted = set(frappe.whitelisted)  # after the imports: whitelisting happens at import
	for module in modules:
		for name, value in vars(module).items():
			if (
				callable(value)
				and value in whitelisted
				and getattr(value, "__module__", "") == module.__name__
			):
				paths.add(f"{module.__name__}.{name}")
	paths.add("korus_crm.analytics.employees.statistics")
	paths.update(EXPORTS)
	return sorted(paths)


def test_reports_dashboards_statistics_and_exports_run_read_only(frappe_site):
	paths = read_paths()
	# the enumeration finds what it should: reports, cards, charts, recent activity
	assert sum(".report." in p for p in paths) >= 14, paths
	assert sum(p.startswith("korus_crm.api.cards.") for p in paths) >= 15, paths
	assert sum(p.endswith("_chart") for p in paths) >= 6, paths
	assert "korus_crm.analytics.dashboard.recent_activity" in paths
	missing = [p for p in paths if not is_read_only(_resolve(p))]
	assert not missing, f"not under @frappe.read_only(): {missing}"


# --- the replica itself ---


def _replica_settings() -> tuple[str, int]:
	import frappe

	host, port = frappe.conf.replica_host, frappe.conf.replica_db_port
	if not host:
		message = (
			"NO READ REPLICA CONFIGURED (replica_host / replica_db_port in common_site_config.json): "
			"the replica tests did not run. scripts/replica sets one up (docs/replica.md)."
		)
		if os.environ.get("CI") == "true":
			pytest.fail(message)
		warnings.warn(message, stacklevel=1)
		pytest.skip(message)
	return host, int(port or 3306)


class Replica:
	"""Root's connection to the replica (root may write there despite read_only: the probe rows)."""

	def __init__(self, host: str, port: int) -> None:
		import frappe
		import pymysql

		self.conn = pymysql.connect(
			host=host,
			port=port,
			user="root",
			password=frappe.conf.root_password,
			database=frappe.conf.db_name,
			autocommit=True,
			charset="utf8mb4",
		)

	def sql(self, query: str, values=None):
		with self.conn.cursor() as cur:
			cur.execute(query, values)
			return cur.fetchall()

	def com_select(self) -> int:
		return int(self.sql("SHOW GLOBAL STATUS LIKE 'Com_select'")[0][1])

	def wait_for_primary(self, timeout: int = 30) -> None:
		"""Until the replica has applied what the primary has written so far."""
		import frappe

		position = frappe.db.sql("SELECT @@gtid_binlog_pos")[0][0]
		if position:
			assert self.sql("SELECT MASTER_GTID_WAIT(%s, %s)", (position, timeout))[0][0] == 0, (
				"the replica did not catch up with the primary (scripts/replica status)"
			)


@pytest.fixture
def replica(frappe_site):
	host, port = _replica_settings()
	try:
		r = Replica(host, port)
	except Exception as e:
		pytest.fail(
			f"replica_host {host}:{port} is configured but does not answer ({e}); scripts/replica status"
		)
	running = {row[0]: row[1] for row in r.sql("SELECT 'read_only', @@read_only")}
	assert running["read_only"] == 1, "the replica must be read_only"
	yield r
	r.conn.close()


def _forget_replica_connection() -> None:
	"""frappe.read_only() switches only where the request has no replica connection yet (the
	attributes outlive the switch); a test process is one long 'request'."""
	import frappe

	primary = getattr(frappe.local, "primary_db", None)
	if primary is not None:
		frappe.local.db = primary
	for attr in ("primary_db", "replica_db"):
		if hasattr(frappe.local, attr):
			delattr(frappe.local, attr)


@contextmanager
def reading_from_replica():
	"""The site's read_from_replica on, in this process and in the requests the API client makes."""
	import frappe

	real = frappe.get_site_config

	def with_replica(*args, **kwargs):
		conf = real(*args, **kwargs)
		conf["read_from_replica"] = True
		return conf

	_forget_replica_connection()
	before = frappe.local.conf.get("read_from_replica")
	frappe.local.conf.read_from_replica = True
	try:
		with patch("frappe.get_site_config", with_replica):
			yield
	finally:
		frappe.local.conf.read_from_replica = before
		_forget_replica_connection()


@contextmanager
def deal_only_on_replica(replica: Replica):
	"""An Opportunity row written on the replica alone (newest of all: shown first by recent activity)."""
	name = f"REPLICA-PROBE-{uuid.uuid4().hex[:10]}"
	replica.sql(
		"INSERT INTO `tabOpportunity` (name, creation, modified, owner, modified_by, docstatus, title, "
		"opportunity_from, status) VALUES (%s, '2099-01-01 00:00:00', '2099-01-01 00:00:00', "
		"'Administrator', 'Administrator', 0, %s, 'Customer', 'Open')",
		(name, name),
	)
	try:
		yield name
	finally:
		replica.sql("DELETE FROM `tabOpportunity` WHERE name = %s", (name,))


def _session_selects() -> int:
	import frappe

	return int(frappe.db.sql("SHOW SESSION STATUS LIKE 'Com_select'")[0][1])


def test_a_dashboard_call_reads_the_replica(replica):
	import frappe

	from korus_crm.analytics import dashboard

	with deal_only_on_replica(replica) as probe:
		assert not frappe.db.exists("Opportunity", probe), "the probe row must exist on the replica only"
		without = [d.name for d in dashboard.recent_activity()["deals"]]
		assert probe not in without, "without read_from_replica the dashboard reads the primary"
		with reading_from_replica():
			replica_selects = replica.com_select()
			primary_selects = _session_selects()
			deals = [d.name for d in dashboard.recent_activity()["deals"]]
			assert _session_selects() == primary_selects, (
				"the primary's connection ran the dashboard's SELECTs"
			)
			assert replica.com_select() > replica_selects, "the replica ran no SELECT"
			assert frappe.local.db is frappe.local.primary_db, "the request is back on the primary afterwards"
		assert deals[0] == probe, f"the row only the replica has is not shown: {deals}"


def test_a_dashboard_request_reads_the_replica(replica, api):
	with deal_only_on_replica(replica) as probe:
		client = api("System Manager", "Sales Manager")
		path = "/api/method/korus_crm.analytics.dashboard.recent_activity"
		assert probe not in str(client.get(path).json), (
			"without read_from_replica the request reads the primary"
		)
		with reading_from_replica():
			response = client.get(path)
		assert response.status_code == 200, response
		assert probe in [d["name"] for d in response.json["message"]["deals"]]


def test_writes_never_go_to_the_replica(replica, api, committed):
	import frappe
	import pymysql

	client = api("System Manager")
	marker = f"replica write probe {uuid.uuid4().hex[:10]}"
	with reading_from_replica():
		response = client.post("/api/resource/ToDo", {"description": marker})
	assert response.status_code == 200, response
	name = response.json["data"]["name"]
	committed.add("ToDo", name)
	# committed by the request on the primary (read here over a connection of its own, outside this
	# test's transaction); the replica has it only through replication
	primary = pymysql.connect(
		host=frappe.conf.db_host or "127.0.0.1",
		port=int(frappe.conf.db_port or 3306),
		user=frappe.conf.db_name,
		password=frappe.conf.db_password,
		database=frappe.conf.db_name,
	)
	try:
		with primary.cursor() as cur:
			cur.execute("SELECT description FROM `tabToDo` WHERE name = %s", (name,))
			assert cur.fetchall(), "the request's write is not on the primary"
	finally:
		primary.close()
	replica.wait_for_primary()
	assert replica.sql("SELECT COUNT(*) FROM `tabToDo` WHERE name = %s", (name,))[0][0] == 1

	# and a write attempted under frappe.read_only() is refused by the replica (read_only=1)
	@frappe.read_only()
	def write_while_reading():
		frappe.db.sql("UPDATE `tabToDo` SET description = %s WHERE name = %s", ("changed", name))

	with reading_from_replica():
		with pytest.raises(Exception) as refused:
			write_while_reading()
	assert "read-only" in str(refused.value) or "1290" in str(refused.value), refused.value
	replica.wait_for_primary()
	assert replica.sql("SELECT description FROM `tabToDo` WHERE name = %s", (name,))[0][0] == marker
