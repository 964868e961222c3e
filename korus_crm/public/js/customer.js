// Korus CRM additions to ERPNext's Customer (the seed's "Company") form.
frappe.ui.form.on("Customer", {
	refresh(frm) {
		if (frm.is_new()) return;
		const label = frm.doc.disabled ? __("Activate") : __("Deactivate");
		frm.add_custom_button(label, () => {
			frm.set_value("disabled", frm.doc.disabled ? 0 : 1);
			frm.save();
		});
	},
});
