"""The administrators' bench commands (`bench --site S korus …`, docs/commands.md): their help,
exit codes (0 done, 1 problems, 2 bad usage), dry runs that write nothing, the doctor finding drift
made by raw SQL, a changed Workflow, a disabled scheduler and a missing email account, and a settings
export -> reset -> import round trip.

The commands are invoked with click's CliRunner in the test's own connection (korus_crm.cli
.connected: nothing is committed, the test rolls back), and a few through a real `bench` process."""

from __future__ import annotations

import csv
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import frappe
import pytest
from click.testing import CliRunner
from frappe.utils import add_days, nowdate

from korus_crm.analytics import stays
from korus_crm.boards import counts
from korus_crm.commands import korus
from korus_crm.customers import pool
from korus_crm.scope import ROLE_SCOPES_KEY
from tests.integration.conftest import BENCH, SITE
from tests.integration.factories import make_customer, make_deal, make_lead, make_pipeline, stage_of, unique

COMMANDS = (
	"import-leads",
	"import-customers",
	"export-settings",
	"import-settings",
	"reset-settings",
	"recount",
	"pool-return",
	"doctor",
)


def run(*args: str, input: str | None = None):
	"""`bench --site SITE korus ARGS`, in this process and transaction."""
	return CliRunner().invoke(korus, list(args), obj={"sites": [SITE], "profile": False}, input=input)


def bench(*args: str) -> subprocess.CompletedProcess:
	"""`bench --site SITE korus ARGS` as a real process (its own connection)."""
	return subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", SITE, "korus", *args],
		cwd=BENCH / "sites",
		capture_output=True,
		text=True,
		check=False,
	)


def write_csv(path: Path, rows: list[dict]) -> str:
	with open(path, "w", newline="", encoding="utf-8") as f:
		writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
		writer.writeheader()
		writer.writerows(rows)
	return str(path)


def check_row(output: str, name: str) -> str:
	"""The doctor's table row of the check whose name starts with `name`."""
	return next(line for line in output.splitlines() if line.startswith(name))


def result_of(output: str, name: str) -> str:
	"""The result column ("ok" or "PROBLEM") of that check."""
	return re.split(r"\s{2,}", check_row(output, name))[1]


@pytest.fixture
def healthy(outgoing_email_account):
	"""A site every check passes on: counts recounted, scheduler enabled, an outgoing email account."""
	counts.recount_all()
	frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
	yield


@pytest.fixture
def forget_caches():
	"""Caches filled from this test's rolled-back writes are dropped afterwards."""
	yield
	frappe.cache.delete_value(ROLE_SCOPES_KEY)
	pool.forget_pools()
	frappe.clear_document_cache("Korus CRM Settings", "Korus CRM Settings")


# --- help and usage ---


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
	result = run(command, "--help")
	assert result.exit_code == 0, result.output
	assert f"Usage: korus {command}" in result.output
	assert len(result.output.split("Options:")[0].split()) > 8  # a description, not just the usage line


def test_bad_usage_exits_2_through_bench(tmp_path):
	missing = bench("import-customers", str(tmp_path / "missing.csv"))
	assert missing.returncode == 2, missing.stdout + missing.stderr
	assert "does not exist" in missing.stderr
	unknown = bench("pool-return", "--date", "tomorrow")
	assert unknown.returncode == 2, unknown.stdout + unknown.stderr
	listed = bench("--help")
	assert listed.returncode == 0
	for command in COMMANDS:
		assert command in listed.stdout


def test_the_doctor_runs_through_bench_and_prints_its_table():
	out = bench("doctor")
	assert out.returncode in (0, 1), out.stdout + out.stderr
	for check in (
		"Counts in sync: Lead",
		"Workflow matches its specification",
		"Scheduler running",
		"Email account configured",
	):
		assert check in out.stdout
	assert ("Every check is ok." in out.stdout) == (out.returncode == 0)


# --- import-customers ---


def customer_rows(existing_phone: str, lead_name: str) -> list[dict]:
	tag = frappe.generate_hash(length=6)
	digits = str(random.randint(100000, 999999))
	return [
		{"customer_name": f"Cli Good {tag}", "customer_type": "Company", "office_phone": f"+48 600 {digits}", "Colour": "x"},
		{"customer_name": f"Cli Twin {tag}", "customer_type": "Company", "office_phone": existing_phone, "Colour": ""},
		{"customer_name": lead_name, "customer_type": "Company", "office_phone": "", "Colour": ""},
		{"customer_name": f"Cli Odd {tag}", "customer_type": "Alien", "office_phone": "", "Colour": ""},
	]  # fmt: skip


