// Korus CRM additions to ERPNext's Customer Group form: the Pricing Rule that applies its discount.
frappe.ui.form.on("Customer Group", {
	refresh(frm) {
		const rule = frm.doc.__onload && frm.doc.__onload.korus_pricing_rule;
		if (rule) {
			frm.add_custom_button(__("Pricing Rule"), () => frappe.set_route("Form", "Pricing Rule", rule), __("View"));
		}
	},
});
