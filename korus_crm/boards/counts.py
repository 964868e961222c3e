"""Maintained counts and value totals (Board Column Count rows): the boards' columns and the CRM
dashboard's figures.

Every write path of a counted doctype calls this module (its doc_events, and the few places that
write a counted field without a save); `recount` rebuilds the rows from the table (migrate, the
daily job, after bulk changes). Reading a board's counts or a dashboard figure is then one indexed
lookup, whatever the size of the table.

A doctype has one primary spec (`COUNTED`: the board's, or the dashboard's for doctypes without a
board) and may have companions (`COMPANIONS`: the same records counted by other columns, e.g. deals
by month created); the record_* functions and `recount` of a primary spec keep its companions too,
so that the call sites of the boards keep the dashboard's counters as well. A companion's column may
be the month ("YYYY-MM") of a date field (`month_of`): no stored column is needed, and its board
may be the values of several fields (`scope_field` a tuple, stored joined by "|"), e.g. the deal's
stage and owner: the per-employee statistics read each employee's figures of a month that way,
within any data scope (korus_crm.analytics.employees).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce, Count, Floor, NullIf, Sum
from frappe.utils import flt, now
from pypika import CustomFunction
from pypika.functions import Concat
from pypika.terms import PseudoColumn, Values, ValueWrapper

from korus_crm import jobs
from korus_crm.rules.counts import (
	SCOPE_SEPARATOR,
	Delta,
	Placement,
	as_key,
	column_deltas,
	counter_key,
	month_key,
	scope_key,
)
from korus_crm.rules.pipelines import weighted_value
from korus_crm.rules.scope import SCOPE_FIELDS, SCOPED
from korus_crm.setup.analytics_reports import COMMIT_FIELD


@dataclass(frozen=True)
class CountSpec:
	doctype: str
	group_field: str  # the column of the board
	amount_field: str | None = None  # summed per column
	scope_field: str | tuple[str, ...] | None = None  # the board, for doctypes with several boards
	probability_field: str | None = None  # amount x probability / 100 is summed as the weighted total
	month_of: str | None = None  # the column is the month of this date field (group_field: its label)
	# numeric scope fields, kept as whole numbers, 0 as no value (a probability, a check)
	whole_numbers: tuple[str, ...] = ()

	@property
	def source_fields(self) -> tuple[str, ...]:
		"""The record's fields its placement reads."""
		fields = (
			self.month_of or self.group_field,
			self.amount_field,
			*self.scope_fields,
			self.probability_field,
			*self.dimensions,
		)
		return tuple(f for f in fields if f)

	@property
	def scope_fields(self) -> tuple[str, ...]:
		"""The fields whose values make the board (none, one, or several joined by "|")."""
		if not self.scope_field:
			return ()
		return self.scope_field if isinstance(self.scope_field, tuple) else (self.scope_field,)

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

# --- the dashboard's counters (korus_crm.analytics.dashboard) ---
# leads by source and by ERPNext's qualification status
LEADS_BY_SOURCE = CountSpec("Lead", "source", amount_field="estimated_value")
LEADS_BY_QUALIFICATION = CountSpec("Lead", "qualification_status")
# deals by month created; by month closed (won or lost: the stage tells) and by month of expected
# close, per stage
DEALS_BY_MONTH = CountSpec(
	"Opportunity", "creation_month", amount_field="base_opportunity_amount", month_of="creation"
)
DEALS_BY_CLOSE = CountSpec(
	"Opportunity",
	"closed_month",
	amount_field="base_opportunity_amount",
	scope_field="deal_stage",
	month_of="closed_on",
)
DEALS_BY_EXPECTED_CLOSE = CountSpec(
	"Opportunity",
	"expected_close_month",
	amount_field="base_opportunity_amount",
	scope_field="deal_stage",
	probability_field="probability",
	month_of="expected_closing",
)
# the forecast (korus_crm.analytics.reports.forecast): deals by month of expected close, per stage,
# whole percent of probability and commit flag, so that the commit at any probability threshold
# is a sum of counter rows
DEALS_FORECAST = CountSpec(
	"Opportunity",
	"forecast_month",
	amount_field="base_opportunity_amount",
	scope_field=("deal_stage", "probability", COMMIT_FIELD),
	probability_field="probability",
	month_of="expected_closing",
	whole_numbers=("probability", COMMIT_FIELD),
)
# customers by type (Company / Individual), enabled ("") or disabled ("1")
CUSTOMERS = CountSpec("Customer", "customer_type", scope_field="disabled")

