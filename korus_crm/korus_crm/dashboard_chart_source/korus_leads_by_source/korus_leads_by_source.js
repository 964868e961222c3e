// The chart source "Korus Leads by Source" of the Korus CRM dashboard (korus_crm.analytics.dashboard).
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Korus Leads by Source"] = {
	method: "korus_crm.analytics.dashboard.leads_by_source_chart",
};
