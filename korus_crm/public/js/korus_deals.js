// Korus CRM: deals on the desk (ERPNext's Opportunity).
frappe.provide("korus_crm.deals");

// Offered by the server when a deal is moved to a lost stage without a reason (form save or board
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
					korus_crm.reload_board && korus_crm.reload_board();
				});
		},
	});
	dialog.show();
};

// The deal's chain from offer to payment, on its form.
korus_crm.deals.show_timeline = function (frm) {
	frappe.xcall("korus_crm.api.timeline.get_deal_timeline", { deal: frm.doc.name }).then((events) => {
		const field = frm.fields_dict.quote_to_cash_html;
		if (!events || !events.length) {
			field && field.$wrapper.html(`<p class="text-muted">${__("No offers yet.")}</p>`);
			return;
		}
		const rows = events
			.map(
				(e) => `<tr><td>${__(e.doctype)}${e.revision ? " (" + __("rev.") + " " + e.revision + ")" : ""}</td>
				<td>${e.route ? `<a href="${e.route}">${frappe.utils.escape_html(e.name)}</a>` : `<span class="text-muted">${__("Not permitted")}</span>`}</td>
				<td>${frappe.utils.escape_html(__(e.status || ""))}</td>
				<td class="text-right">${e.restricted ? "" : format_currency(e.amount, e.currency)}</td>
				<td>${frappe.datetime.str_to_user(e.date)}</td></tr>`
			)
			.join("");
		if (!field) return;
		field.$wrapper.html(
			`<table class="table table-condensed korus-timeline"><tr><th>${__("Document")}</th><th>${__("Name")}</th><th>${__("Status")}</th><th class="text-right">${__("Amount")}</th><th>${__("Date")}</th></tr>${rows}</table>`
		);
	});
};

// A won deal whose contract order could not be made (its reason is in the deal's comments): try again.
korus_crm.deals.offer_contract_order = function (frm) {
	if (!frm.doc.deal_stage) return;
	frappe.db.get_value("Deal Stage", frm.doc.deal_stage, "is_won").then((r) => {
		if (!(r.message && r.message.is_won)) return;
		frappe.db.count("Contract Order", { filters: { opportunity: frm.doc.name, docstatus: ["<", 2] } }).then((n) => {
			if (n) return;
			frm.add_custom_button(__("Make Contract Order"), () =>
				frappe
					.xcall("korus_crm.selling.won_deals.retry_contract_order", { deal: frm.doc.name })
					.then(() => frappe.show_alert({ message: __("The contract order is being made"), indicator: "blue" }))
			);
		});
	});
};
