from korus_crm.rules.approvals import WORKFLOW_SPECS as _SPECS
from korus_crm.rules.scope import SCOPED as _SCOPED

app_name = "korus_crm"
app_title = "Korus CRM"
app_publisher = "Korus CRM developers"
app_description = "A complete, configurable CRM on ERPNext v15"
app_email = "developers@korus.invalid"
app_license = "mit"

# "org/repo", as hrms writes it: Frappe resolves a bare "erpnext" by asking api.github.com for its
# organisation, which fails offline; "frappe/erpnext" names the same app without a network call.
required_apps = ["frappe/erpnext"]

export_python_type_annotations = True

_WORKFLOWS = sorted(spec.workflow for spec in _SPECS.values())
_WORKFLOW_STATES = sorted({state for spec in _SPECS.values() for state, _docstatus in spec.states})
_WORKFLOW_ACTIONS = sorted({t.action for spec in _SPECS.values() for t in spec.transitions})

add_to_apps_screen = [
	{
		"name": "korus_crm",
		"logo": "/assets/korus_crm/images/korus-logo.svg",
		"title": "Korus CRM",
		"route": "/app/korus-crm",
		"has_permission": "korus_crm.setup.permissions.has_app_permission",
	}
]

after_install = "korus_crm.setup.install.after_install"
after_migrate = "korus_crm.setup.install.after_migrate"
before_uninstall = "korus_crm.setup.install.before_uninstall"

# What a caller hands to Korus is checked once, where it comes in (korus_crm.boundary): REST bodies
# of Korus's doctypes and of Korus's fields on ERPNext's doctypes here; whitelisted methods by their
# decorator; Korus's doctypes in their controllers' update().
# Korus API keys are checked first: a request with a revoked or expired key is refused (401).
before_request = ["korus_crm.api_keys.before_request", "korus_crm.boundary.before_request"]


def _added(hook: str | list[str], *values: str) -> list[str]:
	"""A hook's value (one dotted path or a list of them) with `values` appended."""
	return [*([hook] if isinstance(hook, str) else hook), *values]


def _add(hooks: dict, key: str, *values: str) -> None:
	"""Append `values` to the hook `hooks[key]` (sections of features extend what came before)."""
	hooks[key] = _added(hooks.get(key) or [], *values)


_CHECK_KORUS_FIELDS = "korus_crm.boundary.check_fields"

# Data scope (korus_crm.rules.scope): every doctype of SCOPED is read through the user's scope;
# records Korus derives from a deal or lead are read as that deal or lead may be read.
permission_query_conditions = {
	**{doctype: "korus_crm.scope.query_conditions" for doctype in _SCOPED},
	"Deal Stage History": "korus_crm.permissions.deal_stage_history_conditions",
	"Lead Conversion": "korus_crm.permissions.lead_conversion_conditions",
	"Korus API Key": "korus_crm.api_keys.query_conditions",
}
has_permission = {
	**{doctype: "korus_crm.scope.has_permission" for doctype in _SCOPED},
	"Deal Stage History": "korus_crm.permissions.has_permission",
	"Lead Conversion": "korus_crm.permissions.has_permission",
	"Korus API Key": "korus_crm.api_keys.has_permission",
}

# frappe.client.get_count counts past every permission: the doctypes whose rows Korus permits (its
# permission query hooks) are counted through them
override_whitelisted_methods = {"frappe.client.get_count": "korus_crm.scope.get_count"}

