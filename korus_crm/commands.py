"""bench CLI commands of Korus CRM: `bench --site S korus <command>` (docs/commands.md).

Exit codes: 0 done (or every check ok), 1 failed (rows rejected, a rule broken, a problem found),
2 bad usage (click's own: a missing file, an unknown option or pool, a file that is no settings
export). The work is in korus_crm.cli (and the modules it reuses); these are the thin commands."""

import json
import time

import click
from frappe.commands import get_site, pass_context

from korus_crm.cli import FAILED, OK


@click.group("korus")
def korus() -> None:
	"""Korus CRM commands."""


def progress_bar(title: str):
	"""An update_progress_bar(i, total) for long work; its line is ended by `end_progress`."""
	from frappe.utils import update_progress_bar

	return lambda i, total: update_progress_bar(title, i, total)


def end_progress() -> None:
	click.echo("")


@korus.command("import-leads")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
	"--report", type=click.Path(dir_okay=False), help="Write the rejected rows and reasons to this CSV file."
)
@click.option("--dry-run", is_flag=True, help="Check every row, import nothing.")
@pass_context
def import_leads(context, file: str, report: str | None = None, dry_run: bool = False) -> None:
	"""Import leads from a CSV file (columns: Lead fieldnames or labels). Every rule of a lead saved in
	the desk applies (unique email, active source, status); rejected rows are reported with the reason.
	Exits 1 when no row could be imported."""
	import frappe

	from korus_crm.imports.leads import import_leads_csv, write_report

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		result = import_leads_csv(file, dry_run=dry_run, progress=True)
		click.echo("")
		click.echo(
			f"{result.imported} lead(s) {'would be ' if dry_run else ''}imported, {len(result.rejected)} rejected."
		)
		if result.ignored_columns:
			click.echo(f"Ignored columns (no such Lead field): {', '.join(result.ignored_columns)}")
		for row in result.rejected:
			click.echo(f"  row {row.row_number}: {row.reason}")
		if report:
			write_report(result, report)
			click.echo(f"Report written to {report}")
	finally:
		frappe.destroy()
	if result.rejected:
		raise SystemExit(1 if not result.imported else 0)


@korus.command("import-customers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--pool", help="Put the customers (rows without a Customer Pool column) in this Customer Pool.")
@click.option(
	"--report", type=click.Path(dir_okay=False), help="Write the rejected rows and reasons to this CSV file."
)
@click.option("--dry-run", is_flag=True, help="Check every row (duplicates too), import nothing.")
@pass_context
def import_customers(
	context, file: str, pool: str | None = None, report: str | None = None, dry_run: bool = False
) -> None:
	"""Import customers from a CSV file (columns: Customer fieldnames or labels, e.g. Customer Name,
	Customer Type, Office Phone, Account Manager). Every rule of the desk applies. A row whose email
	or phone is an existing customer's is rejected; one sharing only its name with a lead or customer
	(or its email or phone with a lead) is imported and reported as a possible duplicate. Without an
	Account Manager column, customers of --pool are in the pool, free to claim.
	Exits 1 when a row was rejected."""
	import frappe

	from korus_crm.cli import connected
	from korus_crm.cli.customers import import_customers_csv
	from korus_crm.imports.leads import write_report

	with connected(get_site(context)) as commit:
		if pool and not frappe.db.exists("Customer Pool", pool):
			raise click.BadParameter(f"no Customer Pool {pool!r}", param_hint="--pool")
		result = import_customers_csv(file, pool=pool, dry_run=dry_run, commit=commit, progress=True)
		if dry_run:
			forget_rolled_back()
		end_progress()
		would = "would be " if dry_run else ""
		click.echo(
			f"{result.imported} customer(s) {would}imported, {len(result.rejected)} rejected, "
			f"{len(result.flagged)} possible duplicate(s)."
		)
		if result.ignored_columns:
			click.echo(f"Ignored columns (no such Customer field): {', '.join(result.ignored_columns)}")
		for row in result.rejected:
			click.echo(f"  row {row.row_number} rejected: {row.reason}")
		for row in result.flagged:
			click.echo(f"  row {row.row_number} {would}imported as {row.values['name']}: {row.reason}")
		if report:
			write_report(result, report)
			click.echo(f"Report written to {report}")
	raise SystemExit(FAILED if result.rejected else OK)


@korus.command("export-settings")
@click.argument("file", type=click.Path(dir_okay=False, writable=True), required=False)
@pass_context
def export_settings(context, file: str | None = None) -> None:
	"""Write the CRM configuration (lead statuses, pipelines and their stages, Korus CRM Settings, the
	roles' data scopes) as JSON to FILE, or to standard output."""
	from korus_crm.cli import connected
	from korus_crm.cli.settings import export_all

	with connected(get_site(context)):
		text = json.dumps(export_all(), indent=1, sort_keys=True, default=str)
	if file:
		with open(file, "w", encoding="utf-8") as f:
			f.write(text + "\n")
		click.echo(f"Settings written to {file}", err=True)
	else:
		click.echo(text)


