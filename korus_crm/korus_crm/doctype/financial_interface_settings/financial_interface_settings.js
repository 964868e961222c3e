// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Financial Interface Settings", {
	refresh(frm) {
		frm.add_custom_button(__("Test Connection"), () => {
			// the test uses the saved settings: save changes first
			const saved = frm.is_dirty() ? frm.save() : Promise.resolve();
			saved.then(() =>
				frappe.call({
					method: "korus_crm.financial.test_connection",
					type: "POST",
					freeze: true,
					freeze_message: __("Testing the connection…"),
					callback: ({ message: r }) =>
						frappe.msgprint({
							title: r.ok ? __("Connection Works") : __("Connection Failed"),
							message: r.message,
							indicator: r.ok ? "green" : "red",
						}),
				})
			);
		});
	},
});
