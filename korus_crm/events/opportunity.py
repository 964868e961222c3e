"""doc_events of ERPNext's Opportunity: Korus's deals. Pipelines and stages with won/lost
semantics, probability from the stage, stage history, board counts, and ERPNext's own status kept
coherent with the stage (both ways).

Every path ends here: the form, the kanban drag (frappe.set_value of `stage_column`), REST, bulk
edit, move_deal, and ERPNext's own buttons (declare_enquiry_lost saves; Quotation and Sales Order
events db_set the status, which runs on_change).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import flt, getdate, now_datetime, today

from korus_crm.boards import counts
from korus_crm.boards.pipeline_config import PipelineConfig, get_default_pipeline, get_pipeline
from korus_crm.exceptions import InactiveRecordError, LostReasonRequiredError, StageNotInPipelineError
from korus_crm.rules import pipelines as rules

DEFAULT_PROBABILITY = 100  # ERPNext's default for Opportunity.probability


def before_validate(doc, method=None) -> None:
	set_default_currency(doc)
	place_in_pipeline(doc)


def set_default_currency(doc) -> None:
	"""A deal without a currency is in its company's (the desk form does this; REST and scripts
	did not), so that ERPNext computes its value in the company currency."""
	if not doc.currency and doc.company:
		doc.currency = frappe.get_cached_value("Company", doc.company, "default_currency")


def validate(doc, method=None) -> None:
	set_base_amount(doc)
	pipeline = get_pipeline(doc.deal_pipeline)
	validate_new_deal(doc, pipeline)
	validate_stage_in_pipeline(doc, pipeline)
	follow_erpnext_status(doc, pipeline)
	apply_stage_rules(doc, pipeline)


def after_insert(doc, method=None) -> None:
	start_stage_history(doc)
	counts.record_inserted(counts.DEALS, doc)


def on_update(doc, method=None) -> None:
	before = doc.get_doc_before_save()
	if before is None:  # an insert: after_insert did the work
		return
	if before.deal_stage != doc.deal_stage:
		record_stage_change(doc, before.deal_stage)
		make_contract_order_if_won(doc)
	counts.record_updated(counts.DEALS, doc)


def on_change(doc, method=None) -> None:
	"""ERPNext sets the status without a save (Quotation submitted/lost, Sales Order submitted or
	cancelled: `set_status(update=True)` is a db_set): move the deal to the matching stage."""
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
	old = counts.placement(counts.DEALS, doc)
	old_stage = doc.deal_stage
	outcome = rules.enter_stage(target, current, doc.closed_on, bool(doc.lost_reasons), getdate(today()))
	values = {
		"deal_stage": target.docname,
		"stage_column": target.name,
		"closed_on": outcome.closed_on,
		"probability": rules.probability_after_move(target, doc.probability, False),
	}
	doc.db_set(values, update_modified=False)
	record_stage_change(doc, old_stage)
	counts.record_moved(counts.DEALS, old, counts.placement(counts.DEALS, doc))
	make_contract_order_if_won(doc)


def make_contract_order_if_won(doc) -> None:
	"""Seed 003: a won entry becomes an order (a draft Contract Order, once per deal)."""
	pipeline = get_pipeline(doc.deal_pipeline)
	stage = pipeline.stage(doc.deal_stage) if pipeline else None
	if stage and stage.is_won:
		from korus_crm.selling.contract_orders import ensure_for_won_deal

		ensure_for_won_deal(doc)


def on_trash(doc, method=None) -> None:
	history = DocType("Deal Stage History")
	frappe.qb.from_(history).delete().where(history.deal == doc.name).run()


def after_delete(doc, method=None) -> None:
	counts.record_deleted(counts.DEALS, doc)


# --- before_validate / validate ---


def set_base_amount(doc) -> None:
	"""ERPNext's form computes the deal's value in the company currency in the browser only; boards,
	totals and the forecast need it on every path. ERPNext's validate has set the conversion rate."""
	doc.base_opportunity_amount = flt(doc.opportunity_amount) * flt(doc.conversion_rate or 1)


