// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Knowledge Article", {
	refresh(frm) {
		frm.add_custom_button(__("Knowledge Base"), () =>
			frappe.set_route("knowledge-base", frm.doc.category ? { category: frm.doc.category } : {})
		);
		if (!frm.is_new() && !frm.doc.published) {
			frm.dashboard.set_headline(__("Draft: only you and the knowledge managers read it."), "orange");
		}
	},
});
