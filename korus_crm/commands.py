"""bench CLI commands of Korus CRM: `bench --site S korus <command>`."""

import click
from frappe.commands import get_site, pass_context


@click.group("korus")
def korus() -> None:
	"""Korus CRM commands."""


@korus.command("import-leads")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
	"--report", type=click.Path(dir_okay=False), help="Write the rejected rows and reasons to this CSV file."
)
@click.option("--dry-run", is_flag=True, help="Check every row, import nothing.")
@pass_context
def import_leads(context, file: str, report: str | None = None, dry_run: bool = False) -> None:
	"""Import leads from a CSV file (columns: Lead fieldnames or labels). Every rule of a lead saved in
	the desk applies (unique email, active source, status); rejected rows are reported with the reason."""
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


commands = [korus]
