// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Deal Pipeline", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Open Board"), () => frappe.set_route("deal-board", frm.doc.name));
		}
	},
});

frappe.ui.form.on("Deal Pipeline Stage", {
	// one default, one won and one lost stage: checking one unchecks the others (the server enforces it)
	is_default: (frm, cdt, cdn) => only_one(frm, cdn, "is_default"),
	is_won: (frm, cdt, cdn) => only_one(frm, cdn, "is_won"),
	is_lost: (frm, cdt, cdn) => only_one(frm, cdn, "is_lost"),
});

function only_one(frm, cdn, flag) {
	const row = locals["Deal Pipeline Stage"][cdn];
	if (!row[flag]) return;
	(frm.doc.stages || []).forEach((other) => {
		if (other.name !== cdn && other[flag]) frappe.model.set_value(other.doctype, other.name, flag, 0);
	});
}