@korus.command("import-settings")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--dry-run", is_flag=True, help="Check the file against every rule, change nothing.")
@pass_context
def import_settings(context, file, dry_run: bool = False) -> None:
	"""Create or update the configuration of an export-settings FILE (or the desk's export) on this
	site, matched by name; nothing is deleted. A record breaking a rule stops the import and nothing
	of it is kept (exit 1); a file that is not a settings export is refused (exit 2)."""
	import frappe

	from korus_crm.cli import connected
	from korus_crm.cli.settings import check, import_all
	from korus_crm.rules.settings_io import SettingsFormatError

	try:
		data = check(json.load(file))
	except (ValueError, SettingsFormatError) as e:
		raise click.BadParameter(f"not a Korus CRM settings export: {e}", param_hint="FILE") from e
	with connected(get_site(context)) as commit:
		frappe.db.savepoint("korus_cli_settings_dry_run")
		try:
			done = import_all(data)
		except frappe.ValidationError as e:
			forget_rolled_back()
			click.echo(f"Import failed, nothing changed: {clean(e)}", err=True)
			raise SystemExit(FAILED) from e
		if dry_run:
			frappe.db.rollback(save_point="korus_cli_settings_dry_run")
			forget_rolled_back()
		elif commit:
			frappe.db.commit()
	click.echo(summary(done, "would be imported" if dry_run else "imported"))


@korus.command("reset-settings")
@click.confirmation_option(prompt="Reset the CRM configuration to Korus's defaults?")
@pass_context
def reset_settings(context) -> None:
	"""Back to Korus's defaults: the default lead statuses and pipeline (created or reset; other
	statuses and pipelines are kept, none of them the default), Korus CRM Settings' defaults, and the
	shipped roles' data scopes. Asks first (--yes not to)."""
	import frappe

	from korus_crm.cli import connected
	from korus_crm.cli.settings import reset_all

	with connected(get_site(context)) as commit:
		try:
			done = reset_all()
		except frappe.ValidationError as e:
			forget_rolled_back()
			click.echo(f"Reset failed, nothing changed: {clean(e)}", err=True)
			raise SystemExit(FAILED) from e
		if commit:
			frappe.db.commit()
	click.echo(summary(done, "reset"))


def forget_rolled_back() -> None:
	"""After a rollback to a savepoint: what the caches learnt from the undone writes is dropped
	(Frappe clears them on a full rollback only)."""
	import frappe

	frappe.db.value_cache = {}
	frappe.clear_cache()


def summary(done: dict, verb: str) -> str:
	parts = [f"{len(done.get(k) or [])} {label}" for k, label in (
		("lead_statuses", "lead status(es)"),
		("pipelines", "pipeline(s)"),
		("settings", "setting(s)"),
		("role_scopes", "role scope(s)"),
	)]  # fmt: skip
	return f"{', '.join(parts)} {verb}."


def clean(exc: Exception) -> str:
	from korus_crm.imports.leads import reason_of

	return reason_of(exc)


@korus.command("recount")
@pass_context
def recount(context) -> None:
	"""Rebuild the maintained counts from the tables: the boards' column counts, the dashboard's and
	the per-employee statistics' aggregates, and the stage stays (what the daily repair job,
	korus_crm.boards.counts.recount_all, does)."""
	from korus_crm.analytics import stays
	from korus_crm.boards import counts
	from korus_crm.cli import connected

	with connected(get_site(context)) as commit:
		import frappe

		# the steps of counts.recount_all, one at a time for the progress bar
		steps = [(s.doctype, lambda s=s: counts.recount(s)) for s in counts.COUNTED]
		steps.append(("Deal Stage History", stays.recount))
		started = time.monotonic()
		bar = progress_bar("Recounting")
		for i, (_label, step) in enumerate(steps):
			step()
			bar(i, len(steps))
		end_progress()
		if commit:
			frappe.db.commit()
	click.echo(f"Recounted {', '.join(label for label, _s in steps)} in {time.monotonic() - started:.1f}s.")


@korus.command("pool-return")
@click.option("--dry-run", is_flag=True, help="List the customers that would return, change nothing.")
@click.option(
	"--date",
	"on_date",
	type=click.DateTime(formats=["%Y-%m-%d"]),
	help="Run as on this day (YYYY-MM-DD; default today).",
)
@pass_context
def pool_return(context, dry_run: bool = False, on_date=None) -> None:
	"""Return the owned customers whose return date has come to their pool (the daily job of the
	customer pool); their owners are told. With --dry-run, list them only."""
	from korus_crm.cli import connected
	from korus_crm.cli.pool import due_customers
	from korus_crm.customers.pool import return_due_customers

	today = on_date.date() if on_date else None
	with connected(get_site(context)) as commit:
		if dry_run:
			rows = due_customers(today)
			for r in rows:
				click.echo(
					f"{r.name}\t{r.customer_name}\towner {r.account_manager}\tpool {r.korus_pool}\tdue {r.korus_return_due_on}"
				)
			click.echo(f"{len(rows)} customer(s) would return to their pool.")
			return
		import frappe

		if not commit:  # invoked in a test's transaction: the job's commits are left to the test
			from unittest.mock import patch

			with patch.object(frappe.db, "commit"):
				returned = return_due_customers(today)
		else:
			returned = return_due_customers(today)
	total = sum(len(v) for v in returned.values())
	for owner, customers in sorted(returned.items()):
		click.echo(f"{owner}: {', '.join(customers)}")
	click.echo(f"{total} customer(s) returned to their pool.")


@korus.command("doctor")
@pass_context
def doctor(context) -> None:
	"""Check the site: maintained counts equal a recount, the Workflows match Korus's specifications,
	the scheduler runs, an outgoing email account is set. Prints a table; exits 1 on any problem.
	Writes nothing."""
	from korus_crm.cli import connected
	from korus_crm.cli.doctor import run_checks
	from korus_crm.rules.doctor import exit_code, table

	with connected(get_site(context)):
		checks = run_checks(progress=progress_bar("Checking"))
		end_progress()
	click.echo(table(checks))
	code = exit_code(checks)
	click.echo(f"{sum(not c.ok for c in checks)} problem(s) found." if code else "Every check is ok.")
	raise SystemExit(code)


commands = [korus]
