// Korus CRM: bulk actions on deals (korus_crm.deals.bulk) from the deal list's Actions menu and the
// deal board's selection: assign, change stage, add or remove a label, delete (into the recycle bin),
// export. Each deal is processed with the user's permissions; refused ones are listed. A large
// selection runs in the background: Frappe's progress bar follows it and a notification says when
// it is done.
frappe.provide("korus_crm.bulk");

korus_crm.bulk.ACTIONS = [
	{ action: "assign", label: "Assign" },
	{ action: "change_stage", label: "Change Stage" },
	{ action: "add_label", label: "Add Label" },
	{ action: "remove_label", label: "Remove Label" },
	{ action: "delete", label: "Delete" },
	{ action: "export", label: "Export" },
];

// Ask what the action needs, run it on `names`, then call `done()` (to refresh the list or board).
korus_crm.bulk.start = function (action, names, done, context = {}) {
	if (!names || !names.length) {
		frappe.msgprint(__("Select at least one deal."));
		return;
	}
	const run = (args = {}) => korus_crm.bulk.run(action, names, args).then((r) => done && done(r));
	const ask = (title, fields) => {
		const dialog = new frappe.ui.Dialog({
			title,
			fields,
			primary_action_label: __("Apply to {0} deals", [names.length]),
			primary_action(values) {
				dialog.hide();
				run(values);
			},
		});
		dialog.show();
	};
	if (action === "assign") {
		ask(__("Assign {0} deals", [names.length]), [
			{ fieldname: "owner", fieldtype: "Link", options: "User", label: __("New Owner"), reqd: 1, get_query: () => ({ filters: { enabled: 1, user_type: "System User" } }) },
		]);
	} else if (action === "change_stage") {
		ask(__("Change the stage of {0} deals", [names.length]), [
			{
				fieldname: "stage",
				fieldtype: "Link",
				options: "Deal Stage",
				label: __("Stage"),
				reqd: 1,
				get_query: () => (context.pipeline ? { filters: { pipeline: context.pipeline } } : {}),
			},
			{ fieldname: "lost_reason", fieldtype: "Link", options: "Opportunity Lost Reason", label: __("Lost Reason"), description: __("Needed when the stage is a lost stage.") },
		]);
	} else if (action === "add_label") {
		ask(__("Add a label to {0} deals", [names.length]), [{ fieldname: "label", fieldtype: "Data", label: __("Label"), reqd: 1 }]);
	} else if (action === "remove_label") {
		ask(__("Remove a label from {0} deals", [names.length]), [
			{ fieldname: "label", fieldtype: "Link", options: "Tag", label: __("Label"), reqd: 1 },
		]);
	} else if (action === "delete") {
		frappe.confirm(__("Move {0} deals to the recycle bin? They can be restored from there.", [names.length]), () => run());
	} else {
		run();
	}
};

korus_crm.bulk.run = function (action, names, args = {}) {
	return frappe
		.xcall("korus_crm.deals.bulk.run", { action, names, ...args }, "POST", { freeze: true, freeze_message: __("Working…") })
		.then((r) => {
			if (action === "export") korus_crm.bulk.download(r);
			else korus_crm.bulk.show_report(r);
			return r;
		});
};

korus_crm.bulk.download = function (r) {
	frappe.tools.downloadify([r.columns, ...r.rows], null, __("Deals"));
};

korus_crm.bulk.show_report = function (r) {
	if (r.queued) {
		frappe.show_alert({
			message: __("{0} deals are processed in the background; you will be notified when it is done.", [r.total]),
			indicator: "blue",
		});
		return;
	}
	if (!r.failed.length) {
		frappe.show_alert({ message: __("Done: {0} deals", [r.done]), indicator: "green" });
		return;
	}
	const esc = frappe.utils.escape_html;
	const rows = r.failed.map((f) => `<tr><td>${esc(f.name)}</td><td>${esc(f.error)}</td></tr>`).join("");
	frappe.msgprint({
		title: __("Done: {0}, refused: {1}", [r.done, r.failed.length]),
		indicator: "orange",
		message: `<table class="table table-condensed korus-bulk-report"><tr><th>${__("Deal")}</th><th>${__("Reason")}</th></tr>${rows}</table>`,
	});
};

// The deal list: one Actions menu item per bulk action (shown when deals are ticked).
korus_crm.bulk.add_list_actions = function (listview) {
	korus_crm.bulk.ACTIONS.forEach(({ action, label }) => {
		listview.page.add_actions_menu_item(
			__("Korus: {0}", [__(label)]),
			() =>
				korus_crm.bulk.start(action, listview.get_checked_items(true), () => {
					listview.clear_checked_items && listview.clear_checked_items();
					listview.refresh();
				}),
			false
		);
	});
};
