"""Maintained totals of the stage stays, read by the Deal Stage Duration report (issue 12,
docs/reports.md).

Counter rows (Board Column Count, reference "Deal Stage History"), once over all owners and once
per deal owner (dimension "deal_owner"):

- closed stays (group field "stay_month"): a stay is closed once, when its deal moves on
  (korus_crm.deals.stages.record_stage_change), and its length never changes after: board
  "<stage>|<histogram bucket>", column the month it began, its count and summed seconds;
- open stays (group field "open_stay_day"): board the stage, column the day it began
  ("YYYY-MM-DD"), its count and the summed seconds past midnight at which they began, so that
  their summed length up to any moment is exact; each day's stays fall in the histogram bucket of
  their mean start (the median of the open stays is read to within a day: a few hundred rows a
  quarter, where rows per hour cost as much as the stays themselves at 100,000 deals).

A stay opened (`stay_opened`), closed (`stays_closing`), deleted with its deal (`forget_deal`),
binned with it or restored from the bin (`deal_binned`, `deal_restored`) moves its counts; `recount` rebuilds both from the table (migrate, the daily repair job, after a
rename of a user). The report reads a whole month's stays from these rows (a few hundred a month,
whatever the size of the table) and only the days at the edges of a range that does not start or
end on a month's boundary from the table. The bucket and the seconds of a closed stay are computed
by the same SQL on every path, so the maintained rows equal a recount exactly.
"""

from __future__ import annotations

from collections.abc import Iterator

import frappe

from korus_crm.boards import counts
from korus_crm.rules import analytics as rules
from korus_crm.rules.counts import SCOPE_SEPARATOR, Delta, as_key, split_scope

STAYS = counts.CountSpec("Deal Stage History", "stay_month")
OPEN_STAYS = counts.CountSpec("Deal Stage History", "open_stay_day")
OWNER = "deal_owner"
HISTORY = "`tabDeal Stage History`"
COUNTER = f"`tab{counts.COUNTER}`"

# the stays of deals in the recycle bin are counted nowhere (as the deals themselves)
NOT_BINNED = (
	" and not exists (select 1 from `tabOpportunity` binned"
	f" where binned.korus_deleted = 1 and binned.name = {HISTORY}.deal)"
)
BUCKET_SQL = f"floor({rules.BUCKETS_PER_DOUBLING} * log2(1 + greatest(0, {{days}})))"
DAY_SQL = "date_format({d}, '%%Y-%%m-%%d')"
PAST_DAY_SQL = "time_to_sec(time({d}))"


def seconds_sql(until: str) -> str:
	"""The whole seconds of a stay up to `until` (SQL), as the report counts them."""
	return f"greatest(0, timestampdiff(second, {HISTORY}.entered_at, {until}))"


def board(stage: str, bucket: int) -> str:
	return f"{stage}{SCOPE_SEPARATOR}{as_key(int(bucket))}"


def stage_and_bucket(scope: str) -> tuple[str, int]:
	stage, bucket = split_scope(scope, 2)
	return stage, int(bucket or 0)


def _both(scope: str, column: str, count: int, amount: float, owner: str | None) -> list[Delta]:
	return [
		Delta(scope, column, count, amount),
		Delta(scope, column, count, amount, dimension=OWNER, value=owner or ""),
	]


def _closed_deltas(rows, sign: int) -> list[Delta]:
	"""Closed stays' counter changes, from (stage, owner, month, bucket, seconds) rows."""
	out = []
	for stage, owner, month, bucket, seconds in rows:
		out += _both(board(stage, bucket), month, sign, sign * float(seconds or 0), owner)
	return out


def _open_deltas(rows, sign: int) -> list[Delta]:
	"""Open stays' counter changes, from (stage, owner, day, seconds past midnight) rows."""
	out = []
	for stage, owner, day, past in rows:
		out += _both(stage, day, sign, sign * float(past or 0), owner)
	return out


