"""The seeds' reports (seed 003; docs/reports.md): Deal Stage Duration, Fulfilment Statistics, Order
Value Analysis, Lost Reasons, Lead Conversion Time and the Deal Forecast's figures.

Each figure is one GROUP BY in the database, over an index of korus_crm.setup.analytics_reports, and
returns a row per group (a few hundred at most, whatever the size of the tables): nothing is loaded
row by row into Python. Durations come back as sums (exact averages) and as counts per logarithmic
bucket, from which the median is read (korus_crm.rules.analytics).

Script Reports do not apply permission queries: each query here adds the user's read conditions on
the record it counts (`read_conditions`: Frappe's match conditions, which carry the user's data scope
(korus_crm.scope.condition_for, through the permission query hook) and their user permissions), after
checking the doctype's read permission. The report modules run these with frappe.read_only(), so a
site with a read replica answers them there.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import frappe
from frappe import _
from frappe.utils import add_days, add_months, flt, get_last_day, getdate, now_datetime

from korus_crm.analytics import stays
from korus_crm.boards import counts
from korus_crm.customers import recycle_bin
from korus_crm.exceptions import InvalidInputError
from korus_crm.permissions import parent_conditions
from korus_crm.rules import analytics as rules
from korus_crm.setup.analytics_reports import COMMIT_FIELD

# SQL of the histogram bucket of a duration in days, as rules.bucket_of computes it
BUCKET_SQL = f"floor({rules.BUCKETS_PER_DOUBLING} * log2(1 + greatest(0, {{days}})))"
PERIOD_SQL = {
	"Monthly": "date_format({d}, '%%Y-%%m')",
	"Quarterly": "concat(year({d}), '-Q', quarter({d}))",
	"Yearly": "cast(year({d}) as char)",
}


# --- shared ---


def read_conditions(doctype: str) -> str:
	"""The user's read conditions on `doctype` as SQL on its table (`tab<doctype>`), prefixed with
	"and" ("" when they read every record); refused (403) without read permission."""
	frappe.has_permission(doctype, "read", throw=True)
	conditions = parent_conditions(doctype).replace("%", "%%")  # the queries take named values
	return f" and ({conditions})" if conditions else ""


def can_read(doctype: str) -> bool:
	return bool(frappe.has_permission(doctype, "read"))


def check_range(filters) -> None:
	if not rules.check_period_range(filters.get("from_date"), filters.get("to_date")):
		frappe.throw(_("From Date must not be after To Date."), InvalidInputError)


def date_range(column: str, filters, values: dict, datetime_column: bool = False) -> str:
	"""SQL conditions of `column` in [from_date, to_date] (a Datetime column: the whole last day)."""
	sql = ""
	if filters.get("from_date"):
		values["from_date"] = getdate(filters.from_date)
		sql += f" and {column} >= %(from_date)s"
	if filters.get("to_date"):
		if datetime_column:
			values["to_date"] = add_days(getdate(filters.to_date), 1)
			sql += f" and {column} < %(to_date)s"
		else:
			values["to_date"] = getdate(filters.to_date)
			sql += f" and {column} <= %(to_date)s"
	return sql


def period_sql(period: str, column: str) -> str:
	return PERIOD_SQL[period].format(d=column)


def stages_where(**flags) -> list[str]:
	return frappe.get_all("Deal Stage", filters=flags, pluck="name")


def duration_rows(sql: str, values: dict, seconds: bool = False) -> dict[tuple, rules.DurationGroup]:
	"""Run a query whose last three columns are bucket, count and total days (or seconds), the ones
	before them the group key."""
	rows = frappe.db.sql(sql, values)
	scale = 86400 if seconds else 1
	return rules.duration_groups((tuple(r[:-3]), r[-3], r[-2], flt(r[-1]) / scale) for r in rows)


# --- Deal Stage Duration ---

STAY = "`tabDeal Stage History`"


def stage_durations(filters) -> list[dict]:
	"""Days deals spent in each stage, over the stays begun in the period (a stay still open counts
	up to now), per stage and, with `group_by`, per deal owner (the owner when the deal entered the
	stage) or per deal label (a deal with several labels counts under each; unlabelled under none).

	For a user who reads every deal (but those in the recycle bin), by stage or owner, the closed
	stays of the period's whole months come from their maintained totals (korus_crm.analytics.stays)
	and only the open stays and the edge days are counted from the table; otherwise every stay of
	the period is grouped from the table within the user's read conditions."""
	check_range(filters)
	group_by = filters.get("group_by") or "Stage"
	deal_conditions = read_conditions("Opportunity")
	bin_only = deal_conditions == f" and ({recycle_bin.query_conditions(doctype='Opportunity')})"
	if group_by != "Label" and not filters.get("label") and (bin_only or not deal_conditions):
		found = maintained_stays(filters, group_by, bin_only)
	else:
		values: dict = {}
		found = stays_from_table(filters, group_by, deal_conditions, date_range_sql(filters, values), values)
	groups = rules.duration_groups(
		((stage, key), bucket, count, seconds / 86400) for stage, key, bucket, count, seconds in found
	)
	order = {
		s.name: (s.pipeline or "", s.display_order or 0, s.name)
		for s in frappe.get_all("Deal Stage", fields=["name", "pipeline", "display_order"])
	}
	rows = []
	for (stage, group_key), group in groups.items():
		group.histogram = {b: c for b, c in group.histogram.items() if c}
		if group.count <= 0:
			continue
		rows.append(
			{
				"pipeline": order.get(stage, ("",))[0],
				"stage": stage,
				"owner": group_key if group_by == "Owner" else None,
				"label": group_key if group_by == "Label" else None,
				"visits": group.count,
				"average_days": group.average_days,
				"median_days": group.median_days,
			}
		)
	rows.sort(key=lambda r: (*order.get(r["stage"], ("", 999, r["stage"])), r["owner"] or r["label"] or ""))
	return rows


