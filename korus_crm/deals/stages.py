"""A deal entering a stage: one function (`apply_stage`) applies what a stage means on every path.

- a save (the form, REST, imports, `move_deal`, the board, ERPNext's Declare Lost, which saves):
  `on_validate` in the deal's validate;
- ERPNext's own status changes without a save (a Quotation submitted or lost, a Sales Order
  submitted or cancelled: `set_status(update=True)` is a db_set): `follow_erpnext_status`, from the
  deal's on_change, moves the deal to the matching stage and writes what `apply_stage` decided.

After either, `after_stage_change` records the stay in the stage history and, for a won stage, asks
for the deal's contract order (made after the commit, korus_crm.selling.won_deals).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import getdate, now_datetime, today

from korus_crm.boards import counts
from korus_crm.boards.pipeline_config import PipelineConfig, get_default_pipeline, get_pipeline
from korus_crm.deals import rotting
from korus_crm.exceptions import InactiveRecordError, LostReasonRequiredError, StageNotInPipelineError
from korus_crm.rules import pipelines as rules

DEFAULT_PROBABILITY = 100  # ERPNext's default for Opportunity.probability


# --- the rule ---


def apply_stage(
	doc,
	stage: rules.StageRow,
	previous: rules.StageRow | None,
	*,
	probability_edited: bool = False,
	ask_for_lost_reason: bool = True,
) -> None:
	"""What entering `stage` (from `previous`) means for the deal, applied to `doc` (unsaved):
	close date set or cleared, lost reasons required or cleared, ERPNext's status and Sales Stage,
	probability, the last activity and rotting date. `ask_for_lost_reason` is False only where
	ERPNext itself declared the deal lost (its reasons are on the lost Quotation)."""
	reopening = previous is not None and previous.is_closed and not stage.is_closed
	outcome = rules.enter_stage(
		stage,
		previous,
		getdate(doc.closed_on) if doc.closed_on else None,
		has_lost_reason=bool(doc.lost_reasons) or not ask_for_lost_reason,
		today=getdate(today()),
		has_active_quotation=bool(reopening and doc.name and doc.has_active_quotation()),
	)
	if outcome.needs_lost_reason:
		refuse_without_lost_reason(doc, stage)
	doc.deal_stage = stage.docname
	doc.closed_on = outcome.closed_on
	if outcome.clear_lost_reasons:
		doc.set("lost_reasons", [])
		doc.order_lost_reason = None
	if outcome.erpnext_status:
		doc.status = outcome.erpnext_status
	doc.sales_stage = stage.name
	doc.probability = rules.probability_after_move(stage, doc.probability, probability_edited)
	rotting.stage_moved(doc)  # a move is an activity: last activity, rots-on date (issue 12)


def refuse_without_lost_reason(doc, stage: rules.StageRow) -> None:
	ask = None
	if not doc.is_new():  # the desk offers a dialog that asks for the reason and moves the deal
		ask = {
			"label": _("Give a lost reason"),
			"client_action": "korus_crm.deals.ask_lost_reason",
			"args": {"deal": doc.name, "stage": stage.docname},
		}
	frappe.throw(
		_("Moving a deal to the lost stage {0} needs a lost reason.").format(frappe.bold(stage.name)),
		LostReasonRequiredError,
		title=_("Lost reason required"),
		primary_action=ask,
	)


# --- a save ---


def place_in_pipeline(doc) -> None:
	"""before_validate: a deal without a pipeline lands in the default one; without a stage (or
	moved to another pipeline) in its pipeline's default stage."""
	pipeline = get_pipeline(doc.deal_pipeline) if doc.deal_pipeline else get_default_pipeline()
	if not pipeline:
		return
	doc.deal_pipeline = pipeline.name
	if doc.deal_stage and (
		pipeline.stage(doc.deal_stage) or doc.is_new() or doc.has_value_changed("deal_stage")
	):
		return  # a stage chosen explicitly from another pipeline is refused by validate
	if pipeline.default_stage:
		doc.deal_stage = pipeline.default_stage.docname


def on_validate(doc) -> None:
	pipeline = get_pipeline(doc.deal_pipeline)
	if not pipeline:
		return
	validate_new_deal(doc, pipeline)
	follow_erpnext_status_in_save(doc, pipeline)
	stage = validate_stage_in_pipeline(doc, pipeline)
	if doc.is_new() or doc.has_value_changed("deal_stage") or doc.has_value_changed("deal_pipeline"):
		before = doc.get_doc_before_save()
		previous = pipeline.stage(before.deal_stage) if before else None
		apply_stage(doc, stage, previous, probability_edited=probability_edited(doc))


def validate_new_deal(doc, pipeline: PipelineConfig) -> None:
	if not (doc.is_new() or doc.has_value_changed("deal_pipeline")):
		return
	if not pipeline.is_active:
		frappe.throw(
			_("Pipeline {0} is inactive and takes no new deals.").format(frappe.bold(pipeline.name)),
			InactiveRecordError,
		)
	if doc.is_new() and doc.opportunity_from == "Customer" and doc.party_name:
		if frappe.db.get_value("Customer", doc.party_name, "disabled"):
			frappe.throw(
				_("Customer {0} is inactive and cannot be chosen for a new deal.").format(
					frappe.bold(doc.party_name)
				),
				InactiveRecordError,
			)


