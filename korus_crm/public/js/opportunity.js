// Korus CRM additions to ERPNext's Opportunity (a deal) form.
frappe.ui.form.on("Opportunity", {
	setup(frm) {
		frm.set_query("deal_pipeline", () => ({ filters: { is_active: 1 } }));
		frm.set_query("deal_stage", () => ({ filters: { pipeline: frm.doc.deal_pipeline } }));
	},
	deal_pipeline(frm) {
		frm.set_value("deal_stage", null);
	},
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Price Offer"), () =>
			frappe.model.open_mapped_doc({ method: "korus_crm.api.offers.make_price_offer_for", frm, args: { source_doctype: "Opportunity" } })
		, __("Create"));
		korus_crm.deals.show_timeline(frm);
		korus_crm.deals.offer_contract_order(frm);
		if (!frm.doc.deal_pipeline) return;
		frm.add_custom_button(__("Move to Stage"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Move deal"),
				fields: [
					{
						fieldname: "stage",
						fieldtype: "Link",
						options: "Deal Stage",
						label: __("Stage"),
						reqd: 1,
						get_query: () => ({ filters: { pipeline: frm.doc.deal_pipeline } }),
					},
				],
				primary_action({ stage }) {
					frappe.xcall("korus_crm.api.deals.move_deal", { deal: frm.doc.name, stage }).then(() => {
						dialog.hide();
						frm.reload_doc();
					});
				},
			});
			dialog.show();
		});
	},
});
