"""Install, migrate and uninstall hooks. Every step is idempotent: migrate re-runs it safely."""

import importlib

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count

from korus_crm.boards.counts import recount_all
from korus_crm.boards.lead_status_config import clear_config_cache, load_rows
from korus_crm.boards.pipeline_config import clear_pipeline_cache, load_pipelines
from korus_crm.customers.pool import ensure_default_pool
from korus_crm.deals.mirrors import ensure_sales_stage
from korus_crm.rules.approvals import WORKFLOW_SPECS
from korus_crm.rules.lead_status import DEFAULT_STATUSES, status_record
from korus_crm.rules.leads import normalize_email
from korus_crm.rules.pipelines import DEFAULT_PIPELINE, stage_table_row
from korus_crm.rules.scope import BRANCH_FIELD, DEPARTMENT_FIELD, SCOPED
from korus_crm.setup.campaigns import ensure_campaign_setup
from korus_crm.setup.custom_fields import (
	FEATURE_FIELDS,
	delete_custom_fields,
	delete_obsolete_fields,
	make_custom_fields,
)
from korus_crm.setup.organisation import ensure_branch_dimension
from korus_crm.setup.property_setters import delete_property_setters, make_property_setters
from korus_crm.setup.roles import (
	create_default_scopes,
	create_module_profiles,
	create_roles,
	delete_roles,
	grant_erpnext_permissions,
)

# (doctype, columns, index name): indexes the boards' pages of cards need (PLATFORM: ERPNext's
# tables index few of the columns these boards filter and sort on).
# The data scope columns of every scoped doctype, each with the lists' sort column.
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	*(index for module in FEATURE_FIELDS for index in importlib.import_module(module).INDEXES),
	("Lead", ("lead_status", "modified"), "korus_lead_status_modified"),
	("Opportunity", ("deal_stage", "modified"), "korus_deal_stage_modified"),
	*(
		(doctype, (column, "modified"), f"korus_scope_{column}")
		for doctype, scoped in SCOPED.items()
		for column in (BRANCH_FIELD, DEPARTMENT_FIELD, scoped.owner_field)
	),
)


def after_install() -> None:
	ensure_korus_setup()
	seed_lost_reasons()


def after_migrate() -> None:
	ensure_korus_setup()


def ensure_korus_setup() -> None:
	create_roles()
	grant_erpnext_permissions()
	create_default_scopes()
	create_module_profiles()
	set_settings_defaults()
	make_custom_fields()
	delete_obsolete_fields()
	ensure_branch_dimension()
	ensure_campaign_setup()
	make_property_setters()
	make_indexes()
	create_default_lead_statuses()
	clear_config_cache()
	backfill_existing_leads()
	create_default_pipeline()
	clear_pipeline_cache()
	backfill_existing_deals()
	recount_all()
	backfill_lead_conversions()
	backfill_contact_counts()
	ensure_default_pool()


def set_settings_defaults() -> None:
	"""Korus CRM Settings fields added after a site was installed get their defaults (Frappe applies
	a Single's defaults only when it is first made)."""
	singles = DocType("Singles")
	stored = set(
		frappe.qb.from_(singles)
		.select(singles.field)
		.where(singles.doctype == "Korus CRM Settings")
		.run(pluck=True)
	)
	for df in frappe.get_meta("Korus CRM Settings").fields:
		if df.default is not None and df.fieldname not in stored:
			frappe.db.set_single_value("Korus CRM Settings", df.fieldname, df.default)


def make_indexes() -> None:
	for doctype, columns, index_name in INDEXES:
		frappe.db.add_index(doctype, list(columns), index_name)


def create_default_lead_statuses() -> list[str]:
	"""Seed the default statuses on a site that has none (a user's own set is never touched)."""
	if frappe.db.count("Lead Status"):
		return []
	for row in DEFAULT_STATUSES:
		frappe.get_doc({"doctype": "Lead Status", **status_record(row)}).insert(ignore_permissions=True)
	return [row.name for row in DEFAULT_STATUSES]


def backfill_existing_leads() -> None:
	"""Leads made before Korus was installed: a status (mapped from ERPNext's, else the default) and
	the normalized email the uniqueness check looks up. Only rows still missing them are touched."""
	rows = load_rows()
	default = next((r.name for r in rows if r.is_default), None)
	lead = DocType("Lead")
	for row in rows:
		if row.erpnext_status:
			(
				frappe.qb.update(lead)
				.set(lead.lead_status, row.name)
				.where(lead.lead_status.isnull() & (lead.status == row.erpnext_status))
				.run()
			)
	if default:
		frappe.qb.update(lead).set(lead.lead_status, default).where(lead.lead_status.isnull()).run()
	# the normalized email is computed by the one rule that defines it (rules.leads.normalize_email)
	missing = frappe.get_all(
		"Lead",
		filters={"email_normalized": ("is", "not set"), "email_id": ("is", "set")},
		fields=["name", "email_id"],
	)
	for row in missing:
		frappe.db.set_value(
			"Lead", row.name, "email_normalized", normalize_email(row.email_id), update_modified=False
		)


