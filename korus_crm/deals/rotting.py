"""Rotting deals (issue 12, docs/rotting-deals.md): each deal keeps its last activity and the day it
rots on (korus_crm.rules.rotting); the Deal Board colours rotting cards, the "Rotting Deals" report
lists them, and a daily job tells each owner once.

One function, `activity`, records an activity on a deal, from every kind of activity:
- a stage move (korus_crm.deals.stages.apply_stage, on every path that moves a deal);
- a follow-up with the deal (Customer Follow-up.deal, after_insert);
- a Price Offer for the deal (Price Offer.opportunity: made, or sent / accepted / rejected);
- a comment on the deal (Comment, after_insert).
The deal's `modified` is left alone (an activity is not an edit of the deal).

A stage whose idle days (or won / lost flags) change recomputes its deals' dates: inline while few,
else in a background job with progress.
"""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import DocType
from frappe.utils import escape_html, get_datetime, get_url_to_form, getdate, now_datetime, today

from korus_crm import jobs, notify
from korus_crm.boards.pipeline_config import get_pipeline
from korus_crm.rules import rotting as rules

DOCTYPE = "Opportunity"
STAGE = "Deal Stage"
LAST_ACTIVITY, ROTS_ON, NOTIFIED = "korus_last_activity_at", "korus_rots_on", "korus_rot_notified"
FIELDS = (LAST_ACTIVITY, ROTS_ON, NOTIFIED)
INLINE_LIMIT = 300  # deals a stage recomputes in the request; above, a background job
CHUNK = 500  # deals per UPDATE of a recompute
BATCH = 1000  # due deals the daily job reads per round
DUE_INDEX = "korus_rot_due"  # (korus_rot_notified, korus_rots_on): korus_crm.setup.rotting
REPORT_LIMIT = 1000  # rows of the Rotting Deals report (the longest rotting)
RECOMPUTE_JOB = "korus_crm.deals.rotting.recompute_stage"
# an offer's states that are an activity with the customer (Expired is the calendar's, not anyone's)
OFFER_ACTIVITY_STATES = ("Sent", "Accepted", "Rejected")


# --- recording an activity ---


def activity(deal: str | Document, at: datetime.datetime | str | None = None) -> None:
	"""An activity on `deal` at `at` (now by default): its last activity (never moved back), the day
	it rots on (last activity + its stage's idle days; none when the stage sets none or closes the
	deal), and its owner may be told again. `deal` is a deal's name (written now) or a deal being
	saved (set on it: its save writes them)."""
	at = get_datetime(at) if at else now_datetime()
	if isinstance(deal, Document):
		deal.update(values_after(deal, at))
		return
	row = frappe.db.get_value(
		DOCTYPE,
		deal,
		["name", "deal_pipeline", "deal_stage", LAST_ACTIVITY, ROTS_ON, NOTIFIED],
		as_dict=True,
		for_update=True,
	)
	if row:
		values = values_after(row, at)
		if any(values[f] != row.get(f) for f in FIELDS):
			frappe.db.set_value(DOCTYPE, row.name, values, update_modified=False)


def values_after(deal, at: datetime.datetime) -> dict:
	last = get_datetime(deal.get(LAST_ACTIVITY)) if deal.get(LAST_ACTIVITY) else None
	newest = rules.latest(last, at)
	idle_days, closed = stage_rule(deal.get("deal_pipeline"), deal.get("deal_stage"))
	rots_on = rules.rots_on(newest, idle_days, closed)
	moved = newest != last
	return {
		LAST_ACTIVITY: newest,
		ROTS_ON: rots_on,
		NOTIFIED: 0 if moved else int(bool(deal.get(NOTIFIED)) and rots_on is not None),
	}


def stage_rule(pipeline: str | None, stage: str | None) -> tuple[int | None, bool]:
	"""(idle days, closes the deal) of a deal's stage, from the cached pipeline configuration."""
	config = get_pipeline(pipeline) if pipeline else None
	row = config.stage(stage) if config else None
	if row is None:
		return None, False
	return row.idle_days, row.is_closed


def stage_moved(doc) -> None:
	"""korus_crm.deals.stages.apply_stage: a deal entering a stage (a new deal too)."""
	activity(doc, now_datetime())


# --- doc_events (hooks.py, "rotting deals (issue 12)") ---


def follow_up_made(doc, method=None) -> None:
	"""Customer Follow-up after_insert: a follow-up with the deal."""
	if doc.get("deal"):
		activity(doc.deal, doc.get("followed_up_at") or doc.creation)


def offer_made(doc, method=None) -> None:
	"""Price Offer after_insert: an offer (or a revision) for the deal."""
	if doc.get("opportunity"):
		activity(doc.opportunity, doc.creation)


def offer_changed(doc, method=None) -> None:
	"""Price Offer on_update_after_submit: sent to, accepted or rejected by the customer."""
	if doc.get("opportunity") and doc.status in OFFER_ACTIVITY_STATES and doc.has_value_changed("status"):
		activity(doc.opportunity)


