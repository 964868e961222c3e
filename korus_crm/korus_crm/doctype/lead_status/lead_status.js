// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Lead Status", {
	refresh(frm) {
		if (frm.doc.is_default) {
			frm.set_intro(__("New leads start in this status."), "blue");
		} else if (frm.doc.is_final) {
			frm.set_intro(__("A final status: leads in it are not shown on the Lead Board."), "gray");
		}
	},
	is_default(frm) {
		if (frm.doc.is_default && frm.doc.is_final) {
			frm.set_value("is_final", 0);
		}
	},
});
