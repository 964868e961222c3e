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
	_before = _events.get("before_validate") or []
	_events["before_validate"] = [
		*([_before] if isinstance(_before, str) else _before),
		"korus_crm.scope.stamp",
	]
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
_on_update = _user_group_events.get("on_update") or []
_user_group_events["on_update"] = [
	*([_on_update] if isinstance(_on_update, str) else _on_update),
	"korus_crm.tasks.assignees.user_group_changed",
]
# "Tasks" buttons (new task, the record's tasks) on the forms of the records a task can be about
for _doctype in _TASK_REFERENCES:
	_scripts = doctype_js.get(_doctype) or []
	doctype_js[_doctype] = [
		*([_scripts] if isinstance(_scripts, str) else _scripts),
		"public/js/korus_task_links.js",
	]

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
after_install = [*([after_install] if isinstance(after_install, str) else after_install),
	"korus_crm.office.announcements.sync_workspace_block"]  # fmt: skip
after_migrate = [*([after_migrate] if isinstance(after_migrate, str) else after_migrate),
	"korus_crm.office.announcements.sync_workspace_block"]  # fmt: skip
before_uninstall = [*([before_uninstall] if isinstance(before_uninstall, str) else before_uninstall),
	"korus_crm.office.announcements.remove_workspace_block"]  # fmt: skip

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
_file_before = _file_events.get("before_validate") or []
_file_events["before_validate"] = [
	*([_file_before] if isinstance(_file_before, str) else _file_before),
	"korus_crm.office.documents.file_before_validate",
]
# the "Documents" button on the forms of leads, deals, customers and contract orders
app_include_js.append("/assets/korus_crm/js/korus_documents.js")
