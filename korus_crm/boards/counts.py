"""Maintained column counts and value totals of the boards (Board Column Count rows).

Every write path of a counted doctype calls this module (its doc_events, and the few places that
write the group field without a save); `recount` rebuilds the rows from the table (migrate, the
daily job, after bulk changes). Reading a board's counts is then one indexed lookup, whatever the
size of the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import flt, now
from pypika.terms import Values

from korus_crm.rules.counts import Delta, Placement, column_deltas, counter_key


@dataclass(frozen=True)
class CountSpec:
	doctype: str
	group_field: str  # the column of the board
	amount_field: str | None = None  # summed per column
	scope_field: str | None = None  # the board, for doctypes with several boards


LEADS = CountSpec("Lead", "lead_status", amount_field="estimated_value")
# deals: one board per pipeline, a column per stage, values in the company currency
DEALS = CountSpec(
	"Opportunity", "stage_column", amount_field="base_opportunity_amount", scope_field="deal_pipeline"
)

COUNTER = "Board Column Count"


def placement(spec: CountSpec, record) -> Placement | None:
	if record is None:
		return None
	return Placement(
		scope=(record.get(spec.scope_field) or "") if spec.scope_field else "",
		column=record.get(spec.group_field) or None,
		amount=flt(record.get(spec.amount_field)) if spec.amount_field else 0.0,
	)


def record_inserted(spec: CountSpec, doc) -> None:
	apply_deltas(spec, column_deltas(None, placement(spec, doc)))


def record_updated(spec: CountSpec, doc) -> None:
	before = doc.get_doc_before_save()
	if before is None:  # an insert: record_inserted has counted it
		return
	apply_deltas(spec, column_deltas(placement(spec, before), placement(spec, doc)))


def record_deleted(spec: CountSpec, doc) -> None:
	apply_deltas(spec, column_deltas(placement(spec, doc), None))


def record_moved(spec: CountSpec, old: Placement | None, new: Placement | None) -> None:
	"""For writes that bypass the document's hooks (db.set_value of the group field)."""
	apply_deltas(spec, column_deltas(old, new))


def apply_deltas(spec: CountSpec, deltas: list[Delta]) -> None:
	if not deltas:
		return
	table = DocType(COUNTER)
	timestamp, user = now(), frappe.session.user
	query = frappe.qb.into(table).columns(
		table.name,
		table.reference_doctype,
		table.group_field,
		table.scope,
		table.group_value,
		table.record_count,
		table.value_total,
		table.creation,
		table.modified,
		table.owner,
		table.modified_by,
	)
	for d in deltas:
		query = query.insert(
			counter_key(spec.doctype, spec.group_field, d.scope, d.column),
			spec.doctype,
			spec.group_field,
			d.scope,
			d.column,
			d.count,
			d.amount,
			timestamp,
			timestamp,
			user,
			user,
		)
	query.on_duplicate_key_update(
		table.record_count, table.record_count + Values(table.record_count)
	).on_duplicate_key_update(
		table.value_total, table.value_total + Values(table.value_total)
	).on_duplicate_key_update(table.modified, Values(table.modified)).run()


def read_counts(spec: CountSpec, scope: str = "") -> dict[str, tuple[int, float]]:
	"""{column: (records, value total)} of one board, from the maintained rows."""
	table = DocType(COUNTER)
	rows = (
		frappe.qb.from_(table)
		.select(table.group_value, table.record_count, table.value_total)
		.where(
			(table.reference_doctype == spec.doctype)
			& (table.group_field == spec.group_field)
			& (table.scope == scope)
		)
		.run()
	)
	return {value: (int(count or 0), flt(total)) for value, count, total in rows}


def count_from_table(spec: CountSpec, scope: str | None = None) -> dict[tuple[str, str], tuple[int, float]]:
	"""{(scope, column): (records, value total)} counted from the table itself."""
	table = DocType(spec.doctype)
	group = table[spec.group_field]
	scope_col = table[spec.scope_field] if spec.scope_field else None
	amount = Sum(table[spec.amount_field]) if spec.amount_field else Count("*") * 0
	query = frappe.qb.from_(table).where(group.isnotnull() & (group != ""))
	if scope_col is not None:
		query = query.select(scope_col, group, Count("*"), amount).groupby(scope_col, group)
		if scope is not None:
			query = query.where(scope_col == scope)
	else:
		query = query.select(group, Count("*"), amount).groupby(group)
	out = {}
	for row in query.run():
		if scope_col is not None:
			scope_value, column, count, total = row
		else:
			scope_value, (column, count, total) = "", row
		out[(scope_value or "", column)] = (int(count), flt(total))
	return out


def recount(spec: CountSpec) -> None:
	"""Rebuild the counter rows of `spec` from the table."""
	table = DocType(COUNTER)
	frappe.qb.from_(table).delete().where(
		(table.reference_doctype == spec.doctype) & (table.group_field == spec.group_field)
	).run()
	deltas = [
		Delta(scope, column, count, total)
		for (scope, column), (count, total) in count_from_table(spec).items()
	]
	apply_deltas(spec, deltas)


def recount_all() -> None:
	"""The daily job (and migrate): repair any drift (e.g. rows changed by raw SQL)."""
	for spec in COUNTED:
		recount(spec)


COUNTED: tuple[CountSpec, ...] = (LEADS, DEALS)
