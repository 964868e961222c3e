// Korus setup checklist (docs/first-login.md): "Send Test Email" on an outgoing Email Account.
frappe.ui.form.on("Email Account", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.enable_outgoing) return;
		frm.add_custom_button(__("Send Test Email"), () =>
			frappe
				.xcall("korus_crm.setup.onboarding.send_test_email", { email_account: frm.doc.name })
				.then((r) =>
					frappe.show_alert({
						message: __("Test email sent to {0}", [frappe.utils.escape_html(r.recipient)]),
						indicator: "green",
					})
				)
		);
	},
});
