// Korus CRM additions to ERPNext's Lead form.
frappe.ui.form.on("Lead", {
	setup(frm) {
		frm.set_query("source", () => ({ filters: { is_active: 1 } }));
		frm.set_query("customer", () => ({ filters: { disabled: 0 } }));
	},
});
