// Korus CRM additions to ERPNext's Campaign form: channel, period and budget (fields), and the
// campaign's results over its whole life, as the Campaign ROI report reads them for this user.
frappe.ui.form.on("Campaign", {
	setup(frm) {
		frm.set_query("korus_channel", () => ({ filters: { is_active: 1 } }));
	},
	refresh(frm) {
		korus_crm.campaigns.show_results(frm);
		if (!frm.is_new()) {
			frm.add_custom_button(__("Campaign ROI"), () =>
				frappe.set_route("query-report", "Campaign ROI", { campaign: frm.doc.name })
			, __("View"));
		}
	},
});

frappe.provide("korus_crm.campaigns");

korus_crm.campaigns.show_results = function (frm) {
	const field = frm.get_field("korus_results_html");
	if (!field) return;
	const results = frm.doc.__onload && frm.doc.__onload.korus_results;
	if (frm.is_new() || !results) {
		field.$wrapper.html(`<p class="text-muted small">${__("The results show once the campaign is saved.")}</p>`);
		return;
	}
	const figures = results.figures || {};
	const hidden = results.hidden || [];
	const money = (value) => (value === null || value === undefined ? "—" : format_currency(value));
	const count = (value) => (value === null || value === undefined ? "—" : format_number(value, null, 0));
	const percent = (value) => (value === null || value === undefined ? "—" : `${format_number(value, null, 1)} %`);
	const items = [
		[__("Spend"), money(figures.spend)],
		[__("Budget Used"), percent(figures.budget_used)],
		[__("Leads"), count(figures.leads)],
		[__("Converted Leads"), count(figures.converted_leads)],
		[__("Deals"), count(figures.deals)],
		[__("Won Deals"), count(figures.won_deals)],
		[__("Won Revenue"), money(figures.won_revenue)],
		[__("Cost per Lead"), money(figures.cost_per_lead)],
		[__("Cost per Won Deal"), money(figures.cost_per_won_deal)],
		[__("Return"), percent(figures.roi)],
	];
	const cells = items
		.map(
			([label, value]) => `<div class="col-sm-3 col-6" style="margin-bottom: var(--margin-md)">
				<div class="text-muted small">${frappe.utils.escape_html(label)}</div>
				<div class="bold">${value}</div>
			</div>`
		)
		.join("");
	const notes = [];
	if (hidden.includes("spend")) notes.push(__("Spend is shown to users who may read the General Ledger."));
	if (hidden.includes("won_revenue")) notes.push(__("Won revenue is shown to users who may read Sales Invoices."));
	const note = notes.length ? `<p class="text-muted small">${notes.map(frappe.utils.escape_html).join(" ")}</p>` : "";
	field.$wrapper.html(`<div class="row">${cells}</div>${note}`);
};