def _stays(where: str, values: dict, until: str) -> list[tuple]:
	"""(stage, owner, month, bucket, seconds up to `until`, day begun, seconds past midnight) of stays."""
	seconds = seconds_sql(until)
	return frappe.db.sql(
		f"""select {HISTORY}.to_stage, {HISTORY}.deal_owner,
			date_format({HISTORY}.entered_at, '%%Y-%%m'),
			{BUCKET_SQL.format(days=f"{seconds} / 86400")}, {seconds},
			{DAY_SQL.format(d=f"{HISTORY}.entered_at")}, {PAST_DAY_SQL.format(d=f"{HISTORY}.entered_at")}
		from {HISTORY}
		where {where} and {HISTORY}.to_stage is not null""",
		values,
	)


def stay_opened(name: str) -> None:
	"""A stay was recorded (korus_crm.deals.stages.insert_history): count it as open."""
	rows = _stays(
		f"{HISTORY}.name = %(name)s and {HISTORY}.left_at is null", {"name": name}, f"{HISTORY}.entered_at"
	)
	counts.apply_deltas(OPEN_STAYS, _open_deltas([(r[0], r[1], r[5], r[6]) for r in rows], 1))


def stays_closing(deal: str, at) -> None:
	"""The deal's open stays are being closed at `at` (record_stage_change): from open to closed."""
	rows = _stays(
		f"{HISTORY}.deal = %(deal)s and {HISTORY}.left_at is null", {"deal": deal, "at": at}, "%(at)s"
	)
	counts.apply_deltas(OPEN_STAYS, _open_deltas([(r[0], r[1], r[5], r[6]) for r in rows], -1))
	counts.apply_deltas(STAYS, _closed_deltas([r[:5] for r in rows], 1))


def forget_deal(deal: str) -> None:
	"""The deal is deleted, its stays with it: they leave the totals (a deal in the recycle bin is
	counted nowhere already)."""
	if not frappe.db.get_value("Opportunity", deal, "korus_deleted"):
		_count_deal(deal, -1)


def deal_binned(deal: str) -> None:
	"""The deal went to the recycle bin: its stays leave the totals."""
	_count_deal(deal, -1)


def deal_restored(deal: str) -> None:
	"""The deal is back from the recycle bin: its stays are counted again."""
	_count_deal(deal, 1)


def _count_deal(deal: str, sign: int) -> None:
	closed = _stays(
		f"{HISTORY}.deal = %(deal)s and {HISTORY}.left_at is not null", {"deal": deal}, f"{HISTORY}.left_at"
	)
	counts.apply_deltas(STAYS, _closed_deltas([r[:5] for r in closed], sign))
	still_open = _stays(
		f"{HISTORY}.deal = %(deal)s and {HISTORY}.left_at is null", {"deal": deal}, f"{HISTORY}.entered_at"
	)
	counts.apply_deltas(OPEN_STAYS, _open_deltas([(r[0], r[1], r[5], r[6]) for r in still_open], sign))


def recount() -> None:
	"""Rebuild the rows from the table (migrate, the daily repair job, a user renamed)."""
	table = frappe.qb.DocType(counts.COUNTER)
	for spec, deltas in ((STAYS, counted_from_table()), (OPEN_STAYS, open_counted_from_table())):
		frappe.qb.from_(table).delete().where(
			(table.reference_doctype == spec.doctype) & (table.group_field == spec.group_field)
		).run()
		for start in range(0, len(deltas), 1000):
			counts.apply_deltas(spec, deltas[start : start + 1000])


def _with_totals(rows) -> list[Delta]:
	"""Per-owner deltas of grouped (..., owner, count, amount) rows and their totals over owners."""
	totals: dict[tuple, list] = {}
	deltas = []
	for scope, column, owner, count, amount in rows:
		deltas.append(Delta(scope, column, int(count), float(amount or 0), 0.0, OWNER, owner))
		t = totals.setdefault((scope, column), [0, 0.0])
		t[0] += int(count)
		t[1] += float(amount or 0)
	return deltas + [Delta(scope, column, c, a) for (scope, column), (c, a) in totals.items()]


