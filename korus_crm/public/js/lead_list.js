// Korus CRM's Leads list: the configurable status, coloured as on the Lead Board.
(() => {
	const settings = (frappe.listview_settings["Lead"] = frappe.listview_settings["Lead"] || {});
	const statuses = () => (frappe.boot.korus_lead_statuses || []).reduce((map, s) => ((map[s.name] = s), map), {});
	const indicatorClass = (name) => (name || "Gray").toLowerCase().replace(/ /g, "-");

	settings.add_fields = [...new Set([...(settings.add_fields || []), "lead_status", "status"])];
	settings.get_indicator = (doc) => {
		const status = statuses()[doc.lead_status];
		if (!doc.lead_status) return [__(doc.status), frappe.utils.guess_colour(doc.status), "status,=," + doc.status];
		return [__(doc.lead_status), indicatorClass(status && status.indicator), "lead_status,=," + doc.lead_status];
	};
})();
