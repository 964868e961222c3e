"""The CRM dashboard (seed 002): the Korus CRM workspace's number cards, charts and recent activity.

Every figure is read from the maintained counters (korus_crm.boards.counts: Board Column Count rows,
kept on every write, repaired daily), so that it costs the same at 1,000 and at 100,000 records:

- a user who reads every record reads the counters' totals;
- a user with a data scope (korus_crm.scope) reads the counters of the dimension rows of their
  scope (their own records, their department(s) or branch); the records they take part in besides
  (a customer pool's customers) are counted live over their own index, without those of the scope;
- a user whose reads carry any other condition (user permissions, "if owner", another app's
  permission query, a task's assignees) is counted live through Frappe's get_list, as the list
  would show it (such users read few records).

Read permission on the doctype is checked first (PermissionError). The cards are in
korus_crm.api.cards, the charts' sources call the `*_chart` methods here, the "Recent Activity"
block (a Custom HTML Block, made at install and migrate) calls `recent_activity`.
"""

from __future__ import annotations

from pathlib import Path

import frappe
from frappe import _
from frappe.model.db_query import DatabaseQuery
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import getdate, now_datetime
from pypika.terms import PseudoColumn

from korus_crm import scope as data_scope
from korus_crm.boards import counts
from korus_crm.boards.pipeline_config import get_pipeline, get_pipelines
from korus_crm.boundary import whitelist
from korus_crm.rules import dashboard as rules
from korus_crm.rules.counts import last_months
from korus_crm.rules.dashboard import Total
from korus_crm.setup import blocks

# permission query hooks whose conditions the counters already apply: the data scope (its dimension
# rows) and the recycle bin (binned records are in no counter)
UNDERSTOOD_HOOKS = ("korus_crm.scope.query_conditions", "korus_crm.customers.recycle_bin.query_conditions")


# --- what the user may count ---


def visible_totals(
	spec: counts.CountSpec, scope: str | None = None, columns: list[str] | None = None
) -> dict[tuple[str, str], Total]:
	"""{(board, column): totals} of the records of `spec` the user may read."""
	frappe.has_permission(spec.doctype, "read", throw=True)
	if not read_through_counters(spec.doctype):
		return live_totals(spec, scope, columns)
	cond = data_scope.condition_for(spec.doctype)
	if cond is None:
		return _totals(counts.read_totals(spec, scope=scope, columns=columns))
	totals = _totals(counts.read_totals(spec, cond.field, cond.values, scope=scope, columns=columns))
	for key, t in taking_part_totals(spec, cond, scope, columns).items():
		totals[key] = totals.get(key, Total()) + t
	return totals


def _totals(maintained: dict) -> dict[tuple[str, str], Total]:
	return {key: Total(t.count, t.value, t.weighted) for key, t in maintained.items()}


def read_through_counters(doctype: str) -> bool:
	"""Whether what the user reads of `doctype` is exactly their data scope (and not the bin): then
	the counters of their scope are their figures."""
	user = frappe.session.user
	hooks = frappe.get_hooks("permission_query_conditions", {})
	conditions = []
	for method in [*hooks.get(doctype, []), *hooks.get("*", [])]:
		condition = frappe.call(frappe.get_attr(method), user, doctype=doctype)
		if not condition:
			continue
		if method not in UNDERSTOOD_HOOKS:
			return False
		conditions.append(condition)
	return DatabaseQuery(doctype, user=user).build_match_conditions(as_condition=True) == " and ".join(
		conditions
	)


def _terms(spec: counts.CountSpec) -> tuple[str, str]:
	column = f"date_format(`{spec.month_of}`, '%Y-%m')" if spec.month_of else f"`{spec.group_field}`"
	board = f"`{spec.scope_field}`" if spec.scope_field else "''"
	return board, column


def live_totals(
	spec: counts.CountSpec, scope: str | None = None, columns: list[str] | None = None
) -> dict[tuple[str, str], Total]:
	"""Counted through the user's permissions (Frappe's get_list), as their list shows the records."""
	board, column = _terms(spec)
	filters: list = [[spec.month_of or spec.group_field, "is", "set"]]
	if scope is not None and spec.scope_field:
		filters.append([spec.scope_field, "=", scope])
	rows = frappe.get_list(
		spec.doctype,
		filters=filters,
		fields=[f"{board} as `board`", f"{column} as `column`", *counts.aggregate_fields(spec)],
		group_by=f"{board}, {column}",
		order_by=None,
	)
	return _grouped(rows, columns)


