// Korus CRM: scheduled contacts, with the presets "My Open" and "Overdue" (open and past their time).
frappe.listview_settings["Scheduled Contact"] = {
	add_fields: ["status", "scheduled_at", "assigned_to"],
	get_indicator(doc) {
		if (doc.status === "Open" && doc.scheduled_at && doc.scheduled_at < frappe.datetime.now_datetime()) {
			return [__("Overdue"), "red", "status,=,Open"];
		}
		const colours = { Open: "orange", Done: "green", Cancelled: "gray" };
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
	onload(listview) {
		const apply = (filters) =>
			listview.filter_area.clear(false).then(() => listview.filter_area.add(filters));
		listview.page.add_inner_button(__("My Open"), () =>
			apply([
				["Scheduled Contact", "assigned_to", "=", frappe.session.user],
				["Scheduled Contact", "status", "=", "Open"],
			])
		);
		listview.page.add_inner_button(__("Overdue"), () =>
			apply([
				["Scheduled Contact", "status", "=", "Open"],
				["Scheduled Contact", "scheduled_at", "<", frappe.datetime.now_datetime()],
			])
		);
	},
};
