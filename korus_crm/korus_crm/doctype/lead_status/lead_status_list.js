// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Lead Status"] = {
	add_fields: ["color", "is_default", "is_final"],
	get_indicator(doc) {
		if (doc.is_default) return [__("Default"), "blue", "is_default,=,1"];
		if (doc.is_final) return [__("Final"), "gray", "is_final,=,1"];
		return [__("Active"), "green", "is_final,=,0"];
	},
	formatters: {
		status_name(value, df, doc) {
			const color = frappe.utils.escape_html(doc.color || "var(--gray-500)");
			return `<span class="indicator-pill no-indicator-dot" style="border-left: 4px solid ${color}">${frappe.utils.escape_html(value)}</span>`;
		},
	},
};