# ERPNext and Frappe doctypes are extended with doc_events, never override_doctype_class.
doc_events = {
	"Lead": {
		"onload": "korus_crm.events.lead.onload",
		"before_validate": [_CHECK_KORUS_FIELDS, "korus_crm.events.lead.before_validate"],
		"validate": "korus_crm.events.lead.validate",
		"after_insert": "korus_crm.events.lead.after_insert",
		"on_update": "korus_crm.events.lead.on_update",
		"on_trash": "korus_crm.events.lead.on_trash",
		"after_delete": "korus_crm.events.lead.after_delete",
	},
	"Customer": {
		"before_validate": _CHECK_KORUS_FIELDS,
		"validate": "korus_crm.events.customer.validate",
		"after_insert": "korus_crm.events.customer.after_insert",
		"on_update": "korus_crm.events.customer.on_update",
		"on_trash": "korus_crm.events.customer.on_trash",
		"after_delete": "korus_crm.events.customer.after_delete",
	},
	"Contact": {
		"after_insert": "korus_crm.events.contact.after_insert",
		"on_update": "korus_crm.events.contact.on_update",
		"on_trash": "korus_crm.events.contact.on_trash",
		"after_delete": "korus_crm.events.contact.after_delete",
	},
	"Opportunity": {
		"before_validate": [_CHECK_KORUS_FIELDS, "korus_crm.events.opportunity.before_validate"],
		"validate": "korus_crm.events.opportunity.validate",
		"after_insert": "korus_crm.events.opportunity.after_insert",
		"on_update": "korus_crm.events.opportunity.on_update",
		"on_change": "korus_crm.events.opportunity.on_change",
		"on_trash": "korus_crm.events.opportunity.on_trash",
		"after_delete": "korus_crm.events.opportunity.after_delete",
	},
	"Lead Source": {"before_validate": _CHECK_KORUS_FIELDS},
	"Campaign": {
		"onload": "korus_crm.events.campaign.onload",
		"before_validate": _CHECK_KORUS_FIELDS,
		"validate": "korus_crm.events.campaign.validate",
	},
	"Pricing Rule": {"before_validate": _CHECK_KORUS_FIELDS},
	"Delivery Note": {
		"on_submit": "korus_crm.events.delivery_note.on_submit",
	},
	"Customer Group": {
		"onload": "korus_crm.events.customer_group.onload",
		"before_validate": _CHECK_KORUS_FIELDS,
		"validate": "korus_crm.events.customer_group.validate",
		"on_update": "korus_crm.events.customer_group.on_update",
		"on_trash": "korus_crm.events.customer_group.on_trash",
	},
}

# a scoped record takes its owner's department and branch (after the checks of its own hooks)
for _doctype in _SCOPED:
	_events = doc_events.setdefault(_doctype, {})
	_add(_events, "before_validate", "korus_crm.scope.stamp")
doc_events["Employee"] = {
	"on_update": ["korus_crm.scope.employee_moved", "korus_crm.people.forget"],
	"after_delete": "korus_crm.people.forget",
}
doc_events["Department"] = {
	"on_update": ["korus_crm.scope.organisation_changed", "korus_crm.people.forget"],
	"after_delete": ["korus_crm.scope.organisation_changed", "korus_crm.people.forget"],
}
doc_events["Branch"] = {"on_update": "korus_crm.people.forget"}

app_include_js = ["/assets/korus_crm/js/korus_board.js", "/assets/korus_crm/js/korus_deals.js"]
app_include_css = ["/assets/korus_crm/css/korus_board.css"]

doctype_js = {
	"Lead": "public/js/lead.js",
	"Opportunity": "public/js/opportunity.js",
	"Customer": "public/js/customer.js",
	"Customer Group": "public/js/customer_group.js",
	"Campaign": "public/js/campaign.js",
}
doctype_list_js = {
	"Lead": "public/js/lead_list.js",
	"Customer": "public/js/customer_list.js",
	"Customer Group": "public/js/customer_group_list.js",
}

override_doctype_dashboards = {
	"Customer": "korus_crm.events.customer_dashboard.get_dashboard_data",
	"Opportunity": "korus_crm.events.opportunity_dashboard.get_dashboard_data",
}

boot_session = "korus_crm.setup.boot.boot_session"

scheduler_events = {
	"daily": [
		# repair any drift of the maintained board counts (e.g. rows changed by raw SQL)
		"korus_crm.boards.counts.recount_all",
		# sent offers past their validity date become Expired
		"korus_crm.api.offers.expire_offers",
		# enabled API keys whose expiry date has come are switched off (their requests are refused already)
		"korus_crm.api_keys.disable_expired_keys",
	],
}

