// The deal list (ERPNext's Opportunity): Korus's bulk actions (korus_bulk.js) in the Actions menu,
// added to ERPNext's own list settings (its menu items and indicators stay). Labels are Frappe's
// tags: the sidebar's Tags filter and the Actions menu's "Add Tags" work as on every list.
(function () {
	const settings = (frappe.listview_settings["Opportunity"] = frappe.listview_settings["Opportunity"] || {});
	const erpnext_onload = settings.onload;
	settings.onload = function (listview) {
		if (erpnext_onload) erpnext_onload.apply(this, arguments);
		korus_crm.bulk.add_list_actions(listview);
	};
})();
