// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.query_reports["Lost Reasons"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -3) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "pipeline", label: __("Pipeline"), fieldtype: "Link", options: "Deal Pipeline" },
		{ fieldname: "owner", label: __("Deal Owner"), fieldtype: "Link", options: "User" },
		{ fieldname: "by_owner", label: __("Per Owner"), fieldtype: "Check" },
		{
			fieldname: "period",
			label: __("Per Period"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Monthly", label: __("Monthly") },
				{ value: "Quarterly", label: __("Quarterly") },
				{ value: "Yearly", label: __("Yearly") },
			],
		},
	],
};