def validate_stage_in_pipeline(doc, pipeline: PipelineConfig) -> rules.StageRow:
	stage = pipeline.stage(doc.deal_stage)
	if stage is None:
		frappe.throw(
			_("{0} is not a stage of pipeline {1}. Choose one of: {2}").format(
				frappe.bold(doc.deal_stage),
				frappe.bold(pipeline.name),
				", ".join(s.name for s in pipeline.stages),
			),
			StageNotInPipelineError,
		)
	return stage


def follow_erpnext_status_in_save(doc, pipeline: PipelineConfig) -> None:
	"""ERPNext's own buttons that save the deal (Declare Lost) move it to the matching stage, unless
	the same save also chose a stage."""
	if doc.is_new() or not doc.has_value_changed("status") or doc.has_value_changed("deal_stage"):
		return
	target = rules.stage_for_erpnext_status(
		doc.status, pipeline.stage(doc.deal_stage), pipeline.stages, last_open_stage(doc, pipeline)
	)
	if target:
		doc.deal_stage = target.docname


def probability_edited(doc) -> bool:
	if doc.is_new():
		return doc.probability not in (None, DEFAULT_PROBABILITY)
	return doc.has_value_changed("probability")


# --- ERPNext's status changes without a save ---


def follow_erpnext_status(doc) -> None:
	"""on_change after ERPNext's db_set of the status: move the deal to the matching stage, with the
	same rule as a save, and write the result."""
	if doc.flags.in_insert or not doc.has_value_changed("status"):
		return
	pipeline = get_pipeline(doc.deal_pipeline)
	if not pipeline:
		return
	current = pipeline.stage(doc.deal_stage)
	target = rules.stage_for_erpnext_status(
		doc.status, current, pipeline.stages, last_open_stage(doc, pipeline)
	)
	if target is None:
		return
	old = counts.snapshot(counts.DEALS, doc)  # the board's and the dashboard's counters
	had_lost_reasons = bool(doc.lost_reasons)
	apply_stage(doc, target, current, ask_for_lost_reason=False)
	values = {
		f: doc.get(f)
		for f in ("deal_stage", "closed_on", "status", "sales_stage", "probability", *rotting.FIELDS)
	}
	frappe.db.set_value("Opportunity", doc.name, {**values, "order_lost_reason": doc.order_lost_reason})
	if had_lost_reasons and not doc.lost_reasons:
		frappe.db.delete("Opportunity Lost Reason Detail", {"parenttype": "Opportunity", "parent": doc.name})
	counts.record_moved(counts.DEALS, old, counts.snapshot(counts.DEALS, doc))
	after_stage_change(doc, current.docname if current else None)
	doc.notify_update()


# --- after the move ---


def after_stage_change(doc, from_stage: str | None) -> None:
	"""The deal is in its new stage: record the stay; a won deal asks for its contract order."""
	record_stage_change(doc, from_stage)
	pipeline = get_pipeline(doc.deal_pipeline)
	stage = pipeline.stage(doc.deal_stage) if pipeline else None
	if stage and stage.is_won:
		from korus_crm.selling import won_deals

		won_deals.schedule_contract_order(doc)


def start_stage_history(doc) -> None:
	if doc.deal_stage:
		insert_history(doc, from_stage=None)


def record_stage_change(doc, from_stage: str | None) -> None:
	"""Close the open stay and open the next; timestamps and user from the server, never the client."""
	from korus_crm.analytics import stays

	history, at = DocType("Deal Stage History"), now_datetime()
	stays.stays_closing(doc.name, at)  # the closed stays' maintained totals (Deal Stage Duration)
	(
		frappe.qb.update(history)
		.set(history.left_at, at)
		.where((history.deal == doc.name) & history.left_at.isnull())
		.run()
	)
	insert_history(doc, from_stage)


def insert_history(doc, from_stage: str | None) -> None:
	from korus_crm.analytics import stays

	stay = frappe.get_doc(
		{
			"doctype": "Deal Stage History",
			"deal": doc.name,
			"pipeline": doc.deal_pipeline,
			"from_stage": from_stage,
			"to_stage": doc.deal_stage,
			"entered_at": now_datetime(),
			"changed_by": frappe.session.user,
			"deal_owner": doc.opportunity_owner,
		}
	).insert(ignore_permissions=True, ignore_links=True)
	stays.stay_opened(stay.name)  # the open stays' maintained totals (Deal Stage Duration)


def last_open_stage(doc, pipeline: PipelineConfig) -> rules.StageRow | None:
	"""The open stage the deal was last in (where it goes back to when ERPNext reopens it)."""
	if not doc.name or doc.is_new():
		return None
	for stage in frappe.get_all(
		"Deal Stage History",
		filters={"deal": doc.name},
		order_by="entered_at desc, creation desc",
		pluck="to_stage",
	):
		row = pipeline.stage(stage)
		if row and not row.is_closed:
			return row
	return None