# --- the per-employee statistics' counters (korus_crm.analytics.employees): a board per user, a
# column per month, each also per scope dimension, so that a month's figures of every employee
# within any data scope are one index range ---
CUSTOMERS_ADDED = CountSpec("Customer", "creation_month_by_creator", scope_field="owner", month_of="creation")
CUSTOMERS_OWNED = CountSpec(
	"Customer", "creation_month_by_manager", scope_field="account_manager", month_of="creation"
)
DEALS_CREATED = CountSpec(
	"Opportunity", "creation_month_by_creator", scope_field="owner", month_of="creation"
)
DEALS_OWNED = CountSpec(
	"Opportunity", "dated_month_by_owner", scope_field="opportunity_owner", month_of="transaction_date"
)
# deals closed, by close month, per (stage, owner): won or lost, the stage tells (DEALS_BY_CLOSE has
# the owner as a dimension only, not within a department's or branch's scope)
DEALS_CLOSED_BY_OWNER = CountSpec(
	"Opportunity",
	"closed_month_by_owner",
	scope_field=("deal_stage", "opportunity_owner"),
	month_of="closed_on",
)
# tasks by status
TASKS = CountSpec("Korus Task", "status")

COUNTER = "Board Column Count"
DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])


def placement(spec: CountSpec, record) -> Placement | None:
	"""Where a record counts in `spec` (None: nowhere, e.g. in the recycle bin)."""
	if record is None or record.get("korus_deleted"):
		return None
	amount = flt(record.get(spec.amount_field)) if spec.amount_field else 0.0
	weighted = weighted_value(amount, record.get(spec.probability_field)) if spec.probability_field else 0.0
	column = month_key(record.get(spec.month_of)) if spec.month_of else record.get(spec.group_field)
	return Placement(
		scope=scope_key(scope_value(spec, record, f) for f in spec.scope_fields),
		column=as_key(column) or None,
		amount=amount,
		weighted=weighted,
		dims=tuple((d, record.get(d) or "") for d in spec.dimensions),
	)


def scope_value(spec: CountSpec, record, fieldname: str):
	value = record.get(fieldname)
	if fieldname in spec.whole_numbers:
		return math.floor(flt(value))  # as scope_sql: floor, 0 is no value
	return value


def family(spec: CountSpec) -> tuple[CountSpec, ...]:
	"""A primary spec and its companions (the same records counted by other columns)."""
	return (spec, *COMPANIONS.get(spec, ()))


def record_fields(spec: CountSpec) -> list[str]:
	"""The fields to read of a record to place it in `spec` and its companions."""
	return sorted({f for s in family(spec) for f in s.source_fields})


Snapshot = dict  # {CountSpec: Placement | None}: where a record sits in a spec and its companions


def snapshot(spec: CountSpec, record) -> Snapshot:
	"""Where `record` sits now in `spec` and its companions (taken before a write that bypasses the
	document's hooks, and after it: `record_moved`)."""
	return {s: placement(s, record) for s in family(spec)}


def record_inserted(spec: CountSpec, doc) -> None:
	for s in family(spec):
		apply_deltas(s, column_deltas(None, placement(s, doc)))


def record_updated(spec: CountSpec, doc) -> None:
	before = doc.get_doc_before_save()
	if before is None:  # an insert: record_inserted has counted it
		return
	for s in family(spec):
		apply_deltas(s, column_deltas(placement(s, before), placement(s, doc)))


def record_deleted(spec: CountSpec, doc) -> None:
	for s in family(spec):
		apply_deltas(s, column_deltas(placement(s, doc), None))


def record_moved(spec: CountSpec, old: Placement | Snapshot | None, new: Placement | Snapshot | None) -> None:
	"""For writes that bypass the document's hooks (db.set_value of a counted field): placements of
	`spec` alone, or snapshots (`snapshot`) of it and its companions."""
	if isinstance(old, dict) or isinstance(new, dict):
		for s in family(spec):
			apply_deltas(s, column_deltas((old or {}).get(s), (new or {}).get(s)))
		return
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


