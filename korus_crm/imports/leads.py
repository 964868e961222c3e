"""Importing leads from CSV through the same rules as the desk (each row is a Lead insert)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import strip_html, update_progress_bar

from korus_crm.rules.imports import map_headers, row_values

COMMIT_EVERY = 500


@dataclass
class RejectedRow:
	row_number: int  # the CSV line number (the header is line 1)
	values: dict
	reason: str


@dataclass
class ImportResult:
	imported: int = 0
	rejected: list[RejectedRow] = field(default_factory=list)
	ignored_columns: list[str] = field(default_factory=list)
	# imported rows whose name matches an existing lead or customer (korus_crm.customers.duplicates)
	flagged: list[RejectedRow] = field(default_factory=list)


def import_leads_csv(path: str, dry_run: bool = False, progress: bool = False) -> ImportResult:
	frappe.has_permission("Lead", "create", throw=True)
	with open(path, newline="", encoding="utf-8-sig") as f:
		rows = list(csv.DictReader(f))
	meta = frappe.get_meta("Lead")
	fieldnames = [df.fieldname for df in meta.fields if df.fieldtype not in frappe.model.no_value_fields]
	labels = {df.label: df.fieldname for df in meta.fields if df.label and df.fieldname in fieldnames}
	headers = list(rows[0].keys()) if rows else []
	mapping = map_headers(headers, fieldnames, labels)

	result = ImportResult(ignored_columns=[h for h, f in mapping.items() if not f])
	frappe.flags.in_import = True  # as Data Import: no gravatar lookups
	try:
		for index, row in enumerate(rows, start=2):
			values = row_values(row, mapping)
			import_row(index, values, result)
			if progress:
				update_progress_bar("Importing leads", index - 2, len(rows))
			if not dry_run and (index - 1) % COMMIT_EVERY == 0:
				frappe.db.commit()  # a CLI import, never a request: keep transactions short
	finally:
		frappe.flags.in_import = False
	if dry_run:
		frappe.db.rollback()
	else:
		frappe.db.commit()
	return result


def import_row(row_number: int, values: dict, result: ImportResult) -> None:
	from korus_crm.customers.duplicates import existing_with_keys

	frappe.db.savepoint("korus_import_row")
	# duplicates by the keys of the desk's check: the same phone is refused (the same email is
	# refused by the Lead's own rule); the same name is imported and flagged
	same = existing_with_keys("Lead", values)
	if same.get("phone"):
		result.rejected.append(RejectedRow(row_number, values, duplicate_reason("phone", same["phone"])))
		return
	try:
		frappe.get_doc({"doctype": "Lead", **values}).insert()
	except Exception as e:
		frappe.db.rollback(save_point="korus_import_row")
		frappe.local.message_log = []
		result.rejected.append(RejectedRow(row_number, values, reason_of(e)))
	else:
		result.imported += 1
		if same.get("name"):
			result.flagged.append(RejectedRow(row_number, values, duplicate_reason("name", same["name"])))


def duplicate_reason(key: str, records: list[tuple[str, str]]) -> str:
	listed = ", ".join(f"{_(doctype)} {name}" for doctype, name in records)
	if key == "phone":
		return _("A lead or customer with the same phone already exists: {0}").format(listed)
	return _("Possible duplicate (same name): {0}").format(listed)


def reason_of(exc: Exception) -> str:
	"""The message a user would have seen (frappe.throw's text, without HTML)."""
	return strip_html(str(exc)).strip() or exc.__class__.__name__


def write_report(result: ImportResult, path: str) -> None:
	columns = sorted({k for row in result.rejected for k in row.values})
	with open(path, "w", newline="", encoding="utf-8") as f:
		writer = csv.writer(f)
		writer.writerow(["row", "reason", *columns])
		for row in result.rejected:
			writer.writerow([row.row_number, row.reason, *(row.values.get(c, "") for c in columns)])
