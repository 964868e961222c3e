// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// A task: Assigned To offers the users you may assign to (yourself and the people who report to you;
// managers: everyone); a user or a group, not both; buttons to start and complete it and to open the
// record it is about. The server checks all of it again.
frappe.ui.form.on("Korus Task", {
	setup(frm) {
		frm.set_query("assigned_to", () => ({ query: "korus_crm.tasks.api.assignable_users" }));
		frm.set_query("reference_type", () => ({
			filters: {
				name: ["in", ["Lead", "Opportunity", "Customer", "Contract Order", "Price Offer", "Sales Order"]],
			},
		}));
	},
	onload(frm) {
		if (frm.is_new() && !frm.doc.assigned_to && !frm.doc.user_group) {
			frm.set_value("assigned_to", frappe.session.user);
		}
	},
	refresh(frm) {
		if (frm.is_new()) return;
		const open = ["Open", "Working"].includes(frm.doc.status);
		if (open && frm.doc.due_at && frm.doc.due_at < frappe.datetime.now_datetime()) {
			frm.dashboard.set_headline_alert(__("This task is overdue."), "red");
		}
		if (frm.doc.status === "Open") {
			frm.add_custom_button(__("Start Working"), () => set_status(frm, "Working"));
		}
		if (open) {
			frm.add_custom_button(__("Mark as Completed"), () => set_status(frm, "Completed"));
		}
		if (frm.doc.reference_type && frm.doc.reference_name) {
			frm.add_custom_button(__(frm.doc.reference_type), () =>
				frappe.set_route("Form", frm.doc.reference_type, frm.doc.reference_name)
			);
		}
	},
	assigned_to(frm) {
		if (frm.doc.assigned_to && frm.doc.user_group) frm.set_value("user_group", null);
	},
	user_group(frm) {
		if (frm.doc.user_group && frm.doc.assigned_to) frm.set_value("assigned_to", null);
	},
});

function set_status(frm, status) {
	frm.set_value("status", status);
	return frm.save();
}
