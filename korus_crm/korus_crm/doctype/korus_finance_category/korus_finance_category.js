// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Korus Finance Category", {
	setup(frm) {
		frm.set_query("account", () => ({
			filters: {
				company: frm.doc.company,
				is_group: 0,
				root_type: frm.doc.kind === "Revenue" ? "Income" : "Expense",
			},
		}));
	},
});
