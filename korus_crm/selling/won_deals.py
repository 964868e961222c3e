"""A won deal's contract order, made after the move is committed (seed 003: a won entry becomes an
order). Pricing the order (a price list, a tax account) can fail for reasons that have nothing to do
with the deal: the stage move never waits for it or fails with it.

The job runs once the deal's move is committed, on Frappe's background workers; Frappe retries it
on a deadlock or lock timeout (korus_crm.jobs.job, frappe.utils.background_jobs.execute_job). It is idempotent: a deal
has one contract order (korus_crm.selling.contract_orders.ensure_for_won_deal, under a row lock on
the deal). Any other failure is shown on the deal (a comment) and to its owner (a notification),
and the deal form offers "Make Contract Order" to try again.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import strip_html

from korus_crm import jobs, notify
from korus_crm.boards.pipeline_config import get_pipeline
from korus_crm.boundary import whitelist
from korus_crm.selling import contract_orders

JOB = "korus_crm.selling.won_deals.make_contract_order"


def schedule_contract_order(deal) -> None:
	jobs.enqueue(JOB, job_id=jobs.key("won-deal", deal.name), deal=deal.name)


@jobs.job
def make_contract_order(deal: str) -> str | None:
	"""The job: the won deal's contract order, or the reason it could not be made, on the deal."""
	if not frappe.db.get_value("Opportunity", deal, "name", for_update=True):
		return None  # deleted meanwhile
	doc = frappe.get_doc("Opportunity", deal)
	pipeline = get_pipeline(doc.deal_pipeline)
	stage = pipeline.stage(doc.deal_stage) if pipeline else None
	if not (stage and stage.is_won):
		return None  # moved on before the job ran
	frappe.db.savepoint("korus_won_deal")
	try:
		return contract_orders.ensure_for_won_deal(doc)
	except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
		raise  # as a job: rolled back and retried by Frappe (korus_crm.jobs.job)
	except Exception as e:
		frappe.db.rollback(save_point="korus_won_deal")
		report_failure(doc, e)
		return None


def report_failure(deal, error: Exception) -> None:
	reason = strip_html(str(error)) or error.__class__.__name__
	message = _("The contract order of won deal {0} could not be made: {1}").format(deal.name, reason)
	deal.add_comment("Comment", message)
	owner = deal.opportunity_owner or deal.owner
	if owner:
		notify.tell(owner, "Opportunity", deal.name, message, email=False, include_current_user=True)
	frappe.log_error(title=_("Contract order of a won deal"), message=frappe.get_traceback() or reason)


@whitelist(methods=["POST"])
def retry_contract_order(deal: str) -> None:
	"""The deal form's "Make Contract Order" (a won deal without one): the same job, now."""
	doc = frappe.get_doc("Opportunity", deal)
	doc.check_permission("write")
	frappe.has_permission("Contract Order", "create", throw=True)
	schedule_contract_order(doc)
