// Korus CRM: activate or deactivate the selected companies (customers) from the list.
(() => {
	const settings = (frappe.listview_settings["Customer"] = frappe.listview_settings["Customer"] || {});
	const previousOnload = settings.onload;
	settings.add_fields = [...new Set([...(settings.add_fields || []), "disabled"])];
	settings.onload = function (listview) {
		if (previousOnload) previousOnload.call(this, listview);
		const setDisabled = (disabled) => {
			const names = listview.get_checked_items(true);
			if (!names.length) return;
			frappe
				.call("frappe.client.bulk_update", {
					docs: JSON.stringify(names.map((name) => ({ doctype: "Customer", docname: name, disabled }))),
				})
				.then(() => listview.refresh());
		};
		listview.page.add_action_item(__("Activate"), () => setDisabled(0));
		listview.page.add_action_item(__("Deactivate"), () => setDisabled(1));
	};
})();
