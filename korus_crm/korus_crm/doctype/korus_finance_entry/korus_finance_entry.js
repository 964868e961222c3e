// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Korus Finance Entry", {
	setup(frm) {
		frm.set_query("category", () => ({ filters: { kind: frm.doc.kind, disabled: 0 } }));
		frm.set_query("paid_through", () => ({
			filters: { company: frm.doc.company, is_group: 0, account_type: ["in", ["Cash", "Bank"]] },
		}));
		frm.set_query("cost_center", () => ({ filters: { company: frm.doc.company, is_group: 0 } }));
	},
	kind(frm) {
		if (frm.doc.category) frm.set_value("category", null);
	},
});