def _grouped(rows, columns: list[str] | None) -> dict[tuple[str, str], Total]:
	out: dict[tuple[str, str], Total] = {}
	for r in rows:
		key = (counts.as_key(r.board), counts.as_key(r.column))
		if not key[1] or (columns is not None and key[1] not in columns):
			continue
		out[key] = out.get(key, Total()) + Total(
			int(r.record_count), float(r.value_total or 0), float(r.weighted_total or 0)
		)
	return out


def taking_part_totals(
	spec: counts.CountSpec, cond, scope: str | None, columns: list[str] | None
) -> dict[tuple[str, str], Total]:
	"""The records a scoped user reads because they take part in them (SCOPED's participants: a
	customer pool's customers), outside their scope, counted over the participants' index."""
	taking_part = data_scope.participants_condition(spec.doctype, frappe.session.user)
	if not taking_part or taking_part == "(1=0)":
		return {}
	table = DocType(spec.doctype)
	board, column = _terms(spec)
	amount = f"coalesce(`{spec.amount_field}`, 0)" if spec.amount_field else "0"
	query = (
		frappe.qb.from_(table)
		.select(
			PseudoColumn(f"{board} as `board`"),
			PseudoColumn(f"{column} as `column`"),
			PseudoColumn("count(*) as `record_count`"),
			PseudoColumn(f"sum({amount}) as `value_total`"),
			PseudoColumn("0 as `weighted_total`"),
		)
		.where(table[spec.month_of or spec.group_field].isnotnull())
		.where(PseudoColumn(taking_part))  # after a criterion: pypika ANDs a raw term onto one
		.groupby(PseudoColumn("`board`"), PseudoColumn("`column`"))
	)
	if cond.values:  # not those of the scope: counted already
		query = query.where(Coalesce(table[cond.field], "").notin(list(cond.values)))
	if frappe.get_meta(spec.doctype).has_field("korus_deleted"):
		query = query.where(table.korus_deleted == 0)
	if scope is not None and spec.scope_field:
		query = query.where(table[spec.scope_field] == scope)
	return _grouped(query.run(as_dict=True), columns)


def by_column(totals: dict[tuple[str, str], Total]) -> dict[str, Total]:
	out: dict[str, Total] = {}
	for (_board, column), t in totals.items():
		out[column] = out.get(column, Total()) + t
	return out


# --- the figures ---


def stage_kinds() -> tuple[set[str], set[str], list]:
	"""(won stages, lost stages, pipelines) of every pipeline."""
	pipelines = get_pipelines()
	won = {s.docname for p in pipelines for s in p.stages if s.is_won}
	lost = {s.docname for p in pipelines for s in p.stages if s.is_lost}
	return won, lost, pipelines


def open_stages() -> set[str]:
	return {s.docname for p in get_pipelines() for s in p.stages if not s.is_closed}


def deal_figures() -> rules.DealFigures:
	won, lost, _pipelines = stage_kinds()
	return rules.deal_figures(by_column(visible_totals(counts.DEALS)), won, lost)


def customer_figures() -> dict[str, int]:
	"""Companies (all, enabled) and customers (individuals)."""
	totals = visible_totals(counts.CUSTOMERS)
	companies = sum(t.count for (_d, column), t in totals.items() if column == "Company")
	return {
		"companies": companies,
		"active_companies": sum(
			t.count for (disabled, column), t in totals.items() if column == "Company" and not disabled
		),
		"customers": sum(t.count for (_d, column), t in totals.items() if column == "Individual"),
	}


def lead_figures() -> dict[str, int]:
	total = sum(t.count for t in visible_totals(counts.LEADS).values())
	qualified = by_column(visible_totals(counts.LEADS_BY_QUALIFICATION, columns=[rules.QUALIFIED]))
	return {"leads": total, "qualified": qualified.get(rules.QUALIFIED, Total()).count}


def task_figures() -> dict[str, int]:
	by_status = by_column(visible_totals(counts.TASKS))
	return {
		"tasks": sum(t.count for t in by_status.values()),
		"pending": sum(by_status.get(s, Total()).count for s in rules.PENDING_TASKS),
		"done": sum(by_status.get(s, Total()).count for s in rules.DONE_TASKS),
	}


