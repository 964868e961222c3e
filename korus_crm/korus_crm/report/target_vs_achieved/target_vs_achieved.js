// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// "Documents" opens the list behind a row's achieved figure (orders, invoices, payments, customers).
frappe.query_reports["Target vs Achieved"] = {
	filters: [
		{ fieldname: "fiscal_year", label: __("Fiscal Year"), fieldtype: "Link", options: "Fiscal Year", reqd: 1,
			default: frappe.defaults.get_user_default("fiscal_year") },
		{ fieldname: "period", label: __("Period"), fieldtype: "Select", default: "Monthly",
			options: [
				{ value: "Monthly", label: __("Monthly") },
				{ value: "Quarterly", label: __("Quarterly") },
				{ value: "Yearly", label: __("Yearly") },
			] },
		{ fieldname: "metric", label: __("Metric"), fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Order Value", label: __("Order Value") },
				{ value: "Invoiced Value", label: __("Invoiced Value") },
				{ value: "Collected Value", label: __("Collected Value") },
				{ value: "New Customers", label: __("New Customers") },
			] },
		{ fieldname: "target_for", label: __("Target For"), fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Employee", label: __("Employee") },
				{ value: "Department", label: __("Department") },
				{ value: "Company", label: __("Company") },
			] },
		{ fieldname: "employee", label: __("Employee"), fieldtype: "Link", options: "Employee" },
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "Department" },
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
	],
	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "documents") {
			return value ? `<a href="${frappe.utils.escape_html(value)}">${__("Show Documents")}</a>` : "";
		}
		return default_formatter(value, row, column, data);
	},
};