def test_import_customers_reports_duplicates_and_fills_the_pool(tmp_path, forget_caches):
	digits = str(random.randint(1000000, 9999999))
	existing = make_customer(office_phone=f"+48 22 {digits}")
	lead = make_lead(company_name=unique("Cli Lead Co"))
	pool_name = (
		frappe.get_doc({"doctype": "Customer Pool", "pool_name": unique("Cli Pool"), "enabled": 1})
		.insert()
		.name
	)
	rows = customer_rows(f"0048 22{digits}", lead.company_name)
	path = write_csv(tmp_path / "customers.csv", rows)
	report = tmp_path / "report.csv"

	result = run("import-customers", path, "--pool", pool_name, "--report", str(report))

	assert result.exit_code == 1, result.output  # rows were rejected
	assert "Importing customers" in result.output  # the progress bar
	assert "2 customer(s) imported, 2 rejected, 1 possible duplicate(s)." in result.output
	assert "Ignored columns (no such Customer field): Colour" in result.output
	assert (
		f"row 3 rejected: A customer with the same phone already exists: Customer {existing.name}"
		in result.output
	)
	assert "row 5 rejected:" in result.output and "Alien" in result.output
	assert f"same name as Lead {lead.name}" in result.output
	imported = frappe.get_all(
		"Customer",
		filters={"customer_name": ("in", [rows[0]["customer_name"], lead.company_name])},
		fields=["korus_pool", "korus_in_pool", "account_manager"],
	)
	assert len(imported) == 2
	assert all(r.korus_pool == pool_name and r.korus_in_pool == 1 and not r.account_manager for r in imported)
	with open(report) as f:
		assert [r["row"] for r in csv.DictReader(f)] == ["3", "5"]


def test_a_dry_run_imports_nothing_and_a_clean_file_exits_0(tmp_path):
	rows = customer_rows("", unique("Nobody"))
	path = write_csv(tmp_path / "clean.csv", [rows[0], {**rows[2], "office_phone": "+48 601 000 999"}])
	before = frappe.db.count("Customer")

	dry = run("import-customers", path, "--dry-run")

	assert dry.exit_code == 0, dry.output
	assert "2 customer(s) would be imported, 0 rejected" in dry.output
	assert frappe.db.count("Customer") == before
	# the file's own rows are checked against each other: the second copy is a duplicate
	twice = write_csv(tmp_path / "twice.csv", [rows[0], rows[0]])
	result = run("import-customers", twice, "--dry-run")
	assert result.exit_code == 1
	assert "1 customer(s) would be imported, 1 rejected" in result.output
	assert frappe.db.count("Customer") == before

	done = run("import-customers", path)
	assert done.exit_code == 0, done.output
	assert frappe.db.count("Customer") == before + 2


def test_an_unknown_pool_is_bad_usage(tmp_path):
	path = write_csv(tmp_path / "c.csv", [{"customer_name": unique("Cli")}])
	result = run("import-customers", path, "--pool", "No Such Pool")
	assert result.exit_code == 2
	assert "No Such Pool" in result.output


# --- settings ---


def scope_of(role: str) -> tuple:
	doc = frappe.get_doc("Korus Role Scope", role)
	return doc.default_scope, [(r.document_type, r.scope) for r in doc.rules]


def test_export_reset_import_round_trip_restores_the_settings(tmp_path, forget_caches):
	office = "Korus Office Staff"
	frappe.db.set_single_value("Korus CRM Settings", "customer_lapse_days", 123)
	scope = frappe.get_doc("Korus Role Scope", office)
	scope.default_scope = "All"
	scope.set("rules", [{"document_type": "Lead", "scope": "Own"}])
	scope.save()
	frappe.db.set_value("Lead Status", "Contacted", "color", "#123456")
	pipeline = make_pipeline()
	custom = ("All", [("Lead", "Own")])
	path = tmp_path / "settings.json"

	exported = run("export-settings", str(path))
	assert exported.exit_code == 0, exported.output
	data = json.loads(path.read_text())
	assert data["settings"]["customer_lapse_days"] == 123
	assert {"role": office, "default_scope": "All"}.items() <= next(
		s for s in data["role_scopes"] if s["role"] == office
	).items()
	assert pipeline.name in [p["pipeline_name"] for p in data["pipelines"]]
	to_stdout = run("export-settings")
	assert json.loads(to_stdout.stdout)["settings"]["customer_lapse_days"] == 123

	refused = run("reset-settings", input="n\n")
	assert refused.exit_code == 1  # not confirmed: aborted
	assert frappe.db.get_single_value("Korus CRM Settings", "customer_lapse_days") == 123

	reset = run("reset-settings", "--yes")
	assert reset.exit_code == 0, reset.output
	assert frappe.db.get_single_value("Korus CRM Settings", "customer_lapse_days") == 365
	assert scope_of(office) == ("Branch", [])
	assert frappe.db.get_value("Lead Status", "Contacted", "color") != "#123456"

	dry = run("import-settings", str(path), "--dry-run")
	assert dry.exit_code == 0, dry.output
	assert "would be imported" in dry.output
	assert frappe.db.get_single_value("Korus CRM Settings", "customer_lapse_days") == 365
	assert scope_of(office) == ("Branch", [])

	imported = run("import-settings", str(path))
	assert imported.exit_code == 0, imported.output
	assert frappe.db.get_single_value("Korus CRM Settings", "customer_lapse_days") == 123
	assert scope_of(office) == custom
	assert frappe.db.get_value("Lead Status", "Contacted", "color") == "#123456"


