// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.query_reports["Lead Conversion Time"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -3) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Source", label: __("Source") },
				{ value: "Owner", label: __("Lead Owner") },
			],
			default: "Source",
		},
		{ fieldname: "source", label: __("Source"), fieldtype: "Link", options: "Lead Source" },
		{ fieldname: "owner", label: __("Lead Owner"), fieldtype: "Link", options: "User" },
	],
};
