"""Maintained totals of the closed stage stays, read by the Deal Stage Duration report (issue 12,
docs/reports.md).

A stay (a Deal Stage History row) is closed once, when its deal moves on
(korus_crm.deals.stages.record_stage_change), and its length never changes after: its month, stage,
histogram bucket and seconds are then added to counter rows (Board Column Count, reference
"Deal Stage History", group field "stay_month"): board "<stage>|<bucket>", column the month the stay
began, the count and the summed seconds; once over all owners and once per deal owner (dimension
"deal_owner"). A deal deleted takes its closed stays out (`forget_deal`); `recount` rebuilds the
rows from the table (migrate, the daily repair job, after a rename of a user).

The report reads a whole month's closed stays from these rows (a few hundred whatever the size of
the table) and counts live only what cannot be kept: the stays still open (their length grows
with time; one range of an index) and the days at the edges of a range that does not start or end
on a month's boundary. The bucket and the seconds are computed by the same SQL on every path, so
the maintained rows equal a recount exactly.
"""

from __future__ import annotations

import frappe

from korus_crm.boards import counts
from korus_crm.rules import analytics as rules
from korus_crm.rules.counts import SCOPE_SEPARATOR, Delta, as_key, split_scope

STAYS = counts.CountSpec("Deal Stage History", "stay_month")
OWNER = "deal_owner"
HISTORY = "`tabDeal Stage History`"

BUCKET_SQL = f"floor({rules.BUCKETS_PER_DOUBLING} * log2(1 + greatest(0, {{days}})))"


def seconds_sql(until: str) -> str:
	"""The whole seconds of a stay up to `until` (SQL), as the report counts them."""
	return f"greatest(0, timestampdiff(second, {HISTORY}.entered_at, {until}))"


def board(stage: str, bucket: int) -> str:
	return f"{stage}{SCOPE_SEPARATOR}{as_key(int(bucket))}"


def stage_and_bucket(scope: str) -> tuple[str, int]:
	stage, bucket = split_scope(scope, 2)
	return stage, int(bucket or 0)


def _deltas(rows, sign: int) -> list[Delta]:
	"""Counter changes of closed stays, from (stage, owner, month, bucket, seconds) rows."""
	out = []
	for stage, owner, month, bucket, seconds in rows:
		scope, amount = board(stage, bucket), sign * float(seconds or 0)
		out.append(Delta(scope, month, sign, amount))
		out.append(Delta(scope, month, sign, amount, dimension=OWNER, value=owner or ""))
	return out


def _closed_rows(where: str, values: dict, until: str) -> list[tuple]:
	seconds = seconds_sql(until)
	return frappe.db.sql(
		f"""select {HISTORY}.to_stage, {HISTORY}.deal_owner,
			date_format({HISTORY}.entered_at, '%%Y-%%m'),
			{BUCKET_SQL.format(days=f"{seconds} / 86400")}, {seconds}
		from {HISTORY}
		where {where}""",
		values,
	)


def stays_closing(deal: str, at) -> None:
	"""The deal's open stays are being closed at `at` (record_stage_change): count them."""
	rows = _closed_rows(
		f"{HISTORY}.deal = %(deal)s and {HISTORY}.left_at is null", {"deal": deal, "at": at}, "%(at)s"
	)
	counts.apply_deltas(STAYS, _deltas(rows, 1))


def forget_deal(deal: str) -> None:
	"""The deal's stays are about to be deleted with it: its closed ones leave the totals."""
	rows = _closed_rows(
		f"{HISTORY}.deal = %(deal)s and {HISTORY}.left_at is not null", {"deal": deal}, f"{HISTORY}.left_at"
	)
	counts.apply_deltas(STAYS, _deltas(rows, -1))


def recount() -> None:
	"""Rebuild the rows from the table (migrate, the daily repair job, a user renamed)."""
	table = frappe.qb.DocType(counts.COUNTER)
	frappe.qb.from_(table).delete().where(
		(table.reference_doctype == STAYS.doctype) & (table.group_field == STAYS.group_field)
	).run()
	deltas = counted_from_table()
	for start in range(0, len(deltas), 1000):
		counts.apply_deltas(STAYS, deltas[start : start + 1000])


def counted_from_table() -> list[Delta]:
	"""The rows the closed stays make, grouped in SQL (a row per month, stage, bucket and owner, and
	per month, stage and bucket over every owner)."""
	seconds = seconds_sql(f"{HISTORY}.left_at")
	rows = frappe.db.sql(  # no values: the % of the format is not doubled
		f"""select {HISTORY}.to_stage, coalesce({HISTORY}.deal_owner, '') as owner,
			date_format({HISTORY}.entered_at, '%Y-%m') as month,
			{BUCKET_SQL.format(days=f"{seconds} / 86400")} as bucket, count(*), sum({seconds})
		from {HISTORY}
		where {HISTORY}.left_at is not null and {HISTORY}.to_stage is not null
		group by {HISTORY}.to_stage, owner, month, bucket
		order by null"""
	)
	totals: dict[tuple, list] = {}
	deltas = []
	for stage, owner, month, bucket, count, total in rows:
		scope = board(stage, bucket)
		deltas.append(Delta(scope, month, int(count), float(total or 0), 0.0, OWNER, owner))
		t = totals.setdefault((scope, month), [0, 0.0])
		t[0] += int(count)
		t[1] += float(total or 0)
	return deltas + [Delta(scope, month, c, s) for (scope, month), (c, s) in totals.items()]


def read(months: list[str], owner: str | None = None, per_owner: bool = False) -> list[tuple]:
	"""(stage, owner or "", bucket, count, seconds) of the closed stays begun in `months`: over
	every owner, or per owner (`per_owner`), or of one owner."""
	if not months:
		return []
	table = frappe.qb.DocType(counts.COUNTER)
	query = (
		frappe.qb.from_(table)
		.select(table.scope, table.dimension_value, table.record_count, table.value_total)
		.where(
			(table.reference_doctype == STAYS.doctype)
			& (table.group_field == STAYS.group_field)
			& table.group_value.isin(months)
			& (table.dimension == (OWNER if owner is not None or per_owner else ""))
		)
	)
	if owner is not None:
		query = query.where(table.dimension_value == owner)
	out = []
	for scope, value, count, seconds in query.run():
		if not count:
			continue
		stage, bucket = stage_and_bucket(scope)
		out.append((stage, value or "", bucket, int(count), float(seconds or 0)))
	return out
