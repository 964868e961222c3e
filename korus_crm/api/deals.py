"""Deals API: moving a deal between stages (the Deal Board and scripts use it)."""

from __future__ import annotations

import frappe
from frappe import _

from korus_crm.boundary import whitelist
from korus_crm.exceptions import LostReasonRequiredError


@whitelist(methods=["POST"])
def move_deal(deal: str, stage: str, lost_reason: str | None = None) -> dict:
	"""Move `deal` (an Opportunity) to `stage` (a Deal Stage of its pipeline): the same rules as a
	save (won/lost close dates, lost reason, probability, history). A lost reason given here is
	recorded in ERPNext's lost reasons (Opportunity Lost Reason)."""
	doc = frappe.get_doc("Opportunity", deal)
	doc.check_permission("write")
	if lost_reason:
		if not frappe.db.exists("Opportunity Lost Reason", lost_reason):
			frappe.throw(
				_("{0} is not an Opportunity Lost Reason.").format(frappe.bold(lost_reason)),
				LostReasonRequiredError,
			)
		if lost_reason not in {row.lost_reason for row in doc.lost_reasons}:
			doc.append("lost_reasons", {"lost_reason": lost_reason})
	doc.deal_stage = stage
	doc.save()
	return {
		"name": doc.name,
		"deal_pipeline": doc.deal_pipeline,
		"deal_stage": doc.deal_stage,
		"status": doc.status,
		"closed_on": doc.closed_on,
		"probability": doc.probability,
	}
