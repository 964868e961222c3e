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
		color(value) {
			if (!value) return "";
			const color = frappe.utils.escape_html(value);
			return `<span style="display:inline-block;width:12px;height:12px;border-radius:50%;background:${color};vertical-align:middle;margin-right:6px"></span>${color}`;
		},
	},
};
