"""`korus import-customers`: customers from a CSV file, through the same rules as the desk (each row
is a Customer insert), duplicates found by the desk's duplicate detection
(korus_crm.customers.duplicates), optionally put in a Customer Pool."""

from __future__ import annotations

import csv

import frappe
from frappe.utils import update_progress_bar

from korus_crm.customers.duplicates import existing_with_keys
from korus_crm.imports.leads import ImportResult, RejectedRow, reason_of
from korus_crm.rules.imports import map_headers, row_values

COMMIT_EVERY = 500
# a row sharing one of these keys with an existing customer is that customer: rejected
REJECTING_KEYS = ("email", "phone")


def import_customers_csv(
	path: str, pool: str | None = None, dry_run: bool = False, commit: bool = True, progress: bool = False
) -> ImportResult:
	"""Insert a customer per row (columns: Customer fieldnames or labels). Rejected: rows breaking
	a rule of the Customer, and rows whose email or phone is an existing customer's. Imported and
	flagged: rows sharing only the name with a lead or customer, or the email or phone with a lead.
	`pool`: the Customer Pool of rows without one of their own (without an account manager a
	customer is then in the pool, free to claim). A dry run checks every row and keeps nothing."""
	frappe.has_permission("Customer", "create", throw=True)
	with open(path, newline="", encoding="utf-8-sig") as f:
		rows = list(csv.DictReader(f))
	meta = frappe.get_meta("Customer")
	fieldnames = [df.fieldname for df in meta.fields if df.fieldtype not in frappe.model.no_value_fields]
	labels = {df.label: df.fieldname for df in meta.fields if df.label and df.fieldname in fieldnames}
	mapping = map_headers(list(rows[0].keys()) if rows else [], fieldnames, labels)
	result = ImportResult(ignored_columns=[h for h, f in mapping.items() if not f])

	# not flagged in_import: Frappe would then skip the checks of Select values and ERPNext the
	# numbering of a customer named like another, which a customer saved in the desk gets
	frappe.db.savepoint("korus_import_customers")
	for index, row in enumerate(rows, start=2):
		values = row_values(row, mapping)
		if pool and not values.get("korus_pool"):
			values["korus_pool"] = pool
		import_row(index, values, result)
		if progress:
			update_progress_bar("Importing customers", index - 2, len(rows))
		if commit and not dry_run and (index - 1) % COMMIT_EVERY == 0:
			frappe.db.commit()  # a CLI import, never a request: keep transactions short
	if dry_run:
		frappe.db.rollback(save_point="korus_import_customers")
	elif commit:
		frappe.db.commit()
	return result


def import_row(row_number: int, values: dict, result: ImportResult) -> None:
	frappe.db.savepoint("korus_import_row")
	same = existing_with_keys("Customer", values)
	for key in REJECTING_KEYS:
		customers = [(d, n) for d, n in same.get(key, []) if d == "Customer"]
		if customers:
			reason = f"A customer with the same {key} already exists: {listed(customers)}"
			result.rejected.append(RejectedRow(row_number, values, reason))
			return
	try:
		doc = frappe.new_doc("Customer")  # the defaults of a new customer (group, territory, type)
		doc.update(values)
		doc.insert()
	except Exception as e:
		frappe.db.rollback(save_point="korus_import_row")
		frappe.local.message_log = []
		result.rejected.append(RejectedRow(row_number, values, reason_of(e)))
		return
	result.imported += 1
	flagged = {key: found for key, found in same.items() if found}
	if flagged:
		reason = "Possible duplicate: " + "; ".join(
			f"same {key} as {listed(found)}" for key, found in sorted(flagged.items())
		)
		result.flagged.append(RejectedRow(row_number, {**values, "name": doc.name}, reason))


def listed(records: list[tuple[str, str]]) -> str:
	return ", ".join(f"{doctype} {name}" for doctype, name in records)