# --- the charts (their Dashboard Chart Sources call these) ---

ChartFilters = dict | None


@whitelist()
@frappe.read_only()
def deals_by_month_chart(
	chart_name: str | None = None,
	chart: dict | None = None,
	no_cache: str | None = None,
	filters: ChartFilters = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | None = None,
	refresh: str | None = None,
) -> dict:
	"""The last six months: deals created, and deals won and lost (closed in the month)."""
	data = deals_by_month()
	return {
		"labels": data["labels"],
		"datasets": [
			{"name": _("Created"), "values": data["created"]},
			{"name": _("Won"), "values": data["won"]},
			{"name": _("Lost"), "values": data["lost"]},
		],
	}


@whitelist()
@frappe.read_only()
def revenue_by_month_chart(
	chart_name: str | None = None,
	chart: dict | None = None,
	no_cache: str | None = None,
	filters: ChartFilters = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | None = None,
	refresh: str | None = None,
) -> dict:
	"""The last six months: the value of the deals won in the month (company currency)."""
	data = deals_by_month()
	return {"labels": data["labels"], "datasets": [{"name": _("Revenue"), "values": data["revenue"]}]}


def deals_by_month(today=None) -> dict:
	"""{labels, created, won, lost, revenue} over the last MONTHS_SHOWN months."""
	months = last_months(getdate(today), rules.MONTHS_SHOWN)
	won, lost, _pipelines = stage_kinds()
	created = by_column(visible_totals(counts.DEALS_BY_MONTH, columns=months))
	closed = visible_totals(counts.DEALS_BY_CLOSE, columns=months)

	def closed_in(stages: set[str], month: str) -> Total:
		return rules.summed(t for (stage, m), t in closed.items() if m == month and stage in stages)

	return {
		"labels": months,
		"created": [created.get(m, Total()).count for m in months],
		"won": [closed_in(won, m).count for m in months],
		"lost": [closed_in(lost, m).count for m in months],
		"revenue": [closed_in(won, m).value for m in months],
	}


@whitelist()
@frappe.read_only()
def leads_by_source_chart(
	chart_name: str | None = None,
	chart: dict | None = None,
	no_cache: str | None = None,
	filters: ChartFilters = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | None = None,
	refresh: str | None = None,
) -> dict:
	"""Leads per lead source (those without one as "Not Set")."""
	data = leads_by_source()
	return {"labels": list(data), "datasets": [{"name": _("Leads"), "values": list(data.values())}]}


def leads_by_source() -> dict[str, int]:
	by_source = {k: t.count for k, t in by_column(visible_totals(counts.LEADS_BY_SOURCE)).items()}
	total = sum(t.count for t in visible_totals(counts.LEADS).values())
	ordered = dict(sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0])))
	return rules.with_rest(ordered, total, _("Not Set"))


@whitelist()
@frappe.read_only()
def tasks_by_status_chart(
	chart_name: str | None = None,
	chart: dict | None = None,
	no_cache: str | None = None,
	filters: ChartFilters = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | None = None,
	refresh: str | None = None,
) -> dict:
	"""Tasks per status."""
	by_status = by_column(visible_totals(counts.TASKS))
	statuses = [s for s in rules.TASK_STATUSES if by_status.get(s)]
	return {
		"labels": [_(s) for s in statuses],
		"datasets": [{"name": _("Tasks"), "values": [by_status[s].count for s in statuses]}],
	}


@whitelist()
@frappe.read_only()
def pipeline_overview_chart(
	chart_name: str | None = None,
	chart: dict | None = None,
	no_cache: str | None = None,
	filters: ChartFilters = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | None = None,
	refresh: str | None = None,
) -> dict:
	"""Open deals per stage of a pipeline (the `pipeline` filter; every pipeline when not given)."""
	rows = pipeline_overview((filters or {}).get("pipeline"))
	return {
		"labels": [r["label"] for r in rows],
		"datasets": [{"name": _("Open Deals"), "values": [r["count"] for r in rows]}],
	}