def place_in_pipeline(doc) -> None:
	"""A deal without a pipeline lands in the default one, without a stage in its pipeline's default
	stage. The stage (a link) and its board column (a Select, for the desk kanban) follow each other:
	whichever was changed sets the other."""
	pipeline = get_pipeline(doc.deal_pipeline) if doc.deal_pipeline else get_default_pipeline()
	if not pipeline:
		return
	doc.deal_pipeline = pipeline.name
	stage_changed = doc.is_new() or doc.has_value_changed("deal_stage")
	column_changed = not doc.is_new() and doc.has_value_changed("stage_column")
	if column_changed and not doc.has_value_changed("deal_stage"):
		stage = pipeline.stage_named(doc.stage_column)
		if stage:
			doc.deal_stage = stage.docname
		return  # an unknown column is refused by validate_stage_in_pipeline
	if doc.deal_stage and pipeline.stage(doc.deal_stage):
		doc.stage_column = pipeline.stage(doc.deal_stage).name
		return
	if doc.deal_stage and stage_changed:
		return  # a stage of another pipeline, chosen explicitly: refused by validate_stage_in_pipeline
	# no stage, or the deal moved to another pipeline: that pipeline's default stage
	stage = pipeline.default_stage
	if stage:
		doc.deal_stage, doc.stage_column = stage.docname, stage.name


def validate_new_deal(doc, pipeline: PipelineConfig | None) -> None:
	if not (doc.is_new() or doc.has_value_changed("deal_pipeline")):
		return
	if pipeline and not pipeline.is_active:
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


def validate_stage_in_pipeline(doc, pipeline: PipelineConfig | None) -> None:
	if not pipeline:
		return
	stage = pipeline.stage(doc.deal_stage)
	if stage is None or (doc.stage_column and doc.stage_column != stage.name):
		frappe.throw(
			_("{0} is not a stage of pipeline {1}. Choose one of: {2}").format(
				frappe.bold(doc.stage_column if stage else doc.deal_stage),
				frappe.bold(pipeline.name),
				", ".join(s.name for s in pipeline.stages),
			),
			StageNotInPipelineError,
		)


def follow_erpnext_status(doc, pipeline: PipelineConfig | None) -> None:
	"""ERPNext's own buttons that save the deal (Declare Lost) move it to the matching stage, unless
	the same save also chose a stage."""
	if (
		not pipeline
		or doc.is_new()
		or not doc.has_value_changed("status")
		or doc.has_value_changed("deal_stage")
	):
		return
	current = pipeline.stage(doc.deal_stage)
	target = rules.stage_for_erpnext_status(
		doc.status, current, pipeline.stages, last_open_stage(doc, pipeline)
	)
	if target:
		doc.deal_stage, doc.stage_column = target.docname, target.name


def apply_stage_rules(doc, pipeline: PipelineConfig | None) -> None:
	if not pipeline or not (doc.is_new() or doc.has_value_changed("deal_stage")):
		return
	stage = pipeline.stage(doc.deal_stage)
	before = doc.get_doc_before_save()
	previous = pipeline.stage(before.deal_stage) if before else None
	reopening = previous is not None and previous.is_closed and not stage.is_closed
	outcome = rules.enter_stage(
		stage,
		previous,
		getdate(doc.closed_on) if doc.closed_on else None,
		has_lost_reason=bool(doc.lost_reasons),
		today=getdate(today()),
		has_active_quotation=bool(reopening and doc.name and doc.has_active_quotation()),
	)
	if outcome.needs_lost_reason:
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
	doc.closed_on = outcome.closed_on
	if outcome.clear_lost_reasons:
		doc.set("lost_reasons", [])
		doc.order_lost_reason = None
	if outcome.erpnext_status:
		doc.status = outcome.erpnext_status
	doc.probability = rules.probability_after_move(stage, doc.probability, probability_edited(doc))


def probability_edited(doc) -> bool:
	if doc.is_new():
		return doc.probability not in (None, DEFAULT_PROBABILITY)
	return doc.has_value_changed("probability")


# --- history ---


def start_stage_history(doc) -> None:
	if doc.deal_stage:
		insert_history(doc, from_stage=None)


def record_stage_change(doc, from_stage: str | None) -> None:
	"""Close the open stay and open the next; timestamps and user from the server, never the client."""
	history = DocType("Deal Stage History")
	(
		frappe.qb.update(history)
		.set(history.left_at, now_datetime())
		.where((history.deal == doc.name) & history.left_at.isnull())
		.run()
	)
	insert_history(doc, from_stage)


def insert_history(doc, from_stage: str | None) -> None:
	frappe.get_doc(
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


def last_open_stage(doc, pipeline: PipelineConfig) -> rules.StageRow | None:
	"""The open stage the deal was last in (where it goes back to when ERPNext reopens it)."""
	if not doc.name:
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