def read_totals(
	spec: CountSpec,
	dimension: str = "",
	values: tuple[str, ...] | None = None,
	scope: str | None = None,
	columns: list[str] | None = None,
) -> dict[tuple[str, str], ColumnTotal]:
	"""{(scope, column): totals} of `spec` from the maintained rows, over every board (or one
	`scope`) and column (or those of `columns`): over every record, or (`dimension`, `values`) over
	the records whose dimension is one of the values."""
	table = DocType(COUNTER)
	query = (
		frappe.qb.from_(table)
		.select(table.scope, table.group_value, table.record_count, table.value_total, table.weighted_total)
		.where(
			(table.reference_doctype == spec.doctype)
			& (table.group_field == spec.group_field)
			& (table.dimension == dimension)
		)
	)
	if scope is not None:
		query = query.where(table.scope == scope)
	if columns is not None:
		if not columns:
			return {}
		query = query.where(table.group_value.isin(list(columns)))
	if dimension:
		if not values:
			return {}
		query = query.where(table.dimension_value.isin(list(values)))
	totals: dict[tuple[str, str], ColumnTotal] = {}
	for board, column, count, total, weighted in query.run():
		key = (board or "", column)
		t = totals.get(key) or ColumnTotal()
		totals[key] = ColumnTotal(t.count + int(count or 0), t.value + flt(total), t.weighted + flt(weighted))
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
	spec: CountSpec, scope: str | None = None, dimension: str = "", where=None, lock: bool = False
) -> dict[tuple, ColumnTotal]:
	"""{(scope, column): totals} counted from the table itself; with a dimension,
	{(scope, column, value): totals} per value of it. `where(table)`: only the records it selects;
	`lock`: a locking read (the current rows, locked until the transaction ends)."""
	table = DocType(spec.doctype)
	column = (DateFormat(table[spec.month_of], "%Y-%m") if spec.month_of else table[spec.group_field]).as_(
		"column"
	)
	scope_term = scope_sql(spec, table).as_("scope")
	amount = Coalesce(table[spec.amount_field], 0) if spec.amount_field else ValueWrapper(0)
	weighted = (
		amount * Coalesce(table[spec.probability_field], 0) / 100
		if spec.probability_field
		else ValueWrapper(0)
	)
	terms = [scope_term, column, Count("*").as_("record_count"), Sum(amount).as_("value_total")]
	terms.append(Sum(weighted).as_("weighted_total"))
	query = frappe.qb.from_(table)
	source = table[spec.month_of or spec.group_field]
	query = query.where(source.isnotnull() if spec.month_of else source.isnotnull() & (source != ""))
	if frappe.get_meta(spec.doctype).has_field("korus_deleted"):
		query = query.where(table.korus_deleted == 0)  # records in the recycle bin are counted nowhere
	if spec.scope_field and scope is not None:
		query = query.where(scope_sql(spec, table) == scope)
	if where is not None:
		query = query.where(where(table))
	group = ["`scope`", "`column`"]
	if dimension:
		terms.append(table[dimension].as_("dimension_value"))
		query = query.where(table[dimension].isnotnull() & (table[dimension] != ""))
		group.append("`dimension_value`")
	query = query.select(*terms).groupby(*(PseudoColumn(g) for g in group))
	if lock:
		query = query.for_update()
	out: dict[tuple, ColumnTotal] = {}
	for r in query.run(as_dict=True):
		key = (as_key(r.scope), as_key(r.column))
		if not key[1]:
			continue
		if dimension:
			key = (*key, r.dimension_value)
		t = out.get(key) or ColumnTotal()
		out[key] = ColumnTotal(
			t.count + int(r.record_count), t.value + flt(r.value_total), t.weighted + flt(r.weighted_total)
		)
	return out


def scope_sql(spec: CountSpec, table):
	"""The board of a record in SQL, as `placement` computes it (scope_key)."""
	fields = spec.scope_fields
	if not fields:
		return ValueWrapper("")
	if len(fields) == 1:
		return table[fields[0]]
	parts = []
	for f in fields:
		term = NullIf(Floor(table[f]), 0) if f in spec.whole_numbers else table[f]
		parts += [Coalesce(term, ""), ValueWrapper(SCOPE_SEPARATOR)]
	return Concat(*parts[:-1])