def date_range_sql(filters, values: dict) -> str:
	return date_range(f"{STAY}.entered_at", filters, values, datetime_column=True)


def days_sql(first: datetime.date, last: datetime.date, values: dict, name: str) -> str:
	"""Stays begun on the days [first, last]."""
	values[f"{name}_from"], values[f"{name}_to"] = first, add_days(last, 1)
	return f" and {STAY}.entered_at >= %({name}_from)s and {STAY}.entered_at < %({name}_to)s"


def stays_from_table(filters, group_by: str, deal_conditions: str, where: str, values: dict) -> list[tuple]:
	"""(stage, group key, bucket, count, seconds) of the stays matching `where`, grouped in SQL,
	within `deal_conditions` (the user's read conditions on the deal)."""
	values["now"] = values.get("now") or now_datetime()
	seconds = f"greatest(0, timestampdiff(second, {STAY}.entered_at, coalesce({STAY}.left_at, %(now)s)))"
	key = {"Stage": "''", "Owner": f"coalesce({STAY}.deal_owner, '')", "Label": "coalesce(label.tag, '')"}[
		group_by
	]
	joins = ""
	if filters.get("pipeline"):
		values["pipeline"] = filters.pipeline
		where += f" and {STAY}.pipeline = %(pipeline)s"
	if filters.get("owner"):
		values["owner"] = filters.owner
		where += f" and {STAY}.deal_owner = %(owner)s"
	if filters.get("label") or group_by == "Label":
		joins += (
			f" {'join' if filters.get('label') else 'left join'} `tabTag Link` label"
			f" on label.document_type = 'Opportunity' and label.document_name = {STAY}.deal"
		)
		if filters.get("label"):
			values["label"] = filters.label
			joins += " and label.tag = %(label)s"
	if deal_conditions == f" and ({recycle_bin.query_conditions(doctype='Opportunity')})":
		# the user reads every deal but those in the recycle bin: left out by the few binned ones
		# (an index lookup) rather than by reading every deal's row
		deal_conditions = (
			" and not exists (select 1 from `tabOpportunity` binned"
			f" where binned.korus_deleted = 1 and binned.name = {STAY}.deal)"
		)
	elif deal_conditions:  # the stays of the deals the user may read
		joins += f" join `tabOpportunity` on `tabOpportunity`.name = {STAY}.deal"
	return [
		(stage, group_key, int(bucket), int(count), flt(total))
		for stage, group_key, bucket, count, total in frappe.db.sql(
			f"""select {STAY}.to_stage, {key} as group_key, {BUCKET_SQL.format(days=f"{seconds} / 86400")} as bucket,
				count(*), sum({seconds})
			from {STAY}{joins}
			where 1=1{where}{deal_conditions}
			group by {STAY}.to_stage, group_key, bucket
			order by null""",
			values,
		)
	]