def create_default_pipeline() -> str | None:
	"""A default pipeline with sensible stages, on a site that has no pipeline."""
	if frappe.db.count("Deal Pipeline"):
		return None
	name, stages = DEFAULT_PIPELINE
	pipeline = frappe.get_doc(
		{
			"doctype": "Deal Pipeline",
			"pipeline_name": name,
			"is_default": 1,
			"is_active": 1,
			"display_order": 1,
			"stages": [stage_table_row(s) for s in stages],
		}
	).insert(ignore_permissions=True)
	return pipeline.name


def backfill_existing_deals() -> None:
	"""Opportunities made before Korus was installed (or without a pipeline) land in the default
	pipeline: Lost ones in its lost stage, Converted ones in its won stage, the others in its
	default stage; so an ERPNext site's open opportunities are on the board at once. Every deal's
	ERPNext Sales Stage is its stage's name."""
	pipelines = load_pipelines()
	opportunity = DocType("Opportunity")
	pipeline = next((p for p in pipelines if p.is_default), None)
	if pipeline:
		targets = [
			(pipeline.lost_stage, opportunity.status == "Lost"),
			(pipeline.won_stage, opportunity.status == "Converted"),
			(pipeline.default_stage, None),
		]
		for stage, condition in targets:
			if not stage:
				continue
			where = opportunity.deal_pipeline.isnull() | opportunity.deal_stage.isnull()
			if condition is not None:
				where = where & condition
			(
				frappe.qb.update(opportunity)
				.set(opportunity.deal_pipeline, pipeline.name)
				.set(opportunity.deal_stage, stage.docname)
				.where(where)
				.run()
			)
	for p in pipelines:
		for stage in p.stages:
			ensure_sales_stage(stage.name)
			(
				frappe.qb.update(opportunity)
				.set(opportunity.sales_stage, stage.name)
				.where(
					(opportunity.deal_stage == stage.docname)
					& (opportunity.sales_stage.isnull() | (opportunity.sales_stage != stage.name))
				)
				.run()
			)


# A deal moved to a lost stage needs a reason (ERPNext's Opportunity Lost Reason): a new site starts
# with these, which users may rename or delete (they are not made again).
LOST_REASONS: tuple[str, ...] = (
	"Price too high",
	"Lost to a competitor",
	"No budget",
	"No decision",
	"Timing not right",
	"Needs not met",
)


def seed_lost_reasons() -> list[str]:
	"""Once, at install (and by a patch on sites installed before): on a site without any."""
	if frappe.db.count("Opportunity Lost Reason"):
		return []
	for reason in LOST_REASONS:
		frappe.get_doc({"doctype": "Opportunity Lost Reason", "lost_reason": reason}).insert(
			ignore_permissions=True
		)
	return list(LOST_REASONS)


def backfill_lead_conversions() -> None:
	"""Customers made from leads before Korus was installed: their leads are converted."""
	from korus_crm.leads.conversion import record_conversion

	customer, conversion = DocType("Customer"), DocType("Lead Conversion")
	rows = (
		frappe.qb.from_(customer)
		.left_join(conversion)
		.on(conversion.lead == customer.lead_name)
		.select(customer.lead_name, customer.name)
		.where(customer.lead_name.isnotnull() & (customer.lead_name != "") & conversion.name.isnull())
		.orderby(customer.creation)
		.run()
	)
	for lead, name in rows:
		if frappe.db.exists("Lead", lead) and not frappe.db.exists("Lead Conversion", lead):
			record_conversion(lead, name)


def backfill_contact_counts() -> None:
	"""Each customer's number of contacts (maintained from then on by the Contact hooks)."""
	from korus_crm.events.contact import refresh_contact_counts

	link, customer = DocType("Dynamic Link"), DocType("Customer")
	counted = dict(
		frappe.qb.from_(link)
		.select(link.link_name, Count("*"))
		.where((link.parenttype == "Contact") & (link.link_doctype == "Customer"))
		.groupby(link.link_name)
		.run()
	)
	stored = dict(frappe.qb.from_(customer).select(customer.name, customer.contact_count).run())
	stale = [name for name, count in stored.items() if (count or 0) != counted.get(name, 0)]
	for start in range(0, len(stale), 500):
		refresh_contact_counts(stale[start : start + 500])


def before_uninstall() -> None:
	"""Remove what Korus added to ERPNext's doctypes, so that ERPNext keeps working without it.
	Korus's own doctypes, pages, workspace and reports are removed by Frappe with the module; the
	secrets of its API keys and financial interface are not (Frappe keeps them in __Auth)."""
	from korus_crm import api_keys, financial

	api_keys.remove_stored_secrets()
	financial.remove_stored_secrets()
	for workflow in (spec.workflow for spec in WORKFLOW_SPECS.values()):
		if frappe.db.exists("Workflow", workflow):
			frappe.delete_doc("Workflow", workflow, ignore_permissions=True, force=True)
	delete_property_setters()
	delete_custom_fields()
	delete_roles()
