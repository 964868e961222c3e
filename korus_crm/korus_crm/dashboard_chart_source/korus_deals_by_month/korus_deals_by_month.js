// The chart source "Korus Deals by Month" of the Korus CRM dashboard (korus_crm.analytics.dashboard).
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Korus Deals by Month"] = {
	method: "korus_crm.analytics.dashboard.deals_by_month_chart",
};
