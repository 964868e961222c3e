"""doc_events of ERPNext's Campaign: its channel, period and budget (korus_crm.setup.campaigns), and
the results its form shows (the figures of the Campaign ROI report, read the same way)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, getdate

from korus_crm.exceptions import InactiveRecordError
from korus_crm.rules import campaigns as rules
from korus_crm.setup.campaigns import BUDGET_FIELD, CHANNEL_FIELD, END_FIELD, START_FIELD


def onload(doc, method=None) -> None:
	"""The form's Results panel (korus_crm/public/js/campaign.js): the campaign's figures over its
	whole life, as the Campaign ROI report reads them for this user."""
	if doc.is_new():
		return
	from korus_crm.korus_crm.report.campaign_roi.campaign_roi import campaign_results

	doc.set_onload("korus_results", campaign_results(doc.name))


def validate(doc, method=None) -> None:
	validate_period(doc)
	validate_budget(doc)
	validate_channel_active(doc)


def validate_period(doc) -> None:
	start = getdate(doc.get(START_FIELD)) if doc.get(START_FIELD) else None
	end = getdate(doc.get(END_FIELD)) if doc.get(END_FIELD) else None
	if not rules.period_is_valid(start, end):
		frappe.throw(
			_("The campaign's end date {0} is before its start date {1}.").format(
				frappe.bold(frappe.format(end, "Date")), frappe.bold(frappe.format(start, "Date"))
			),
			frappe.ValidationError,
			title=_("Invalid period"),
		)


def validate_budget(doc) -> None:
	# Frappe refuses negative values of the field (non_negative); this covers writes that skip it
	budget = doc.get(BUDGET_FIELD)
	if not rules.budget_is_valid(None if budget in (None, "") else flt(budget)):
		frappe.throw(_("A campaign's budget cannot be negative."), frappe.ValidationError)


def validate_channel_active(doc) -> None:
	"""An inactive Lead Source is not chosen as a new channel (as for leads)."""
	channel = doc.get(CHANNEL_FIELD)
	if not channel or not (doc.is_new() or doc.has_value_changed(CHANNEL_FIELD)):
		return
	if frappe.get_meta("Lead Source").has_field("is_active") and not frappe.db.get_value(
		"Lead Source", channel, "is_active"
	):
		frappe.throw(
			_("Lead Source {0} is inactive and cannot be chosen as a campaign's channel.").format(
				frappe.bold(channel)
			),
			InactiveRecordError,
		)
