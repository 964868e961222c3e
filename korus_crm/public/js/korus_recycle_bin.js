// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// The Delete of the Customer and Deal forms moves the record to the recycle bin
// (korus_crm.customers.recycle_bin.recycle; a customer with transactions is disabled instead), and
// says so. Loaded with each of these forms (hooks.py doctype_js).
(() => {
	if (frappe.korus_recycle_bin_loaded) return;
	frappe.korus_recycle_bin_loaded = true;

	const setup = (frm) => {
		frm.savetrash = function () {
			this.validate_form_action("Delete");
			frappe.confirm(__("Move {0} to the Recycle Bin?", [this.docname.bold()]), () =>
				frappe
					.xcall("korus_crm.customers.recycle_bin.recycle", { doctype: frm.doctype, name: frm.docname })
					.then((r) => {
						if (r.action === "recycled") {
							frappe.show_alert({ message: r.message, indicator: "orange" });
							frappe.model.clear_doc(frm.doctype, frm.docname);
							frappe.set_route("List", frm.doctype);
						} else {
							frappe.msgprint(r.message);
							frm.reload_doc();
						}
					})
			);
		};
	};
	const refresh = (frm) => {
		if (frm.doc.korus_deleted) {
			frm.set_intro(__("This record is in the recycle bin."), "orange");
			frm.disable_save();
		}
	};
	["Customer", "Opportunity"].forEach((doctype) => frappe.ui.form.on(doctype, { setup, refresh }));
})();
