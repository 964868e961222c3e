// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Korus Document Template", {
	setup(frm) {
		frm.set_query("reference_doctype", () => ({
			filters: { name: ["in", ["Lead", "Opportunity", "Customer", "Contract Order"]] },
		}));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("New Document"), () =>
				frappe.new_doc("Korus Document", { template: frm.doc.name, reference_doctype: frm.doc.reference_doctype })
			);
		}
	},
});
