"""Importing leads from CSV applies every lead rule and reports each rejected row with its reason,
through the Python API and through `bench --site S korus import-leads`."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import frappe

from korus_crm.imports.leads import import_leads_csv
from tests.integration.conftest import BENCH, SITE
from tests.integration.factories import make_lead, make_lead_source


def write_csv(path: Path, rows: list[dict]) -> str:
	with open(path, "w", newline="", encoding="utf-8") as f:
		writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
		writer.writeheader()
		writer.writerows(rows)
	return str(path)


def test_rows_breaking_the_rules_are_rejected_with_reasons(tmp_path):
	existing = make_lead(email_id="already.korus@example.com")
	inactive = make_lead_source(is_active=0)
	path = write_csv(
		tmp_path / "leads.csv",
		[
			{
				"First Name": "Good",
				"Email": "good.korus@example.com",
				"Lead Status": "Contacted",
				"Colour": "x",
			},
			{"First Name": "Twin", "Email": " ALREADY.korus@example.com", "Lead Status": "", "Colour": ""},
			{"First Name": "Gone", "Email": "gone.korus@example.com", "Lead Status": "", "Colour": ""},
			{"First Name": "Odd", "Email": "odd.korus@example.com", "Lead Status": "Nope", "Colour": ""},
			{"First Name": "Twice", "Email": "good.KORUS@example.com", "Lead Status": "", "Colour": ""},
		],
	)
	# the third row uses the inactive source
	rows = list(csv.DictReader(open(path)))
	rows[2]["Source"] = inactive.name
	for row in rows:
		row.setdefault("Source", "")
	path = write_csv(tmp_path / "leads2.csv", rows)

	result = import_leads_csv(path, dry_run=True)

	assert result.imported == 1
	assert result.ignored_columns == ["Colour"]
	reasons = {r.row_number: r.reason for r in result.rejected}
	assert set(reasons) == {3, 4, 5, 6}
	assert existing.name in reasons[3]
	assert "inactive" in reasons[4]
	assert "Nope" in reasons[5]
	assert "already exists" in reasons[6]
	# a dry run imports nothing
	assert not frappe.db.exists("Lead", {"email_normalized": "good.korus@example.com"})


def test_the_bench_command_imports_reports_and_shows_progress(tmp_path, committed):
	path = write_csv(
		tmp_path / "cli.csv",
		[
			{"first_name": "Cli One", "email_id": "cli.one.korus@example.com"},
			{"first_name": "Cli Dup", "email_id": "CLI.ONE.korus@example.com"},
		],
	)
	report = tmp_path / "report.csv"
	out = subprocess.run(
		[
			sys.executable,
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"--site",
			SITE,
			"korus",
			"import-leads",
			path,
			"--report",
			str(report),
		],
		cwd=BENCH / "sites",
		capture_output=True,
		text=True,
		check=False,
	)
	frappe.db.rollback()
	imported = frappe.db.get_value("Lead", {"email_normalized": "cli.one.korus@example.com"})
	if imported:
		committed.add("Lead", imported)
	assert out.returncode == 0, out.stdout + out.stderr
	assert "1 lead(s) imported, 1 rejected." in out.stdout
	assert "Importing leads" in out.stdout
	assert "row 3:" in out.stdout
	assert imported
	with open(report) as f:
		rejected = list(csv.DictReader(f))
	assert [r["row"] for r in rejected] == ["3"]
	assert "already exists" in rejected[0]["reason"]


def test_frappes_data_import_applies_the_unique_email_rule(tmp_path, committed):
	"""Frappe's own Data Import (each row a Lead insert, committed row by row) refuses the duplicate."""
	from frappe.core.doctype.data_import.data_import import import_file

	suffix = frappe.generate_hash(length=6)
	existing = make_lead(email_id=f"di.{suffix}@example.com")
	frappe.db.commit()
	committed.add("Lead", existing.name)
	path = write_csv(
		tmp_path / "data_import.csv",
		[
			{"First Name": "Twin", "Email": f"  DI.{suffix}@Example.com "},
			{"First Name": "Fresh", "Email": f"fresh.{suffix}@example.com"},
		],
	)
	cwd = os.getcwd()
	os.chdir(tmp_path)  # the console importer writes its log of failed rows to the working folder
	try:
		import_file("Lead", path, "Insert", console=True)  # console: read the file from its path
	finally:
		os.chdir(cwd)
	frappe.db.rollback()
	for name in frappe.get_all(
		"Lead", filters={"email_normalized": ("like", f"%{suffix}@example.com")}, pluck="name"
	):
		if name != existing.name:
			committed.add("Lead", name)
	for log in frappe.get_all("Data Import Log", filters={"data_import": ("is", "not set")}, pluck="name"):
		committed.add("Data Import Log", log)
	assert frappe.db.count("Lead", {"email_normalized": f"di.{suffix}@example.com"}) == 1
	assert frappe.db.count("Lead", {"email_normalized": f"fresh.{suffix}@example.com"}) == 1