def maintained_stays(filters, group_by: str, bin_only: bool) -> Iterator[tuple]:
	"""The stays of the period for a user who reads every deal (`bin_only`: but those in the recycle
	bin, which the maintained totals leave out): the whole months' closed and open stays from their
	maintained totals, the edge days' stays from the table."""
	today = getdate()
	first = getdate(filters.get("from_date")) if filters.get("from_date") else None
	if first is None:
		earliest = frappe.db.sql(f"select min(entered_at) from {STAY}")[0][0]
		first = getdate(earliest) if earliest else today
	last = getdate(filters.get("to_date")) if filters.get("to_date") else today
	months, edges = rules.split_by_months(first, last, today)
	conditions = f" and ({recycle_bin.query_conditions(doctype='Opportunity')})" if bin_only else ""
	if months:
		stages = set(stages_where(pipeline=filters.pipeline)) if filters.get("pipeline") else None
		per_owner = group_by == "Owner"
		for stage, owner, bucket, count, seconds in stays.read(
			months, owner=filters.get("owner") or None, per_owner=per_owner
		):
			if stages is None or stage in stages:
				yield stage, owner if per_owner else "", bucket, count, seconds
		following = add_months(getdate(f"{months[-1]}-01"), 1)
		for row in stays.read_open(
			f"{months[0]}-01",
			str(following),
			now_datetime(),
			owner=filters.get("owner") or None,
			per_owner=per_owner,
		):
			if stages is None or row[0] in stages:
				yield row
	for i, (edge_first, edge_last) in enumerate(edges):
		values = {}
		yield from stays_from_table(
			filters, group_by, conditions, days_sql(edge_first, edge_last, values, f"edge{i}"), values
		)


# --- Fulfilment Statistics ---

ORDER = "`tabContract Order`"


def order_conditions(filters, values: dict) -> str:
	"""Approved contract orders signed in the period, of the company, customer and owner chosen,
	that the user may read."""
	where = f" and {ORDER}.docstatus = 1" + date_range(f"{ORDER}.sign_date", filters, values)
	for name, column in (("company", "company"), ("customer", "customer"), ("owner", "contract_owner")):
		if filters.get(name):
			values[name] = filters.get(name)
			where += f" and {ORDER}.{column} = %({name})s"
	return where + read_conditions("Contract Order")


# an invoice's paid amount in company currency: its total less what is still to be paid (ERPNext's
# outstanding, in the receivable account's currency, against the rounded total unless disabled)
PAID_SQL = """(case when si.party_account_currency = si.currency
	then (if(si.disable_rounded_total = 1 or si.rounded_total = 0, si.grand_total, si.rounded_total)
		- si.outstanding_amount) * si.conversion_rate
	else if(si.disable_rounded_total = 1 or si.base_rounded_total = 0, si.base_grand_total,
		si.base_rounded_total) - si.outstanding_amount end)"""