def test_import_settings_refuses_a_foreign_file_and_keeps_nothing_of_a_broken_one(tmp_path, forget_caches):
	foreign = tmp_path / "foreign.json"
	foreign.write_text(json.dumps({"format": "something else"}))
	result = run("import-settings", str(foreign))
	assert result.exit_code == 2
	assert "not a Korus CRM settings export" in result.output

	data = json.loads(run("export-settings").stdout)
	data["settings"]["customer_lapse_days"] = 77
	data["lead_statuses"].append({"status_name": unique("Cli Status"), "erpnext_status": "No Such Status"})
	broken = tmp_path / "broken.json"
	broken.write_text(json.dumps(data))
	before = frappe.db.count("Lead Status")
	result = run("import-settings", str(broken))
	assert result.exit_code == 1, result.output
	assert "Import failed, nothing changed" in result.output
	assert frappe.db.count("Lead Status") == before


# --- recount and doctor ---


def test_the_doctor_finds_drift_made_by_raw_sql_and_recount_repairs_it(healthy):
	pipeline = make_pipeline()
	deal = make_deal(customer=make_customer().name, amount=1000, deal_pipeline=pipeline.name)
	doc = frappe.get_doc("Opportunity", deal.name)
	doc.deal_stage = stage_of(pipeline.name, "Proposal")
	doc.save()  # a closed stage stay
	clean = run("doctor")
	assert clean.exit_code == 0, clean.output
	assert "Every check is ok." in clean.output

	frappe.db.sql(
		"""update `tabBoard Column Count` set record_count = record_count + 3
		where reference_doctype = 'Opportunity' and group_field = 'deal_stage' and dimension = ''
		order by name limit 1"""
	)
	frappe.db.sql(
		"""update `tabBoard Column Count` set value_total = value_total + 60
		where reference_doctype = %s and group_field = %s order by name limit 1""",
		(stays.STAYS.doctype, stays.STAYS.group_field),
	)
	drifted = run("doctor")
	assert drifted.exit_code == 1, drifted.output
	assert "PROBLEM" in check_row(drifted.output, "Counts in sync: Opportunity")
	assert "deal_stage: 1 row(s)" in check_row(drifted.output, "Counts in sync: Opportunity")
	assert "stay_month: 1 row(s)" in check_row(drifted.output, "Counts in sync: Deal Stage History")
	assert result_of(drifted.output, "Counts in sync: Lead") == "ok"
	assert "1 problem(s) found." not in drifted.output and "2 problem(s) found." in drifted.output

	recounted = run("recount")
	assert recounted.exit_code == 0, recounted.output
	assert "Recounting" in recounted.output
	assert run("doctor").exit_code == 0


def test_the_doctor_finds_a_disabled_scheduler_a_changed_workflow_and_no_email_account(
	healthy, outgoing_email_account
):
	frappe.db.set_single_value("System Settings", "enable_scheduler", 0)
	frappe.db.sql(
		"""update `tabWorkflow Transition` set allowed = 'Guest'
		where parent = 'Contract Order Approval' and action = 'Reject'"""
	)
	frappe.db.set_value("Email Account", outgoing_email_account.name, "enable_outgoing", 0)

	result = run("doctor")

	assert result.exit_code == 1, result.output
	assert "PROBLEM" in check_row(result.output, "Scheduler running")
	assert "disabled in System Settings" in check_row(result.output, "Scheduler running")
	row = check_row(result.output, "Workflow matches its specification: Contract Order Approval")
	assert "PROBLEM" in row and "Reject" in row and "(Guest)" in row
	assert result_of(result.output, "Workflow matches its specification: Price Offer Approval") == "ok"
	assert "PROBLEM" in check_row(result.output, "Email account configured")
	assert "3 problem(s) found." in result.output


# --- pool-return ---


def test_pool_return_dry_run_lists_and_changes_nothing_then_returns(sales_user, forget_caches):
	customer = make_customer(account_manager=sales_user)
	frappe.db.set_value("Customer", customer.name, "korus_return_due_on", add_days(nowdate(), -1))

	dry = run("pool-return", "--dry-run")

	assert dry.exit_code == 0, dry.output
	assert customer.name in dry.output and sales_user in dry.output
	assert "would return to their pool" in dry.output
	assert frappe.db.get_value("Customer", customer.name, ["account_manager", "korus_in_pool"]) == (
		sales_user,
		0,
	)
	earlier = run("pool-return", "--dry-run", "--date", add_days(nowdate(), -2))
	assert customer.name not in earlier.output

	done = run("pool-return")

	assert done.exit_code == 0, done.output
	assert f"{sales_user}: " in done.output and customer.name in done.output
	assert frappe.db.get_value("Customer", customer.name, ["account_manager", "korus_in_pool"]) == (None, 1)
