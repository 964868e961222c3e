// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Knowledge Article"] = {
	add_fields: ["published", "restricted"],
	get_indicator(doc) {
		if (!doc.published) return [__("Draft"), "orange", "published,=,0"];
		if (doc.restricted) return [__("Restricted"), "blue", "restricted,=,1"];
		return [__("Published"), "green", "published,=,1"];
	},
	onload(listview) {
		listview.page.add_inner_button(__("Search the Knowledge Base"), () => frappe.set_route("knowledge-base"));
	},
};
