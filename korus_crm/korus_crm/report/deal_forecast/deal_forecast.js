// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// Best case: every open deal closing (unweighted); Weighted: value x probability; Commit: deals at or
// above the commit probability, or flagged "Commit to Forecast" (unweighted). docs/reports.md
frappe.query_reports["Deal Forecast"] = {
	filters: [
		{ fieldname: "pipeline", label: __("Pipeline"), fieldtype: "Link", options: "Deal Pipeline" },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.month_start() },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.add_months(frappe.datetime.month_start(), 12), -1) },
		{ fieldname: "commit_probability", label: __("Commit Probability (%)"), fieldtype: "Int", default: 70 },
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "Department" },
		{ fieldname: "employee", label: __("Employee"), fieldtype: "Link", options: "Employee" },
	],
};