def fulfilment(filters) -> tuple[list[dict], str | None]:
	"""Per period of the order's sign date: the approved orders, what was ordered (their Sales Orders'
	grand total in company currency), delivered and invoiced (ERPNext's delivered and billed
	percentages of it) and paid (the paid part of their Sales Invoices, shared among the orders an
	invoice bills by its lines' net amounts); the orders not fully delivered."""
	check_range(filters)
	period = filters.get("period") or "Monthly"
	values: dict = {}
	where = order_conditions(filters, values)
	label = period_sql(period, f"{ORDER}.sign_date")
	hidden = []
	orders = {}
	if can_read("Sales Order"):
		for row in frappe.db.sql(
			f"""select {label} as period, count(*) as orders, sum(so.base_grand_total) as ordered,
				sum(so.base_grand_total * so.per_delivered / 100) as delivered,
				sum(so.base_grand_total * so.per_billed / 100) as invoiced,
				sum(so.per_delivered < 100) as undelivered
			from {ORDER} join `tabSales Order` so on so.name = {ORDER}.sales_order and so.docstatus = 1
			where 1=1{where}
			group by period""",
			values,
			as_dict=True,
		):
			orders[row.period] = row
	else:
		hidden.append(_("Sales Orders"))
	paid: dict[str, float] | None = None
	if can_read("Sales Invoice"):
		paid = dict(
			frappe.db.sql(
				f"""select {label} as period,
					sum(sii.base_net_amount / nullif(si.base_net_total, 0) * {PAID_SQL})
				from {ORDER}
				join `tabSales Invoice Item` sii on sii.sales_order = {ORDER}.sales_order and sii.docstatus = 1
				join `tabSales Invoice` si on si.name = sii.parent
				where 1=1{where}
				group by period""",
				values,
			)
		)
	else:
		hidden.append(_("Sales Invoices"))
	rows = []
	for key in sorted(set(orders) | set(paid or {})):
		o = orders.get(key) or frappe._dict()
		figures = rules.Fulfilment(
			orders=int(o.orders or 0),
			ordered=flt(o.ordered, 2),
			delivered=flt(o.delivered, 2),
			invoiced=flt(o.invoiced, 2),
			paid=flt((paid or {}).get(key), 2),
			undelivered_orders=int(o.undelivered or 0),
		)
		rows.append(
			{
				"period": key,
				"orders": figures.orders,
				"ordered": figures.ordered,
				"delivered": figures.delivered,
				"invoiced": figures.invoiced,
				"paid": figures.paid if paid is not None else None,
				"to_deliver": flt(figures.to_deliver, 2),
				"undelivered_orders": figures.undelivered_orders,
				"to_collect": flt(figures.to_collect, 2) if paid is not None else None,
				**figures.rates(),
			}
		)
	message = (
		_("Figures from {0} are shown to users who may read them.").format(", ".join(hidden))
		if hidden
		else None
	)
	return rows, message


# --- Order Value Analysis ---

ORDER_KEYS = {
	"Currency": f"{ORDER}.currency",
	"Item": "soi.item_code",
	"Item Group": "soi.item_group",
	"Customer": f"{ORDER}.customer",
}


def order_values(filters) -> list[dict]:
	"""Approved contract orders signed in the period, their lines (the Sales Order's) grouped by
	currency, item, item group or customer: orders, quantity, net value in the order currency (by
	currency only) and in company currency."""
	check_range(filters)
	group_by = filters.get("group_by") or "Customer"
	frappe.has_permission("Sales Order", "read", throw=True)
	values: dict = {}
	where = order_conditions(filters, values)
	key = ORDER_KEYS[group_by]
	rows = frappe.db.sql(
		f"""select {key} as group_value, count(distinct {ORDER}.name) as orders, sum(soi.qty) as qty,
			sum(soi.net_amount) as value, sum(soi.base_net_amount) as base_value
		from {ORDER}
		join `tabSales Order Item` soi on soi.parent = {ORDER}.sales_order and soi.parenttype = 'Sales Order'
		where 1=1{where}
		group by group_value
		order by base_value desc""",
		values,
		as_dict=True,
	)
	total = sum(flt(r.base_value) for r in rows)
	return [
		{
			"group_value": r.group_value,
			"orders": int(r.orders),
			"qty": flt(r.qty),
			"value": flt(r.value, 2) if group_by == "Currency" else None,
			"base_value": flt(r.base_value, 2),
			"share": rules.percent(flt(r.base_value), total),
		}
		for r in rows
	]