def comment_added(doc, method=None) -> None:
	"""Comment after_insert: a comment on the deal (not the timeline's automatic entries)."""
	if doc.reference_doctype == DOCTYPE and doc.comment_type == "Comment" and doc.reference_name:
		activity(doc.reference_name, doc.creation)


# --- a stage's rule changed ---


def rule_changed(stage: Document, values: dict) -> bool:
	"""Whether a stage's new values change how its deals rot (korus_crm.deals.mirrors)."""
	return any(int(stage.get(f) or 0) != int(values.get(f) or 0) for f in ("idle_days", "is_won", "is_lost"))


def stage_changed(stage: str) -> None:
	"""A stage's idle days (or won / lost flags) changed: its deals' dates, inline while few, else
	by a background job after the commit."""
	if frappe.db.count(DOCTYPE, {"deal_stage": stage}) <= INLINE_LIMIT:
		recompute_stage(stage)
		return
	jobs.enqueue(RECOMPUTE_JOB, job_id=jobs.key("rotting", stage), stage=stage, user=frappe.session.user)
	frappe.msgprint(
		_("The rotting dates of the deals in stage {0} are being updated in the background.").format(
			frappe.bold(stage)
		),
		alert=True,
	)


@jobs.job
def recompute_stage(stage: str, user: str | None = None, today_: datetime.date | None = None) -> int:
	"""Every deal of `stage`: rots on its last activity (else its creation) + the stage's idle days;
	the owner's notice kept only while it still rots. Chunks of CHUNK deals, one UPDATE per distinct
	outcome; progress published to `user` (the background job). Returns the deals updated.
	Idempotent: the dates follow from the stage's rule as it is when the job runs."""
	rule = frappe.db.get_value(STAGE, stage, ["idle_days", "is_won", "is_lost"], as_dict=True)
	if not rule:
		return 0
	day = today_ or getdate(today())
	closed = bool(rule.is_won or rule.is_lost)
	names = frappe.get_all(DOCTYPE, filters={"deal_stage": stage}, pluck="name", order_by="name asc")
	opportunity = DocType(DOCTYPE)
	done = 0
	for start in range(0, len(names), CHUNK):
		chunk = names[start : start + CHUNK]
		rows = frappe.get_all(
			DOCTYPE,
			filters={"name": ("in", chunk)},
			fields=["name", "creation", LAST_ACTIVITY, ROTS_ON, NOTIFIED],
			order_by="name asc",
		)
		outcomes: dict[tuple, list[str]] = {}
		for row in rows:
			rots_on = rules.rots_on(row.get(LAST_ACTIVITY) or row.creation, rule.idle_days, closed)
			notified = int(rules.notified_after_recompute(row.get(NOTIFIED), rots_on, day))
			if (getdate(row.get(ROTS_ON)) if row.get(ROTS_ON) else None, int(row.get(NOTIFIED) or 0)) != (
				rots_on,
				notified,
			):
				outcomes.setdefault((rots_on, notified), []).append(row.name)
		for (rots_on, notified), deals in outcomes.items():
			frappe.qb.update(opportunity).set(opportunity[ROTS_ON], rots_on).set(
				opportunity[NOTIFIED], notified
			).where(opportunity.name.isin(deals)).run()
			done += len(deals)
		if user:
			frappe.publish_progress(
				min(100, (start + len(chunk)) * 100 / len(names)),
				title=_("Rotting deals"),
				description=_("Updating the deals of stage {0}").format(stage),
				user=user,
			)
	return done


# --- the daily notice ---


def notify_rotting() -> None:
	"""The daily job (hooks.py): each rotting deal's owner told once, committed per owner."""
	run(commit=True)


def run(today_: datetime.date | None = None, commit: bool = False) -> dict[str, list[str]]:
	"""Tell each owner of deals that rot before `today_` (and were not told yet) once, listing their
	deals; returns {user: [deals]}. Reads only the due rows (index korus_rot_due); each deal is
	claimed by an UPDATE that sets its flag only while unset, so overlapping runs tell once. With
	`commit`, each owner's claims and notice are committed together (the job)."""
	day = today_ or getdate(today())
	told: dict[str, list[str]] = {}
	while True:
		rows = due_rows_query(day).run(as_dict=True)
		if not rows:
			break
		due = [
			rules.DueDeal(
				r.name, r.opportunity_owner, r.owner, getdate(r.korus_rots_on), bool(r.korus_deleted)
			)
			for r in rows
		]
		by_name = {r.name: r for r in rows}
		notices = rules.notices(due)
		for deal in due:  # in the bin, or nobody to tell: claimed, not told
			if deal.deleted or not (deal.owner or deal.creator):
				claim(deal.name, day)
		for user, deals in notices.items():
			claimed = [d for d in deals if claim(d.name, day)]
			if claimed:
				tell(user, [by_name[d.name] for d in claimed], day)
				told.setdefault(user, []).extend(d.name for d in claimed)
			if commit:
				frappe.db.commit()
		if len(rows) < BATCH:
			break
	return told


