// Korus CRM: the Customer list's "Customers I Follow" filter (korus_crm.customers.following).
(() => {
	const settings = (frappe.listview_settings["Customer"] = frappe.listview_settings["Customer"] || {});
	const previousOnload = settings.onload;
	settings.onload = function (listview) {
		if (previousOnload) previousOnload.call(this, listview);
		listview.page.add_inner_button(__("Customers I Follow"), () => {
			frappe
				.call("korus_crm.customers.following.followed_customer_names")
				.then(({ message: names }) => {
					if (!names || !names.length) {
						frappe.show_alert({ message: __("You do not follow any customer yet."), indicator: "orange" });
						return;
					}
					listview.filter_area.clear(false).then(() => {
						listview.filter_area.add([["Customer", "name", "in", names]]);
					});
				});
		});
	};
})();