# --- Lost Reasons ---

DEAL = "`tabOpportunity`"


def lost_reasons(filters) -> list[dict]:
	"""Deals in a lost stage closed in the period, per lost reason (a deal giving several reasons
	counts under each; none given: under none), and per owner or period when asked: count and value
	(company currency)."""
	check_range(filters)
	lost = stages_where(is_lost=1)
	if not lost:
		return []
	values: dict = {"lost": lost}
	where = f" and {DEAL}.deal_stage in %(lost)s" + date_range(f"{DEAL}.closed_on", filters, values)
	for name, column in (("pipeline", "deal_pipeline"), ("owner", "opportunity_owner")):
		if filters.get(name):
			values[name] = filters.get(name)
			where += f" and {DEAL}.{column} = %({name})s"
	if frappe.get_meta("Opportunity").has_field("korus_deleted"):
		where += f" and {DEAL}.korus_deleted = 0"
	where += read_conditions("Opportunity")
	keys = ["coalesce(reason.lost_reason, '') as reason"]
	if filters.get("by_owner"):
		keys.append(f"coalesce({DEAL}.opportunity_owner, '') as owner")
	if filters.get("period"):
		keys.append(f"{period_sql(filters.period, f'{DEAL}.closed_on')} as period")
	names = [k.rsplit(" as ", 1)[1] for k in keys]
	rows = frappe.db.sql(
		f"""select {", ".join(keys)}, count(distinct {DEAL}.name) as deals,
			sum({DEAL}.base_opportunity_amount) as value
		from {DEAL}
		left join `tabOpportunity Lost Reason Detail` reason
			on reason.parent = {DEAL}.name and reason.parenttype = 'Opportunity'
		where 1=1{where}
		group by {", ".join(names)}
		order by {", ".join(n for n in names if n != "reason")}{", " if len(names) > 1 else ""}deals desc""",
		values,
		as_dict=True,
	)
	return [
		{
			"reason": r.reason or None,
			"owner": r.get("owner") or None,
			"period": r.get("period"),
			"deals": int(r.deals),
			"value": flt(r.value, 2),
		}
		for r in rows
	]


# --- Lead Conversion Time ---

CONVERSION = "`tabLead Conversion`"
LEAD = "`tabLead`"


def conversion_times(filters) -> list[dict]:
	"""Leads converted in the period: days from the lead's creation to its conversion, per source or
	per lead owner (average, median, fastest and slowest)."""
	check_range(filters)
	frappe.has_permission("Lead Conversion", "read", throw=True)
	group_by = filters.get("group_by") or "Source"
	key = {"Source": f"coalesce({LEAD}.source, '')", "Owner": f"coalesce({LEAD}.lead_owner, '')"}[group_by]
	values: dict = {}
	where = date_range(f"{CONVERSION}.converted_on", filters, values, datetime_column=True)
	for name, column in (("source", "source"), ("owner", "lead_owner")):
		if filters.get(name):
			values[name] = filters.get(name)
			where += f" and {LEAD}.{column} = %({name})s"
	where += read_conditions("Lead")
	days = f"greatest(0, timestampdiff(second, {LEAD}.creation, {CONVERSION}.converted_on) / 86400)"
	groups = duration_rows(
		f"""select {key} as group_key, {BUCKET_SQL.format(days=days)} as bucket, count(*), sum({days})
		from {CONVERSION} join {LEAD} on {LEAD}.name = {CONVERSION}.lead
		where 1=1{where}
		group by group_key, bucket
		order by null""",
		values,
	)
	rows = [
		{
			"group_value": group_key or None,
			"conversions": group.count,
			"average_days": group.average_days,
			"median_days": group.median_days,
		}
		for (group_key,), group in groups.items()
	]
	return sorted(rows, key=lambda r: (-r["conversions"], r["group_value"] or ""))


