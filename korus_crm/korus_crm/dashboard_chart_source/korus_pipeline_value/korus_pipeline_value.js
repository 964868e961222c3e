// The chart source "Korus Pipeline Value" of the Korus CRM dashboard (korus_crm.analytics.dashboard).
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Korus Pipeline Value"] = {
	method: "korus_crm.analytics.dashboard.pipeline_value_chart",
	filters: [
		{
			fieldname: "pipeline",
			label: __("Deal Pipeline"),
			fieldtype: "Link",
			options: "Deal Pipeline",
		},
	],
};
