// The chart source "Korus Tasks by Status" of the Korus CRM dashboard (korus_crm.analytics.dashboard).
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Korus Tasks by Status"] = {
	method: "korus_crm.analytics.dashboard.tasks_by_status_chart",
};