# --- Deal Forecast ---


def forecast(filters) -> tuple[list[dict], str | None]:
	"""Per month of expected close in the period: open deals, best case (their value), weighted
	(value x probability) and commit (deals at or above the commit probability, or flagged); beside
	them the value won (deals in a won stage closed in that month), the Order Value target
	(korus_crm.analytics.targets) and the won share of it. Amounts in company currency."""
	check_range(filters)
	today = getdate()
	start = getdate(filters.get("from_date") or today.replace(day=1))
	end = getdate(filters.get("to_date") or get_last_day(add_months(start, 11)))  # twelve months
	threshold = filters.get("commit_probability")
	threshold = rules.DEFAULT_COMMIT_PROBABILITY if threshold is None else threshold
	months = {m: {"month": m, **vars(rules.ForecastMonth())} for m in rules.months_between(start, end)}
	owner = frappe.db.get_value("Employee", filters.employee, "user_id") if filters.get("employee") else None
	whole_months = start.day == 1 and end == getdate(get_last_day(end))
	counted = forecast_from_counters(filters, owner, list(months), threshold) if whole_months else None
	if counted is None:
		figures, won = forecast_from_table(filters, owner, start, end, threshold)
	else:
		figures, won = counted
	for month, figure in figures.items():
		months[month].update(figure)
	targets, message = order_value_targets(start, end, filters)
	rows = []
	for key, row in months.items():
		target = targets.get(key) if targets is not None else None
		won_value = flt(won.get(key), 2)
		rows.append(
			{
				**row,
				"won": won_value,
				"target": target,
				"won_rate": rules.coverage(won_value, target),
				"commit_rate": rules.coverage(won_value + row["commit"], target),
			}
		)
	return rows, message


def forecast_from_table(filters, owner: str | None, start, end, threshold: int) -> tuple[dict, dict]:
	"""({month: open deals' figures}, {month: won value}) grouped from the deals themselves, within
	the user's read conditions (users whose reads the counters do not answer, or filters they do
	not keep: a company, or an employee or department within a data scope)."""
	values: dict = {"from_date": start, "to_date": end, "threshold": threshold}
	where = ""
	if filters.get("pipeline"):
		values["pipeline"] = filters.pipeline
		where += f" and {DEAL}.deal_pipeline = %(pipeline)s"
	if filters.get("employee"):
		values["owner"] = owner or ""
		where += f" and {DEAL}.opportunity_owner = %(owner)s"
	if filters.get("department"):
		values["department"] = filters.department
		where += f" and {DEAL}.korus_department = %(department)s"
	if filters.get("company"):
		values["company"] = filters.company
		where += f" and {DEAL}.company = %(company)s"
	if frappe.get_meta("Opportunity").has_field("korus_deleted"):
		where += f" and {DEAL}.korus_deleted = 0"
	where += read_conditions("Opportunity")
	month = "date_format({d}, '%%Y-%%m')"
	figures: dict[str, dict] = {}
	open_stages = [
		s.name for s in frappe.get_all("Deal Stage", filters={"is_won": 0, "is_lost": 0}, fields=["name"])
	]
	if open_stages:
		values["open"] = open_stages
		for r in frappe.db.sql(
			f"""select {month.format(d=f"{DEAL}.expected_closing")} as month, count(*) as deals,
				sum({DEAL}.base_opportunity_amount) as best_case,
				sum({DEAL}.base_opportunity_amount * {DEAL}.probability / 100) as weighted,
				sum(if({DEAL}.{COMMIT_FIELD} = 1 or {DEAL}.probability >= %(threshold)s,
					{DEAL}.base_opportunity_amount, 0)) as commit
			from {DEAL}
			where {DEAL}.deal_stage in %(open)s
				and {DEAL}.expected_closing >= %(from_date)s and {DEAL}.expected_closing <= %(to_date)s{where}
			group by month""",
			values,
			as_dict=True,
		):
			figures[r.month] = dict(
				deals=int(r.deals),
				best_case=flt(r.best_case, 2),
				weighted=flt(r.weighted, 2),
				commit=flt(r.commit, 2),
			)
	won_stages = stages_where(is_won=1)
	won: dict[str, float] = {}
	if won_stages:
		values["won"] = won_stages
		won = dict(
			frappe.db.sql(
				f"""select {month.format(d=f"{DEAL}.closed_on")} as month, sum({DEAL}.base_opportunity_amount)
				from {DEAL}
				where {DEAL}.deal_stage in %(won)s
					and {DEAL}.closed_on >= %(from_date)s and {DEAL}.closed_on <= %(to_date)s{where}
				group by month""",
				values,
			)
		)
	return figures, won


