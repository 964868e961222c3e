// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Korus API Key", {
	refresh(frm) {
		const onload = frm.doc.__onload || {};
		if (onload.api_secret) {
			const secret = onload.api_secret;
			// shown once: the server never sends it again, and the form forgets it
			delete onload.api_secret;
			korus_show_new_api_key(frm.doc.api_key, secret);
		}
		if (frm.is_new()) {
			frm.set_intro(
				__("The key and its secret are generated when you save. The secret is shown once: copy it then, it cannot be read back."),
				"blue"
			);
			return;
		}
		if (!frm.doc.revoked_on) {
			frm.add_custom_button(__("Revoke"), () => {
				frappe.confirm(
					__("Revoke the API key {0}? Systems using it lose access at once. This cannot be undone.", [
						frappe.utils.escape_html(frm.doc.label),
					]),
					() =>
						frappe
							.xcall("korus_crm.api_keys.revoke_api_key", { name: frm.doc.name })
							.then(() => {
								frappe.show_alert({ message: __("API key revoked"), indicator: "red" });
								frm.reload_doc();
							})
				);
			});
			frm.change_custom_button_type(__("Revoke"), null, "danger");
		}
	},
});

function korus_show_new_api_key(api_key, api_secret) {
	const dialog = new frappe.ui.Dialog({
		title: __("Your New API Key"),
		static: true,
		fields: [
			{
				fieldtype: "HTML",
				fieldname: "warning",
				options: `<div class="alert alert-warning">${__(
					"Copy the secret now. It is shown only this once and cannot be read back; if it is lost, revoke the key and create a new one."
				)}</div>`,
			},
			{ fieldtype: "Data", fieldname: "api_key", label: __("API Key"), read_only: 1, default: api_key },
			{ fieldtype: "Data", fieldname: "api_secret", label: __("API Secret"), read_only: 1, default: api_secret },
			{
				fieldtype: "HTML",
				fieldname: "usage",
				options: `<p class="text-muted small">${__("Send with every request:")}<br>
					<code>Authorization: token ${frappe.utils.escape_html(api_key)}:&lt;API secret&gt;</code><br>
					<code>Frappe-Authorization-Source: Korus API Key</code></p>`,
			},
		],
		primary_action_label: __("Copy Key and Secret"),
		primary_action() {
			frappe.utils.copy_to_clipboard(`${api_key}:${api_secret}`);
		},
		secondary_action_label: __("Done"),
		secondary_action() {
			dialog.hide();
		},
	});
	dialog.show();
}
