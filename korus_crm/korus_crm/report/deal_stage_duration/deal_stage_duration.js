// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.query_reports["Deal Stage Duration"] = {
	filters: [
		{ fieldname: "pipeline", label: __("Pipeline"), fieldtype: "Link", options: "Deal Pipeline" },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -3) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "owner", label: __("Deal Owner"), fieldtype: "Link", options: "User" },
		{ fieldname: "label", label: __("Label"), fieldtype: "Link", options: "Tag" },
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Stage", label: __("Stage") },
				{ value: "Owner", label: __("Stage and Owner") },
				{ value: "Label", label: __("Stage and Label") },
			],
			default: "Stage",
		},
	],
};