def counted_from_table() -> list[Delta]:
	"""The rows the closed stays make, grouped in SQL (a row per month, stage, bucket and owner, and
	per month, stage and bucket over every owner)."""
	seconds = seconds_sql(f"{HISTORY}.left_at")
	rows = frappe.db.sql(  # no values: the % of the format is not doubled
		f"""select {HISTORY}.to_stage, coalesce({HISTORY}.deal_owner, '') as owner,
			date_format({HISTORY}.entered_at, '%Y-%m') as month,
			{BUCKET_SQL.format(days=f"{seconds} / 86400")} as bucket, count(*), sum({seconds})
		from {HISTORY}
		where {HISTORY}.left_at is not null and {HISTORY}.to_stage is not null{NOT_BINNED}
		group by {HISTORY}.to_stage, owner, month, bucket
		order by null"""
	)
	return _with_totals(
		(board(stage, bucket), month, owner, count, total)
		for stage, owner, month, bucket, count, total in rows
	)


def open_counted_from_table() -> list[Delta]:
	"""The rows the open stays make (a row per day begun, stage and owner, and per day and stage)."""
	day = DAY_SQL.format(d=f"{HISTORY}.entered_at").replace("%%", "%")
	past = PAST_DAY_SQL.format(d=f"{HISTORY}.entered_at")
	rows = frappe.db.sql(  # no values: the % of the format is not doubled
		f"""select {HISTORY}.to_stage, {day} as day, coalesce({HISTORY}.deal_owner, '') as owner,
			count(*), sum({past})
		from {HISTORY}
		where {HISTORY}.left_at is null and {HISTORY}.to_stage is not null{NOT_BINNED}
		group by {HISTORY}.to_stage, day, owner
		order by null"""
	)
	return _with_totals(rows)


def _dimension(owner: str | None, per_owner: bool) -> tuple[str, str]:
	if owner is not None:
		return OWNER, " and dimension_value = %(owner)s"
	return (OWNER, "") if per_owner else ("", "")


def read(months: list[str], owner: str | None = None, per_owner: bool = False) -> Iterator[tuple]:
	"""(stage, owner or "", bucket, count, seconds) of the closed stays begun in `months`: over
	every owner, or per owner (`per_owner`), or of one owner; summed over the months in SQL."""
	if not months:
		return
	dimension, owner_sql = _dimension(owner, per_owner)
	key = "dimension_value" if per_owner else "''"
	rows = frappe.db.sql(
		f"""select scope, {key} as group_key, sum(record_count), sum(value_total)
		from {COUNTER}
		where reference_doctype = %(doctype)s and group_field = %(field)s and group_value in %(months)s
			and dimension = %(dimension)s{owner_sql}
		group by scope, group_key
		order by null""",
		{
			"doctype": STAYS.doctype,
			"field": STAYS.group_field,
			"months": months,
			"dimension": dimension,
			"owner": owner,
		},
	)
	for scope, value, count, seconds in rows:  # yielded: no second copy of the rows
		if count:
			stage, bucket = stage_and_bucket(scope)
			yield stage, value or "", bucket, int(count), float(seconds or 0)


def read_open(
	first_month: str, after_last_month: str, now, owner: str | None = None, per_owner: bool = False
):
	"""(stage, owner or "", bucket, count, seconds up to `now`) of the stays still open that began
	in the months [first_month, after_last_month), grouped in SQL from the daily rows: each day's
	stays in the bucket of their mean start."""
	dimension, owner_sql = _dimension(owner, per_owner)
	start = "cast(group_value as datetime)"
	mean_seconds = f"timestampdiff(second, {start}, %(now)s) - value_total / record_count"
	key = "dimension_value" if per_owner else "''"
	return (
		(stage, key_value or "", int(bucket), int(count), float(seconds or 0))
		for stage, key_value, bucket, count, seconds in frappe.db.sql(
			f"""select scope, {key} as group_key,
				{BUCKET_SQL.format(days=f"({mean_seconds}) / 86400")} as bucket,
				sum(record_count), sum(record_count * timestampdiff(second, {start}, %(now)s) - value_total)
			from {COUNTER}
			where reference_doctype = %(doctype)s and group_field = %(field)s
				and group_value >= %(first)s and group_value < %(after)s
				and dimension = %(dimension)s{owner_sql} and record_count > 0
			group by scope, group_key, bucket
			order by null""",
			{
				"doctype": OPEN_STAYS.doctype,
				"field": OPEN_STAYS.group_field,
				"first": first_month,
				"after": after_last_month,
				"dimension": dimension,
				"owner": owner,
				"now": now,
			},
		)
	)