@whitelist()
@frappe.read_only()
def pipeline_value_chart(
	chart_name: str | None = None,
	chart: dict | None = None,
	no_cache: str | None = None,
	filters: ChartFilters = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | None = None,
	refresh: str | None = None,
) -> dict:
	"""Value and weighted value of the open deals per stage of a pipeline (company currency)."""
	rows = pipeline_overview((filters or {}).get("pipeline"))
	return {
		"labels": [r["label"] for r in rows],
		"datasets": [
			{"name": _("Value"), "values": [r["value"] for r in rows]},
			{"name": _("Weighted Value"), "values": [r["weighted"] for r in rows]},
		],
	}


def pipeline_overview(pipeline: str | None = None) -> list[dict]:
	"""[{pipeline, stage, label, count, value, weighted}] of the open stages of one pipeline (or of
	every active pipeline), in board order."""
	if pipeline:
		config = get_pipeline(pipeline)
		if not config:
			frappe.throw(
				_("{0} is not a deal pipeline.").format(frappe.bold(pipeline)), frappe.DoesNotExistError
			)
		pipelines = [config]
	else:
		pipelines = [p for p in get_pipelines() if p.is_active]
	totals = visible_totals(counts.DEALS)
	out = []
	for p in pipelines:
		for s in p.stages:
			if s.is_closed:
				continue
			t = totals.get((p.name, s.docname), Total())
			label = _(s.name) if len(pipelines) == 1 else f"{p.name}: {_(s.name)}"
			out.append(
				{
					"pipeline": p.name,
					"stage": s.docname,
					"label": label,
					"count": t.count,
					"value": t.value,
					"weighted": t.weighted,
				}
			)
	return out


# --- recent activity ---

RECENT = 5


@whitelist()
@frappe.read_only()
def recent_activity() -> dict:
	"""The five newest companies, customers and deals, and the next five tasks due, that the user
	may read (sections of doctypes they may not read are left out)."""
	out = {}
	if frappe.has_permission("Customer", "read"):
		for key, kind in (("companies", "Company"), ("customers", "Individual")):
			out[key] = frappe.get_list(
				"Customer",
				filters={"customer_type": kind},
				fields=["name", "customer_name", "creation"],
				order_by="creation desc",
				limit_page_length=RECENT,
			)
	if frappe.has_permission("Opportunity", "read"):
		out["deals"] = frappe.get_list(
			"Opportunity",
			fields=["name", "title", "customer_name", "base_opportunity_amount", "deal_stage", "creation"],
			order_by="creation desc",
			limit_page_length=RECENT,
		)
	if frappe.has_permission("Korus Task", "read"):
		out["tasks"] = next_tasks()
	return out


def next_tasks(now=None) -> list[dict]:
	"""The next tasks due (pending, due from now on): one walk of index (status, due_at) per status."""
	now = now or now_datetime()
	rows = []
	for status in rules.PENDING_TASKS:
		rows += frappe.get_list(
			"Korus Task",
			filters={"status": status, "due_at": (">=", now)},
			fields=["name", "subject", "status", "due_at", "assigned_to"],
			order_by="due_at asc",
			limit_page_length=RECENT,
		)
	return sorted(rows, key=lambda r: r.due_at)[:RECENT]


# --- the workspace block ---

BLOCK = "Korus Recent Activity"
BLOCK_HTML = '<div class="korus-recent"></div>'
BLOCK_STYLE = """
.korus-recent { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: var(--margin-md); }
.korus-recent .section h6 { font-weight: 600; margin-bottom: var(--margin-sm); color: var(--text-color); }
.korus-recent .row-item { display: flex; justify-content: space-between; gap: var(--margin-sm); padding: 2px 0; font-size: var(--text-sm); border-bottom: 1px solid var(--border-color); }
.korus-recent .row-item:last-child { border-bottom: none; }
.korus-recent .row-item a { color: var(--text-color); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.korus-recent .meta, .korus-recent .empty { color: var(--text-muted); white-space: nowrap; }
"""
BLOCK_SCRIPT = Path(__file__).resolve().parents[1] / "public" / "js" / "korus_recent_activity_block.js"


def sync_workspace_block() -> None:
	"""after_install / after_migrate: the "Recent Activity" Custom HTML Block as this version has it."""
	blocks.sync_block(BLOCK, BLOCK_HTML, BLOCK_STYLE, BLOCK_SCRIPT)


def remove_workspace_block() -> None:
	"""before_uninstall: the block goes with the app."""
	blocks.remove_block(BLOCK)
