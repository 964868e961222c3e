// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Korus API Key"] = {
	add_fields: ["enabled", "expires_on", "revoked_on"],
	get_indicator(doc) {
		if (doc.revoked_on) {
			return [__("Revoked"), "red", "revoked_on,is,set"];
		}
		const today = frappe.datetime.get_today();
		if (doc.expires_on && doc.expires_on <= today) {
			return [__("Expired"), "orange", `expires_on,<=,${today}`];
		}
		if (!doc.enabled) {
			return [__("Disabled"), "gray", "enabled,=,0"];
		}
		return [__("Active"), "green", "enabled,=,1"];
	},
};
