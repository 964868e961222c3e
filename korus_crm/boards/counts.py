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
from frappe.utils import flt, now
from pypika.terms import Values

from korus_crm.rules.counts import Delta, Placement, column_deltas, counter_key
from korus_crm.rules.pipelines import weighted_value
from korus_crm.rules.scope import SCOPE_FIELDS, SCOPED


@dataclass(frozen=True)
class CountSpec:
	doctype: str
	group_field: str  # the column of the board
	amount_field: str | None = None  # summed per column
	scope_field: str | None = None  # the board, for doctypes with several boards
	probability_field: str | None = None  # amount x probability / 100 is summed as the weighted total

	@property
	def dimensions(self) -> tuple[str, ...]:
		"""The columns data scope reads this doctype by (korus_crm.rules.scope): each column of the
		board is also counted per value of each."""
		scoped = SCOPED.get(self.doctype)
		return (*SCOPE_FIELDS, scoped.owner_field) if scoped else ()


LEADS = CountSpec("Lead", "lead_status", amount_field="estimated_value")
# deals: one board per pipeline, a column per stage (its Deal Stage record), values in the company
# currency
DEALS = CountSpec(
	"Opportunity",
	"deal_stage",
	amount_field="base_opportunity_amount",
	scope_field="deal_pipeline",
	probability_field="probability",
)

COUNTER = "Board Column Count"


def placement(spec: CountSpec, record) -> Placement | None:
	if record is None:
		return None
	amount = flt(record.get(spec.amount_field)) if spec.amount_field else 0.0
	weighted = weighted_value(amount, record.get(spec.probability_field)) if spec.probability_field else 0.0
	return Placement(
		scope=(record.get(spec.scope_field) or "") if spec.scope_field else "",
		column=record.get(spec.group_field) or None,
		amount=amount,
		weighted=weighted,
		dims=tuple((d, record.get(d) or "") for d in spec.dimensions),
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
		table.dimension,
		table.dimension_value,
		table.record_count,
		table.value_total,
		table.weighted_total,
		table.creation,
		table.modified,
		table.owner,
		table.modified_by,
	)
	for d in deltas:
		query = query.insert(
			counter_key(spec.doctype, spec.group_field, d.scope, d.column, d.dimension, d.value),
			spec.doctype,
			spec.group_field,
			d.scope,
			d.column,
			d.dimension,
			d.value,
			d.count,
			d.amount,
			d.weighted,
			timestamp,
			timestamp,
			user,
			user,
		)
	query.on_duplicate_key_update(
		table.record_count, table.record_count + Values(table.record_count)
	).on_duplicate_key_update(
		table.value_total, table.value_total + Values(table.value_total)
	).on_duplicate_key_update(
		table.weighted_total, table.weighted_total + Values(table.weighted_total)
	).on_duplicate_key_update(table.modified, Values(table.modified)).run()


@dataclass(frozen=True)
class ColumnTotal:
	count: int = 0
	value: float = 0.0
	weighted: float = 0.0


def read_counts(
	spec: CountSpec, scope: str = "", dimension: str = "", values: tuple[str, ...] | None = None
) -> dict[str, ColumnTotal]:
	"""{column: totals} of one board, from the maintained rows: over every record, or (`dimension`,
	`values`) over the records whose dimension is one of the values."""
	table = DocType(COUNTER)
	query = (
		frappe.qb.from_(table)
		.select(table.group_value, table.record_count, table.value_total, table.weighted_total)
		.where(
			(table.reference_doctype == spec.doctype)
			& (table.group_field == spec.group_field)
			& (table.scope == scope)
			& (table.dimension == dimension)
		)
	)
	if dimension:
		if not values:
			return {}
		query = query.where(table.dimension_value.isin(list(values)))
	totals: dict[str, ColumnTotal] = {}
	for value, count, total, weighted in query.run():
		t = totals.get(value) or ColumnTotal()
		totals[value] = ColumnTotal(
			t.count + int(count or 0), t.value + flt(total), t.weighted + flt(weighted)
		)
	return totals


def aggregate_fields(spec: CountSpec) -> list[str]:
	"""A column's count, value total and weighted total as SQL fields of frappe.get_all/get_list:
	the weighted value is the amount times the probability over 100, as `placement` computes it."""
	amount = f"`{spec.amount_field}`" if spec.amount_field else "0"
	weighted = f"{amount} * `{spec.probability_field}` / 100" if spec.probability_field else "0"
	return ["count(*) as record_count", f"sum({amount}) as value_total", f"sum({weighted}) as weighted_total"]


def grouped_totals(spec: CountSpec, rows) -> dict[tuple[str, str], ColumnTotal]:
	return {
		(r.get("scope") or "", r.column): ColumnTotal(
			int(r.record_count), flt(r.value_total), flt(r.weighted_total)
		)
		for r in rows
	}


def count_from_table(
	spec: CountSpec, scope: str | None = None, dimension: str = ""
) -> dict[tuple, ColumnTotal]:
	"""{(scope, column): totals} counted from the table itself; with a dimension,
	{(scope, column, value): totals} per value of it."""
	filters = {spec.group_field: ("is", "set")}
	if frappe.get_meta(spec.doctype).has_field("korus_deleted"):
		filters["korus_deleted"] = 0  # deals in the recycle bin are on no board
	fields = [f"`{spec.group_field}` as `column`", *aggregate_fields(spec)]
	group_by = [f"`{spec.group_field}`"]
	if spec.scope_field:
		fields.insert(0, f"`{spec.scope_field}` as `scope`")
		group_by.insert(0, f"`{spec.scope_field}`")
		if scope is not None:
			filters[spec.scope_field] = scope
	if dimension:
		fields.append(f"`{dimension}` as `dimension_value`")
		group_by.append(f"`{dimension}`")
		filters[dimension] = ("is", "set")
	rows = frappe.get_all(
		spec.doctype, filters=filters, fields=fields, group_by=", ".join(group_by), order_by=None
	)
	if not dimension:
		return grouped_totals(spec, rows)
	return {
		(r.get("scope") or "", r.column, r.dimension_value): ColumnTotal(
			int(r.record_count), flt(r.value_total), flt(r.weighted_total)
		)
		for r in rows
	}


def recount(spec: CountSpec) -> None:
	"""Rebuild the counter rows of `spec` from the table: the columns' totals and their counts per
	value of each dimension."""
	table = DocType(COUNTER)
	frappe.qb.from_(table).delete().where(
		(table.reference_doctype == spec.doctype) & (table.group_field == spec.group_field)
	).run()
	deltas = [
		Delta(scope, column, t.count, t.value, t.weighted)
		for (scope, column), t in count_from_table(spec).items()
	]
	for dimension in spec.dimensions:
		deltas += [
			Delta(scope, column, t.count, t.value, t.weighted, dimension, value)
			for (scope, column, value), t in count_from_table(spec, dimension=dimension).items()
		]
	for start in range(0, len(deltas), 1000):
		apply_deltas(spec, deltas[start : start + 1000])


def forget_column(spec: CountSpec, column: str) -> None:
	"""A status or stage that no longer exists has no counter row."""
	table = DocType(COUNTER)
	frappe.qb.from_(table).delete().where(
		(table.reference_doctype == spec.doctype)
		& (table.group_field == spec.group_field)
		& (table.group_value == column)
	).run()


def recount_all() -> None:
	"""The daily job (and migrate): repair any drift (e.g. rows changed by raw SQL)."""
	for spec in COUNTED:
		recount(spec)


COUNTED: tuple[CountSpec, ...] = (LEADS, DEALS)
