// Korus CRM: mileage logs (seed 001 Pojazdy): drafts, submitted and cancelled logs.
frappe.listview_settings["Korus Mileage Log"] = {
	add_fields: ["vehicle", "distance", "docstatus"],
	get_indicator(doc) {
		if (doc.docstatus === 1) return [__("Submitted"), "blue", "docstatus,=,1"];
		if (doc.docstatus === 2) return [__("Cancelled"), "red", "docstatus,=,2"];
		return [__("Draft"), "orange", "docstatus,=,0"];
	},
};
