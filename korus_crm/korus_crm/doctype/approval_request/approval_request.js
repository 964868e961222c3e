// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// The request's form: the approver's Approve / Reject (with a comment), the submitter's Withdraw
// (Frappe's Cancel), an approved travel request's expenses. What the buttons offer comes from the
// server (korus_crm.approvals.available_actions: the approvers the route waits for now).
frappe.ui.form.on("Approval Request", {
	setup(frm) {
		frm.set_query("form_type", () => ({ filters: { enabled: 1 } }));
		frm.set_query("travel_request", () => ({
			filters: { form_kind: "Travel", status: "Approved", requested_by: frm.doc.requested_by || frappe.session.user },
		}));
	},
	refresh(frm) {
		const actions = (frm.doc.__onload || {}).actions || [];
		const decide = (action) => {
			const d = new frappe.ui.Dialog({
				title: action === "Approve" ? __("Approve") : __("Reject"),
				fields: [{ fieldname: "comment", fieldtype: "Small Text", label: __("Comment"), reqd: action === "Reject" }],
				primary_action_label: action === "Approve" ? __("Approve") : __("Reject"),
				primary_action({ comment }) {
					d.hide();
					frappe
						.xcall("korus_crm.approvals.apply_action", { doctype: frm.doctype, name: frm.doc.name, action, comment })
						.then(() => frm.reload_doc());
				},
			});
			d.show();
		};
		if (actions.includes("Approve")) {
			frm.add_custom_button(__("Approve"), () => decide("Approve")).addClass("btn-primary");
		}
		if (actions.includes("Reject")) {
			frm.add_custom_button(__("Reject"), () => decide("Reject"));
		}
		if (frm.doc.docstatus === 1) {
			// Frappe's Cancel is the submitter's Withdraw, or an administrator's cancelling: offered
			// only to whom the request's approval allows it
			if (actions.includes("Withdraw")) frm.page.set_secondary_action(__("Withdraw"), () => frm.savecancel());
			else if (!actions.includes("Cancel")) frm.page.clear_secondary_action();
		}
		if (frm.doc.docstatus === 1 && frm.doc.status === "Pending") {
			const waiting = (frm.doc.steps || []).filter((r) => r.status === "Pending").map((r) => r.approver);
			frm.dashboard.set_headline(__("Waiting for {0} (step {1}).", [waiting.join(", "), frm.doc.current_step]));
		}
		if (frm.doc.form_kind === "Travel" && frm.doc.status === "Approved") {
			frm.add_custom_button(__("Expense Request"), () =>
				frappe
					.xcall("korus_crm.korus_crm.doctype.approval_request.approval_request.make_expense_request", { travel_request: frm.doc.name })
					.then((doc) => frappe.new_doc("Approval Request", { form_type: doc.form_type, title: doc.title, company: doc.company, travel_request: doc.travel_request }))
			, __("Create"));
		}
	},
	form_type(frm) {
		if (!frm.doc.form_type) return;
		frappe.db.get_value("Approval Form Type", frm.doc.form_type, "form_kind").then(({ message }) => frm.set_value("form_kind", message.form_kind));
	},
});

frappe.ui.form.on("Approval Expense Line", {
	amount(frm) {
		frm.set_value("amount", (frm.doc.expenses || []).reduce((sum, r) => sum + flt(r.amount), 0));
	},
	expenses_remove(frm) {
		frm.set_value("amount", (frm.doc.expenses || []).reduce((sum, r) => sum + flt(r.amount), 0));
	},
});
