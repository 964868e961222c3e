// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Knowledge Category", {
	setup(frm) {
		frm.set_query("parent_knowledge_category", () => ({ filters: { is_group: 1 } }));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Articles"), () =>
				frappe.set_route("knowledge-base", { category: frm.doc.name })
			);
		}
	},
});
