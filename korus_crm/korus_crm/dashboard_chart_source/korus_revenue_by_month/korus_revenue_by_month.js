// The chart source "Korus Revenue by Month" of the Korus CRM dashboard (korus_crm.analytics.dashboard).
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Korus Revenue by Month"] = {
	method: "korus_crm.analytics.dashboard.revenue_by_month_chart",
};
