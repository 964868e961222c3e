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