# Workflows of the approvals (korus_crm.rules.approvals specifies them; a unit test checks the
# shipped fixture against it; the controllers guard the same rules when a workflow is switched off)
fixtures = [
	{"dt": "Workflow State", "filters": [["name", "in", _WORKFLOW_STATES]]},
	{"dt": "Workflow Action Master", "filters": [["name", "in", _WORKFLOW_ACTIONS]]},
	{"dt": "Workflow", "filters": [["name", "in", _WORKFLOWS]]},
]

# --- approvals (issue 10) ---

# --- tasks (issue 10) ---
# Korus Task (korus_crm.tasks, docs/tasks.md): read by its assignees, its assigner and their
# supervisors, and by managers; not in SCOPED (see docs/tasks.md).
from korus_crm.rules.tasks import REFERENCE_DOCTYPES as _TASK_REFERENCES

permission_query_conditions["Korus Task"] = "korus_crm.tasks.access.query_conditions"
has_permission["Korus Task"] = "korus_crm.tasks.access.has_permission"
# reminders before the due time and when overdue, each sent once; reads only the due rows
scheduler_events.setdefault("cron", {}).setdefault("*/5 * * * *", []).append(
	"korus_crm.tasks.reminders.send_due_reminders"
)
# a group's open tasks take its new members
_user_group_events = doc_events.setdefault("User Group", {})
_add(_user_group_events, "on_update", "korus_crm.tasks.assignees.user_group_changed")
# "Tasks" buttons (new task, the record's tasks) on the forms of the records a task can be about
for _doctype in _TASK_REFERENCES:
	_add(doctype_js, _doctype, "public/js/korus_task_links.js")

# --- announcements and work reports (issue 10) ---
# Announcements are read by their audience (branches, departments), author and managers; work reports
# by their author, recipients and the author's supervisors up the reports_to chain
# (korus_crm.office.announcements, korus_crm.office.work_reports).
permission_query_conditions["Korus Announcement"] = "korus_crm.office.announcements.query_conditions"
permission_query_conditions["Korus Announcement Read"] = (
	"korus_crm.office.announcements.read_query_conditions"
)
permission_query_conditions["Work Report"] = "korus_crm.office.work_reports.query_conditions"
has_permission["Korus Announcement"] = "korus_crm.office.announcements.has_permission"
has_permission["Korus Announcement Read"] = "korus_crm.office.announcements.has_read_permission"
has_permission["Work Report"] = "korus_crm.office.work_reports.has_permission"
# scheduled announcements are published when their date comes (reads only the due rows)
scheduler_events.setdefault("cron", {}).setdefault("* * * * *", []).append(
	"korus_crm.office.announcements.publish_due"
)
# the workspace's announcements block (a Custom HTML Block, which Frappe does not sync from files)
after_install = _added(after_install, "korus_crm.office.announcements.sync_workspace_block")
after_migrate = _added(after_migrate, "korus_crm.office.announcements.sync_workspace_block")
before_uninstall = _added(before_uninstall, "korus_crm.office.announcements.remove_workspace_block")

# --- knowledge base and documents (issue 10) ---

# Articles are read by their audience (roles, departments and those under them), documents as the
# record they are linked to (unlinked: author, shared roles, managers): korus_crm.office.
permission_query_conditions["Knowledge Article"] = "korus_crm.office.knowledge.query_conditions"
has_permission["Knowledge Article"] = "korus_crm.office.knowledge.has_permission"
permission_query_conditions["Korus Document"] = "korus_crm.office.documents.query_conditions"
has_permission["Korus Document"] = "korus_crm.office.documents.has_permission"
# their files and tags follow them (Frappe's own File hooks still apply; Tag Link has none)
permission_query_conditions["File"] = "korus_crm.office.documents.file_conditions"
has_permission["File"] = "korus_crm.office.documents.file_has_permission"
permission_query_conditions["Tag Link"] = "korus_crm.office.documents.tag_link_conditions"
has_permission["Tag Link"] = "korus_crm.office.documents.tag_link_has_permission"
# files attached to documents, articles and CRM records go to folders under Home/Korus; those of
# documents and articles are private
_file_events = doc_events.setdefault("File", {})
_add(_file_events, "before_validate", "korus_crm.office.documents.file_before_validate")
# the "Documents" button on the forms of leads, deals, customers and contract orders
app_include_js.append("/assets/korus_crm/js/korus_documents.js")


