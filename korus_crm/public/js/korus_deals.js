// Korus CRM: deals on the desk (ERPNext's Opportunity).
frappe.provide("korus_crm.deals");

// Offered by the server when a deal is moved to a lost stage without a reason (form save or kanban
// drag): ask for the reason, then move the deal with it.
korus_crm.deals.ask_lost_reason = function ({ deal, stage }) {
	frappe.hide_msgprint && frappe.hide_msgprint();
	const dialog = new frappe.ui.Dialog({
		title: __("Why was this deal lost?"),
		fields: [
			{ fieldname: "lost_reason", fieldtype: "Link", options: "Opportunity Lost Reason", label: __("Lost Reason"), reqd: 1 },
		],
		primary_action_label: __("Move to Lost"),
		primary_action({ lost_reason }) {
			frappe
				.xcall("korus_crm.api.deals.move_deal", { deal, stage, lost_reason })
				.then(() => {
					dialog.hide();
					frappe.show_alert({ message: __("Deal {0} moved", [deal]), indicator: "red" });
					if (window.cur_frm && cur_frm.doctype === "Opportunity" && cur_frm.docname === deal) cur_frm.reload_doc();
					if (window.cur_list && cur_list.doctype === "Opportunity") cur_list.refresh();
				});
		},
	});
	dialog.show();
};