def due_rows_query(day: datetime.date):
	"""Deals not yet notified that rot before `day`: a range of the (korus_rot_notified,
	korus_rots_on) index; closed deals and stages without idle days have no date."""
	opportunity = DocType(DOCTYPE)
	return (
		frappe.qb.from_(opportunity)
		.force_index(DUE_INDEX)  # not korus_rots_on's own: most rotting deals are already told
		.select(
			opportunity.name,
			opportunity.title,
			opportunity.customer_name,
			opportunity.opportunity_owner,
			opportunity.owner,
			opportunity.korus_rots_on,
			opportunity.korus_last_activity_at,
			opportunity.korus_deleted,
		)
		.where((opportunity[NOTIFIED] == 0) & (opportunity[ROTS_ON] < day))
		.orderby(opportunity[ROTS_ON])
		.limit(BATCH)
	)


def claim(name: str, day: datetime.date) -> bool:
	opportunity = DocType(DOCTYPE)
	frappe.qb.update(opportunity).set(opportunity[NOTIFIED], 1).where(
		(opportunity.name == name) & (opportunity[NOTIFIED] == 0) & (opportunity[ROTS_ON] < day)
	).run()
	return frappe.db._cursor.rowcount == 1


def tell(user: str, deals: list, day: datetime.date) -> None:
	first = deals[0]

	def subject(lang: str) -> str:
		if len(deals) == 1:
			return _("Rotting deal: {0} has had no activity for {1} days.", lang=lang).format(
				escape_html(first.title or first.customer_name or first.name),
				rules.idle_for(first.korus_last_activity_at, day),
			)
		return _(
			"{0} of your deals are rotting: no activity for longer than their stage allows.", lang=lang
		).format(len(deals))

	def message(lang: str) -> str:
		items = []
		for d in deals:
			idle = _("idle {0} days", lang=lang).format(rules.idle_for(d.korus_last_activity_at, day))
			title = escape_html(d.title or d.customer_name or d.name)
			items.append(f'<li><a href="{get_url_to_form(DOCTYPE, d.name)}">{title}</a>: {idle}</li>')
		return f"<ul>{''.join(items)}</ul>"

	notify.tell(user, DOCTYPE, first.name, subject, message, include_current_user=True)


# --- reads: the board and the report ---


def mark(cards: list[dict], today_: datetime.date | None = None) -> list[dict]:
	"""Deal cards with `rotting` and `idle_days` (days since the last activity)."""
	day = today_ or getdate(today())
	for card in cards:
		rots_on = card.get(ROTS_ON)
		card["rotting"] = rules.is_rotting(getdate(rots_on) if rots_on else None, day)
		last = card.get(LAST_ACTIVITY)
		card["idle_days"] = rules.idle_for(get_datetime(last) if last else None, day)
	return cards


REPORT_FIELDS = (
	"name",
	"title",
	"customer_name",
	"deal_pipeline",
	"deal_stage",
	"sales_stage",
	"opportunity_owner",
	"opportunity_amount",
	"currency",
	LAST_ACTIVITY,
	ROTS_ON,
)


def rotting_deals(
	pipeline: str | None = None, owner: str | None = None, today_: datetime.date | None = None
) -> list[dict]:
	"""The deals rotting before `today_` the user may read (frappe.get_list: their data scope and
	permissions), longest rotting first, each with its idle days."""
	day = today_ or getdate(today())
	return mark(frappe.get_list(DOCTYPE, **rotting_list(pipeline, owner, day)), day)


def rotting_list(pipeline: str | None, owner: str | None, day: datetime.date) -> dict:
	"""frappe.get_list's arguments for the rotting deals: a range of korus_rots_on's index, in its
	order (closed deals and stages without idle days have no date)."""
	filters = {ROTS_ON: ("<", day)}
	if pipeline:
		filters["deal_pipeline"] = pipeline
	if owner:
		filters["opportunity_owner"] = owner
	return {
		"filters": filters,
		"fields": list(REPORT_FIELDS),
		"order_by": f"{ROTS_ON} asc, name asc",
		"limit_page_length": REPORT_LIMIT,
		"ignore_ifnull": True,  # `korus_rots_on < day` as is (Frappe would wrap it in ifnull)
	}


# --- install / migrate ---


def backfill_last_activity() -> None:
	"""after_migrate: deals from before rotting deals (no last activity yet) take their last stage
	move, else their creation. Touches only rows still missing it."""
	from frappe.query_builder.functions import Coalesce, Max

	opportunity, history = DocType(DOCTYPE), DocType("Deal Stage History")
	last_move = (
		frappe.qb.from_(history).select(Max(history.entered_at)).where(history.deal == opportunity.name)
	)
	frappe.qb.update(opportunity).set(
		opportunity[LAST_ACTIVITY], Coalesce(last_move, opportunity.creation)
	).where(opportunity[LAST_ACTIVITY].isnull()).run()