# --- customer pool and profile (issue 11) ---
# korus_crm.customers (docs/customers.md): a new customer takes its lead's profile and its pool;
# every change of owner keeps the pool columns, the return date and the Owner Log (before the scope
# stamp, which reads the owner they set)
_customer_events = doc_events.setdefault("Customer", {})
_before = _added(_customer_events.get("before_validate") or [])
_stamp_at = _before.index("korus_crm.scope.stamp") if "korus_crm.scope.stamp" in _before else len(_before)
_before[_stamp_at:_stamp_at] = [
	"korus_crm.customers.profile.before_validate",
	"korus_crm.customers.pool.before_validate",
]
_customer_events["before_validate"] = _before
_add(_customer_events, "on_update", "korus_crm.customers.pool.on_update")
_add(_customer_events, "after_delete", "korus_crm.customers.pool.after_delete")
# a customer's owner log does not keep it from being deleted: it goes with it (after_delete above)
ignore_links_on_delete = [*globals().get("ignore_links_on_delete", []), "Customer Owner Log"]
# a customer's first deal makes it Developing; its approved contract orders make it Won
_deal_events = doc_events.setdefault("Opportunity", {})
_add(_deal_events, "after_insert", "korus_crm.customers.profile.deal_created")
_order_events = doc_events.setdefault("Contract Order", {})
_add(_order_events, "on_submit", "korus_crm.customers.profile.order_approved")
# owners told of customers about to return; due customers returned; won customers without orders lapse
scheduler_events["daily"] += [
	"korus_crm.customers.pool.notify_returning",
	"korus_crm.customers.pool.return_due_customers",
	"korus_crm.customers.profile.lapse_customers",
]

# --- follow-ups, scheduled contacts, followed customers (issue 11) ---
# Follow-ups and scheduled contacts are read as their customer is (plus their own people):
# korus_crm.customers.follow_ups, docs/follow-ups.md.
permission_query_conditions["Customer Follow-up"] = "korus_crm.customers.follow_ups.follow_up_conditions"
permission_query_conditions["Scheduled Contact"] = (
	"korus_crm.customers.follow_ups.scheduled_contact_conditions"
)
has_permission["Customer Follow-up"] = "korus_crm.customers.follow_ups.has_permission"
has_permission["Scheduled Contact"] = "korus_crm.customers.follow_ups.has_permission"
# next-contact and scheduled-contact reminders, each sent once; reads only the due rows
scheduler_events.setdefault("cron", {}).setdefault("*/5 * * * *", []).append(
	"korus_crm.customers.contact_reminders.send_due_reminders"
)
# followers of a customer are told of its changes
_customer_events = doc_events.setdefault("Customer", {})
_add(_customer_events, "on_update", "korus_crm.customers.following.customer_changed")
# the Customer list's "Customers I Follow" filter
_add(doctype_list_js, "Customer", "public/js/customer_following_list.js")

# --- recycle bin and duplicates (issue 11) ---
# Recycle bin (korus_crm.customers.recycle_bin, docs/recycle-bin-and-duplicates.md): binned customers
# and deals are hidden by a second permission query condition (Frappe ANDs every app's and hook's
# conditions with the data scope's) and open only for managers (has_permission: the first hook
# that answers wins, in reverse order, so the bin's runs before the scope's and only ever denies).
for _doctype in ("Customer", "Opportunity"):
	for _hook, _method in (
		(permission_query_conditions, "korus_crm.customers.recycle_bin.query_conditions"),
		(has_permission, "korus_crm.customers.recycle_bin.has_permission"),
	):
		_add(_hook, _doctype, _method)
# the desk's Delete (form and list) moves customers and deals to the bin; other doctypes as Frappe
override_whitelisted_methods["frappe.client.delete"] = "korus_crm.customers.recycle_bin.delete"
override_whitelisted_methods["frappe.desk.reportview.delete_items"] = (
	"korus_crm.customers.recycle_bin.delete_items"
)
# emptied daily of what has been there longer than Korus CRM Settings' recycle_bin_days (due rows only)
scheduler_events.setdefault("daily", []).append("korus_crm.customers.recycle_bin.purge_due")
# duplicate keys of leads and customers (korus_crm.customers.duplicates), kept on every save
for _doctype in ("Lead", "Customer"):
	_events = doc_events.setdefault(_doctype, {})
	_add(_events, "before_validate", "korus_crm.customers.duplicates.set_keys")
	# the "possible duplicates" check before saving, and Merge for managers
	_add(doctype_js, _doctype, "public/js/korus_duplicates.js")