def recount(spec: CountSpec) -> None:
	"""Rebuild the counter rows of `spec` and its companions from the table."""
	for s in family(spec):
		recount_one(s)


def recount_one(spec: CountSpec) -> None:
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


def change_records(doctype: str, where, change) -> None:
	"""Records of `doctype` selected by `where(table)` are changed by `change()` (an UPDATE, without
	their saves): their counts leave the rows they were counted in and join those they are counted
	in now, in the same transaction. Only their counter rows are touched (a recount rewrites every row
	of the doctype and holds every writer of it meanwhile); locking reads keep a concurrent save of one
	of them from being counted twice or not at all."""
	spec = primary_of(doctype)
	if not spec:
		change()
		return
	before = [(s, subset_deltas(s, where, -1)) for s in family(spec)]
	change()
	after = [(s, subset_deltas(s, where, 1)) for s in family(spec)]
	for s, deltas in before + after:
		for start in range(0, len(deltas), 1000):
			apply_deltas(s, deltas[start : start + 1000])


def subset_deltas(spec: CountSpec, where, sign: int) -> list[Delta]:
	"""The counts of the records `where(table)` selects, as deltas (sign -1: taken away)."""

	def delta(t: ColumnTotal, *key) -> Delta:
		return Delta(*key[:2], sign * t.count, sign * t.value, sign * t.weighted, *key[2:])

	deltas = [
		delta(t, scope, column)
		for (scope, column), t in count_from_table(spec, where=where, lock=True).items()
	]
	for dimension in spec.dimensions:
		deltas += [
			delta(t, scope, column, dimension, value)
			for (scope, column, value), t in count_from_table(
				spec, dimension=dimension, where=where, lock=True
			).items()
		]
	return deltas


def forget_column(spec: CountSpec, column: str) -> None:
	"""A status or stage that no longer exists has no counter row."""
	table = DocType(COUNTER)
	frappe.qb.from_(table).delete().where(
		(table.reference_doctype == spec.doctype)
		& (table.group_field == spec.group_field)
		& (table.group_value == column)
	).run()


@jobs.job
def recount_all() -> None:
	"""The daily job (and migrate): repair any drift (e.g. rows changed by raw SQL). As a background
	job each doctype's rebuild is committed on its own, so that the writers of one doctype wait for
	its rebuild only (at 100k records, seconds), not for the whole job's."""
	from rq import get_current_job

	from korus_crm.analytics import stays

	in_job = get_current_job() is not None
	for spec in COUNTED:
		recount(spec)
		if in_job:
			frappe.db.commit()
	stays.recount()  # the closed stage stays' totals (Deal Stage Duration)


def primary_of(doctype: str) -> CountSpec | None:
	"""The primary spec of a counted doctype (None: not counted)."""
	return next((s for s in COUNTED if s.doctype == doctype), None)


# --- hooks ---


def doc_inserted(doc, method=None) -> None:
	"""after_insert of the doctypes counted for the dashboard only (customers, tasks)."""
	record_inserted(primary_of(doc.doctype), doc)


def doc_updated(doc, method=None) -> None:
	record_updated(primary_of(doc.doctype), doc)


def doc_deleted(doc, method=None) -> None:
	record_deleted(primary_of(doc.doctype), doc)  # one in the recycle bin has left them already


def linked_renamed(doc, method=None, old: str | None = None, new: str | None = None, merge=False) -> None:
	"""after_rename of a record whose name counters store (a lead source, a user, a department, a
	branch): Frappe rewrote the links by SQL, the counters are rebuilt in the background."""
	jobs.enqueue("korus_crm.boards.counts.recount_all", job_id=jobs.key("recount-all"))


COUNTED: tuple[CountSpec, ...] = (LEADS, DEALS, CUSTOMERS, TASKS)
COMPANIONS: dict[CountSpec, tuple[CountSpec, ...]] = {
	LEADS: (LEADS_BY_SOURCE, LEADS_BY_QUALIFICATION),
	DEALS: (
		DEALS_BY_MONTH,
		DEALS_BY_CLOSE,
		DEALS_BY_EXPECTED_CLOSE,
		DEALS_CREATED,
		DEALS_OWNED,
		DEALS_CLOSED_BY_OWNER,
		DEALS_FORECAST,
	),
	CUSTOMERS: (CUSTOMERS_ADDED, CUSTOMERS_OWNED),
}
