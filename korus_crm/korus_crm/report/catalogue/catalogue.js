// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// The Catalogue (korus_crm.catalogue): Items with their purchase and sale price, margin and stock.
// Tick rows, then: change the purchase or sale price by a percentage or to a value, archive,
// unarchive or export them (korus_crm.catalogue.bulk.run). A large selection runs in the background:
// Frappe's progress bar follows it and a notification says when it is done.
frappe.query_reports["Catalogue"] = {
	filters: [
		{ fieldname: "text", label: __("Search"), fieldtype: "Data" },
		{ fieldname: "item_group", label: __("Item Group"), fieldtype: "Link", options: "Item Group" },
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				{ value: "Active", label: __("Active") },
				{ value: "Archived", label: __("Archived") },
				{ value: "All", label: __("All") },
			],
			default: "Active",
		},
		{ fieldname: "page", label: __("Page"), fieldtype: "Int", default: 1 },
		{ fieldname: "page_size", label: __("Items per Page"), fieldtype: "Int", default: 500 },
	],

	get_datatable_options(options) {
		return Object.assign(options, { checkboxColumn: true });
	},

	onload(report) {
		const actions = [
			["change_price", __("Change Price")],
			["archive", __("Archive")],
			["unarchive", __("Unarchive")],
			["export", __("Export Selected")],
		];
		actions.forEach(([action, label]) => report.page.add_inner_button(label, () => korus_crm.catalogue.start(report, action), __("Bulk Actions")));
	},
};

frappe.provide("korus_crm.catalogue");

korus_crm.catalogue.selected = function (report) {
	const rows = report.datatable ? report.datatable.rowmanager.getCheckedRows() : [];
	return rows.map((i) => report.data[i] && report.data[i].item_code).filter(Boolean);
};

korus_crm.catalogue.start = function (report, action) {
	const items = korus_crm.catalogue.selected(report);
	if (!items.length) {
		frappe.msgprint(__("Select at least one item."));
		return;
	}
	const run = (args = {}) =>
		frappe
			.xcall("korus_crm.catalogue.bulk.run", { action, items, ...args }, "POST", { freeze: true, freeze_message: __("Working…") })
			.then((r) => korus_crm.catalogue.done(report, r));
	if (action === "change_price") {
		const dialog = new frappe.ui.Dialog({
			title: __("Change the price of {0} items", [items.length]),
			fields: [
				{
					fieldname: "price",
					fieldtype: "Select",
					label: __("Price"),
					reqd: 1,
					options: [
						{ value: "selling", label: __("Sale Price") },
						{ value: "buying", label: __("Purchase Price") },
					],
					default: "selling",
				},
				{
					fieldname: "mode",
					fieldtype: "Select",
					label: __("Change"),
					reqd: 1,
					options: [
						{ value: "percent", label: __("By a percentage") },
						{ value: "value", label: __("To a value") },
					],
					default: "percent",
				},
				{ fieldname: "value", fieldtype: "Float", label: __("Percentage or New Price"), reqd: 1, description: __("A percentage may be negative (down to -100).") },
			],
			primary_action_label: __("Apply to {0} items", [items.length]),
			primary_action(values) {
				dialog.hide();
				run(values);
			},
		});
		dialog.show();
	} else if (action === "archive") {
		frappe.confirm(__("Archive {0} items? They can be unarchived later.", [items.length]), () => run());
	} else {
		run();
	}
};

korus_crm.catalogue.done = function (report, r) {
	if (r.action === "export") {
		frappe.tools.downloadify([r.columns, ...r.rows], null, __("Catalogue"));
		return;
	}
	if (r.queued) {
		frappe.show_alert({ message: __("{0} items are processed in the background; you will be notified when it is done.", [r.total]), indicator: "blue" });
		return;
	}
	report.refresh();
	if (!r.failed.length) {
		frappe.show_alert({ message: __("Done: {0} items", [r.done]), indicator: "green" });
		return;
	}
	const esc = frappe.utils.escape_html;
	const rows = r.failed.map((f) => `<tr><td>${esc(f.name)}</td><td>${esc(f.error)}</td></tr>`).join("");
	frappe.msgprint({
		title: __("Done: {0}, refused: {1}", [r.done, r.failed.length]),
		indicator: "orange",
		message: `<table class="table table-condensed"><tr><th>${__("Item")}</th><th>${__("Reason")}</th></tr>${rows}</table>`,
	});
};