# the keys of rows from before (or written by raw SQL) are filled by a background job
after_migrate = _added(after_migrate, "korus_crm.customers.duplicates.queue_backfill")
# the form's Delete says "Move to Recycle Bin"
for _doctype in ("Customer", "Opportunity"):
	_add(doctype_js, _doctype, "public/js/korus_recycle_bin.js")

# --- calendar, labels and bulk actions (issue 11) ---
# The calendar (korus_crm.calendar, /app/korus-calendar): contacts' and customers' yearly dates keep
# their indexed month-day; bulk actions on deals (korus_crm.deals.bulk) from the list and the board.
for _doctype in ("Contact", "Customer"):
	_events = doc_events.setdefault(_doctype, {})
	_add(_events, "before_validate", "korus_crm.calendar.dates.set_month_days")
_add(doctype_list_js, "Opportunity", "public/js/opportunity_list.js")
app_include_js.append("/assets/korus_crm/js/korus_bulk.js")

# --- customer page (issue 11) ---
# The customer form's detail page and quick actions (public/js/customer.js over
# korus_crm.customers.overview) and the Customer list's status and pool indicators, "Customer Pool"
# view and Claim action (public/js/customer_list.js) load as Customer's doctype_js and doctype_list_js
# above; nothing else to register.

# --- rotting deals (issue 12) ---
# korus_crm.deals.rotting (docs/rotting-deals.md): a deal's last activity and the day it rots on
# (its stage's idle days) are kept by a stage move (korus_crm.deals.stages), a follow-up with the
# deal, a price offer for it and a comment on it; each rotting deal's owner is told once, daily.
_follow_up_events = doc_events.setdefault("Customer Follow-up", {})
_add(_follow_up_events, "after_insert", "korus_crm.deals.rotting.follow_up_made")
_offer_events = doc_events.setdefault("Price Offer", {})
_add(_offer_events, "after_insert", "korus_crm.deals.rotting.offer_made")
_add(_offer_events, "on_update_after_submit", "korus_crm.deals.rotting.offer_changed")
_add(doc_events.setdefault("Comment", {}), "after_insert", "korus_crm.deals.rotting.comment_added")
scheduler_events.setdefault("daily", []).append("korus_crm.deals.rotting.notify_rotting")
# deals from before the feature take their last stage move (else their creation) as last activity
after_migrate = _added(after_migrate, "korus_crm.deals.rotting.backfill_last_activity")

# --- dashboard and maintained aggregates (issue 12) ---
# The CRM dashboard (korus_crm.analytics.dashboard, docs/analytics.md) reads maintained counters
# (korus_crm.boards.counts): leads and deals are kept by their boards' hooks; customers and tasks here.
for _doctype in ("Customer", "Korus Task"):
	_events = doc_events.setdefault(_doctype, {})
	_add(_events, "after_insert", "korus_crm.boards.counts.doc_inserted")
	_add(_events, "on_update", "korus_crm.boards.counts.doc_updated")
	_add(_events, "after_delete", "korus_crm.boards.counts.doc_deleted")
# renaming a record whose name the counters store rebuilds them (in the background)
for _doctype in ("Lead Source", "User", "Department", "Branch"):
	_add(doc_events.setdefault(_doctype, {}), "after_rename", "korus_crm.boards.counts.linked_renamed")
# the "Recent activity" block on the workspace
after_install = _added(after_install, "korus_crm.analytics.dashboard.sync_workspace_block")
after_migrate = _added(after_migrate, "korus_crm.analytics.dashboard.sync_workspace_block")
before_uninstall = _added(before_uninstall, "korus_crm.analytics.dashboard.remove_workspace_block")

