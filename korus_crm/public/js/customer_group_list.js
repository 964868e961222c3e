// Korus CRM: Customer Groups list shows code, discount, priority, customers and whether active.
(() => {
	const settings = (frappe.listview_settings["Customer Group"] = frappe.listview_settings["Customer Group"] || {});
	settings.add_fields = [...new Set([...(settings.add_fields || []), "is_active"])];
	settings.get_indicator = (doc) =>
		doc.is_active ? [__("Active"), "green", "is_active,=,1"] : [__("Inactive"), "gray", "is_active,=,0"];
})();
