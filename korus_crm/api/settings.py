"""Korus CRM Settings: export the CRM configuration to JSON, import it, reset it to the defaults
(seed 002 "CRM Settings"). Lead statuses, pipelines and stages travel with the export."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, now

from korus_crm.boundary import whitelist
from korus_crm.rules import settings_io
from korus_crm.rules.lead_status import DEFAULT_STATUSES, status_record
from korus_crm.rules.pipelines import DEFAULT_PIPELINE, stage_table_row

STATUS_FIELDS = (
	"status_name",
	"color",
	"is_default",
	"is_final",
	"display_order",
	"erpnext_status",
	"description",
)
STAGE_FIELDS = ("stage_name", "color", "probability", "is_default", "is_won", "is_lost", "idle_days")


def check_manager() -> None:
	frappe.only_for(("System Manager", "Korus CRM Manager"))


@whitelist()
def export_settings() -> dict:
	"""The CRM configuration as a JSON-ready document."""
	check_manager()
	statuses = frappe.get_all("Lead Status", fields=list(STATUS_FIELDS), order_by="display_order asc")
	pipelines = []
	for p in frappe.get_all(
		"Deal Pipeline",
		fields=["name", "description", "is_active", "is_default", "display_order"],
		order_by="display_order asc",
	):
		doc = frappe.get_doc("Deal Pipeline", p.name)
		pipelines.append(
			{
				"pipeline_name": p.name,
				"description": p.description,
				"is_active": p.is_active,
				"is_default": p.is_default,
				"display_order": p.display_order,
				"stages": [{f: row.get(f) for f in STAGE_FIELDS} for row in doc.stages],
			}
		)
	return {
		"format": settings_io.FORMAT,
		"version": settings_io.VERSION,
		"exported_at": now(),
		"site": frappe.local.site,
		"lead_statuses": statuses,
		"pipelines": pipelines,
	}


@whitelist(methods=["POST"])
def import_settings(data: dict) -> dict:
	"""Create or update the statuses and pipelines of an export (matched by name). Nothing is
	deleted; a record that breaks a rule stops the import and nothing of it is kept."""
	check_manager()
	try:
		doc = settings_io.check_export(data)
	except settings_io.SettingsFormatError as e:
		frappe.throw(_("Not a valid Korus CRM settings file: {0}").format(str(e)), frappe.ValidationError)
	frappe.db.savepoint("korus_import_settings")
	try:
		statuses = [
			upsert_status(s) for s in sorted(doc["lead_statuses"], key=lambda s: -cint(s.get("is_default")))
		]
		pipelines = [
			upsert_pipeline(p) for p in sorted(doc["pipelines"], key=lambda p: -cint(p.get("is_default")))
		]
	except Exception:
		frappe.db.rollback(save_point="korus_import_settings")
		raise
	return {"lead_statuses": statuses, "pipelines": pipelines}


def upsert_status(values: dict) -> str:
	name = values["status_name"]
	doc = (
		frappe.get_doc("Lead Status", name)
		if frappe.db.exists("Lead Status", name)
		else frappe.new_doc("Lead Status")
	)
	doc.update({f: values.get(f) for f in STATUS_FIELDS if f in values})
	doc.save()
	return doc.name


def upsert_pipeline(values: dict) -> str:
	name = values["pipeline_name"]
	doc = (
		frappe.get_doc("Deal Pipeline", name)
		if frappe.db.exists("Deal Pipeline", name)
		else frappe.new_doc("Deal Pipeline")
	)
	doc.update(
		{
			f: values.get(f)
			for f in ("pipeline_name", "description", "is_active", "is_default", "display_order")
			if f in values
		}
	)
	imported = values.get("stages", [])
	order = [s["stage_name"] for s in imported]
	existing = {row.stage_name: row for row in doc.stages}
	for stage in imported:
		row = existing.get(stage["stage_name"]) or doc.append("stages", {})
		row.update({f: stage.get(f) for f in STAGE_FIELDS})
	# stages of the site missing from the file are kept, after the imported ones, without the
	# default/won/lost flags the file gives to its own stages
	for flag in ("is_default", "is_won", "is_lost"):
		if any(cint(s.get(flag)) for s in imported):
			for row in doc.stages:
				if row.stage_name not in order:
					row.set(flag, 0)
	doc.stages.sort(
		key=lambda r: order.index(r.stage_name) if r.stage_name in order else len(order) + (r.idx or 0)
	)
	for idx, row in enumerate(doc.stages, start=1):
		row.idx = idx
	doc.save()
	return doc.name


@whitelist(methods=["POST"])
def reset_settings() -> dict:
	"""Back to Korus's defaults: the default statuses and pipeline are restored (created or reset);
	other statuses and pipelines are kept, and none is the default any more."""
	check_manager()
	return import_settings(
		{
			"format": settings_io.FORMAT,
			"version": settings_io.VERSION,
			"lead_statuses": [status_record(s) for s in DEFAULT_STATUSES],
			"pipelines": [
				{
					"pipeline_name": DEFAULT_PIPELINE[0],
					"is_active": 1,
					"is_default": 1,
					"display_order": 1,
					"stages": [stage_table_row(s) for s in DEFAULT_PIPELINE[1]],
				}
			],
		}
	)