# --- field service (issue 13) ---
# Service jobs, the job pool and the dispatch board (korus_crm.field_service, docs/field-service.md).
# Service Job is in SCOPED (korus_crm.rules.scope): its permission hooks and scope stamp come from the
# loops above. Its controller calls korus_crm.field_service.jobs; nothing else on ERPNext's doctypes
# but this: a technician's Employee changing login or name carries over to the technician and their
# jobs (who is told, who sees them).
_employee_events = doc_events.setdefault("Employee", {})
_add(_employee_events, "on_update", "korus_crm.field_service.jobs.employee_changed")

# --- first login (issue 14) ---
# The Korus setup checklist (Module Onboarding "Korus Setup", korus_crm.setup.onboarding,
# docs/first-login.md): a step ticks when the record that does it is saved, by any path.
from korus_crm.rules.onboarding import TICKING_DOCTYPES as _ONBOARDING_DOCTYPES

for _doctype in _ONBOARDING_DOCTYPES:
	_add(doc_events.setdefault(_doctype, {}), "on_update", "korus_crm.setup.onboarding.record_saved")
# "Send Test Email" on an outgoing Email Account (the checklist's last step)
_add(doctype_js, "Email Account", "public/js/email_account_test.js")
before_uninstall = _added(before_uninstall, "korus_crm.setup.onboarding.remove_records")

# --- vehicles (issue 14) ---
# ERPNext's Vehicle with Korus Mileage Logs (korus_crm.vehicles, docs/vehicles.md). Korus Mileage Log is
# in SCOPED (owner: the driver's login): its permission hooks and scope stamp come from the loops above.
# Its controller writes Vehicle.last_odometer on submit and cancel; Korus's field on Vehicle is checked.
_add(doc_events.setdefault("Vehicle", {}), "before_validate", _CHECK_KORUS_FIELDS)

# --- invoices (issue 14) ---
# ERPNext's Sales Invoice through Korus's print formats (korus_crm.invoices, docs/invoices.md): a
# correction invoice is ERPNext's return against an invoice and needs a reason (checked on validate);
# a pro forma invoice is a print of a Sales Order or Contract Order, numbered once through the Jinja
# method its print format calls. The Print Headings are made at install and on migrate.
_invoice_events = doc_events.setdefault("Sales Invoice", {})
_add(_invoice_events, "before_validate", _CHECK_KORUS_FIELDS)
_add(_invoice_events, "validate", "korus_crm.invoices.correction.validate")
_add(doc_events.setdefault("Sales Order", {}), "before_validate", _CHECK_KORUS_FIELDS)
jinja = globals().get("jinja") or {}
jinja["methods"] = [
	*(jinja.get("methods") or []),
	"korus_crm.invoices.correction.correction_invoice",
	"korus_crm.invoices.proforma.proforma_number",
	"korus_crm.invoices.proforma.proforma_heading",
]
for _doctype in ("Sales Order", "Contract Order"):
	_add(doctype_js, _doctype, "public/js/proforma.js")
after_install = _added(after_install, "korus_crm.invoices.headings.ensure_print_headings")
after_migrate = _added(after_migrate, "korus_crm.invoices.headings.ensure_print_headings")
before_uninstall = _added(before_uninstall, "korus_crm.invoices.headings.remove_print_headings")

# --- finance (issue 14) ---
# Costs and revenues (Korus Finance Entry: its controller books and cancels an ERPNext Journal Entry)
# and commission (ERPNext's Sales Team on Contract Order, Sales Order and Sales Invoice; the reports
# Costs and Revenues and Employee Commission): korus_crm.finance, docs/finance.md. Nothing is hooked
# on ERPNext's doctypes: the contract order's team reaches the Sales Order through
# korus_crm.selling.contract_orders.

# --- workers (issue 15) ---
# Korus's background jobs (korus_crm.jobs, docs/workers.md). The daily recount walks whole tables:
# it runs as "daily_long", which Frappe's scheduler queues on the long queue (timeout 1500 s), away
# from the default queue's quick jobs.
scheduler_events["daily"].remove("korus_crm.boards.counts.recount_all")
scheduler_events.setdefault("daily_long", []).append("korus_crm.boards.counts.recount_all")
