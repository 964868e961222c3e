// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// Blank figures are ones the user may not see (the report's message says which), not zeros.
frappe.query_reports["Campaign ROI"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date" },
		{ fieldname: "campaign", label: __("Campaign"), fieldtype: "Link", options: "Campaign" },
		{ fieldname: "channel", label: __("Channel"), fieldtype: "Link", options: "Lead Source" },
	],
};
