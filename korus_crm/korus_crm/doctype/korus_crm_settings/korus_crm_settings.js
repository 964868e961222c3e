// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Korus CRM Settings", {
	refresh(frm) {
		frm.add_custom_button(__("Export"), () => {
			frappe.xcall("korus_crm.api.settings.export_settings").then((data) => {
				const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
				const link = document.createElement("a");
				link.href = URL.createObjectURL(blob);
				link.download = `korus-crm-settings-${frappe.datetime.nowdate()}.json`;
				link.click();
			});
		}, __("Configuration"));
		frm.add_custom_button(__("Import"), () => {
			new frappe.ui.FileUploader({
				allow_multiple: false,
				restrictions: { allowed_file_types: [".json"] },
				as_dataurl: true,
				on_success(file) {
					const text = atob(file.dataurl.split(",")[1]);
					frappe.xcall("korus_crm.api.settings.import_settings", { data: text }).then((r) => {
						frappe.msgprint(__("Imported {0} lead statuses and {1} pipelines.", [r.lead_statuses.length, r.pipelines.length]));
					});
				},
			});
		}, __("Configuration"));
		frm.add_custom_button(__("Reset to Defaults"), () => {
			frappe.confirm(__("Restore Korus's default lead statuses and pipeline? Other statuses and pipelines are kept."), () =>
				frappe.xcall("korus_crm.api.settings.reset_settings").then(() => frappe.show_alert(__("Reset done")))
			);
		}, __("Configuration"));
	},
});
