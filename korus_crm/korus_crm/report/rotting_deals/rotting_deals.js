// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.query_reports["Rotting Deals"] = {
	filters: [
		{ fieldname: "pipeline", label: __("Pipeline"), fieldtype: "Link", options: "Deal Pipeline" },
		{ fieldname: "owner", label: __("Owner"), fieldtype: "Link", options: "User" },
	],
};