def forecast_from_counters(filters, owner: str | None, months: list[str], threshold: int):
	"""({month: open deals' figures}, {month: won value}) of whole months from the maintained
	counters (one index range, whatever the number of deals: counts.DEALS_FORECAST and
	DEALS_BY_CLOSE), or None when the user's reads or the filters are not what the counters keep."""
	from korus_crm import scope as data_scope
	from korus_crm.analytics import dashboard
	from korus_crm.rules.counts import split_scope
	from korus_crm.rules.scope import DEPARTMENT_FIELD

	if filters.get("company") or (filters.get("employee") and filters.get("department")):
		return None
	frappe.has_permission("Opportunity", "read", throw=True)
	if not dashboard.read_through_counters("Opportunity"):
		return None
	dimension, dimension_values = "", None
	if filters.get("employee"):
		dimension, dimension_values = "opportunity_owner", (owner or "",)
	elif filters.get("department"):
		dimension, dimension_values = DEPARTMENT_FIELD, (filters.department,)
	if dimension and data_scope.condition_for("Opportunity") is not None:
		return None  # a filter within a data scope: two dimensions at once

	def totals(spec):
		if dimension:
			return counts.read_totals(spec, dimension, dimension_values, columns=months)
		return dashboard.visible_totals(spec, columns=months)

	stages = {
		s.name: s
		for s in frappe.get_all("Deal Stage", fields=["name", "pipeline", "is_won", "is_lost"])
		if not filters.get("pipeline") or s.pipeline == filters.pipeline
	}
	figures: dict[str, dict] = {}
	for (board, month), t in totals(counts.DEALS_FORECAST).items():
		stage, probability, committed = split_scope(board, 3)
		row = stages.get(stage)
		if row is None or row.is_won or row.is_lost or not t.count:
			continue
		f = figures.setdefault(month, {"deals": 0, "best_case": 0.0, "weighted": 0.0, "commit": 0.0})
		f["deals"] += t.count
		f["best_case"] += t.value
		f["weighted"] += t.weighted
		if committed or int(probability or 0) >= threshold:
			f["commit"] += t.value
	for f in figures.values():
		for key in ("best_case", "weighted", "commit"):
			f[key] = flt(f[key], 2)
	won: dict[str, float] = {}
	for (stage, month), t in totals(counts.DEALS_BY_CLOSE).items():
		row = stages.get(stage)
		if row is not None and row.is_won:
			won[month] = won.get(month, 0.0) + t.value
	return figures, won


def order_value_targets(start: datetime.date, end: datetime.date, filters) -> tuple[dict | None, str | None]:
	"""{YYYY-MM: amount} of the Order Value targets (helper module korus_crm.analytics.targets)."""
	try:
		from korus_crm.analytics.targets import target_by_month
	except ImportError:
		return None, _("Sales targets are not set up on this site.")
	if not can_read("Korus Sales Target"):
		return None, _("Targets are shown to users who may read Korus Sales Targets.")
	return (
		target_by_month(
			"Order Value",
			start,
			end,
			employee=filters.get("employee"),
			department=filters.get("department"),
			company=filters.get("company"),
		)
		or {},
		None,
	)
