// Korus CRM: service jobs, with the presets "My Jobs Today" (the user's jobs as technician today) and
// "Job Pool" (unassigned jobs, most urgent and oldest first).
frappe.listview_settings["Service Job"] = {
	add_fields: ["status", "technician", "scheduled_start", "priority"],
	get_indicator(doc) {
		const colours = {
			New: "orange",
			Scheduled: "blue",
			Dispatched: "purple",
			"In Progress": "yellow",
			"On Hold": "red",
			Completed: "green",
			Cancelled: "gray",
		};
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
	onload(listview) {
		const apply = (filters, sort) =>
			listview.filter_area.clear(false).then(() => {
				if (sort) listview.sort_selector.set_value(sort[0], sort[1]);
				return listview.filter_area.add(filters);
			});
		listview.page.add_inner_button(__("My Jobs Today"), () => {
			const today = frappe.datetime.get_today();
			apply(
				[
					["Service Job", "technician_user", "=", frappe.session.user],
					["Service Job", "scheduled_start", "<", frappe.datetime.add_days(today, 1)],
					["Service Job", "scheduled_end", ">=", today],
					["Service Job", "status", "!=", "Cancelled"],
				],
				["scheduled_start", "asc"]
			);
		});
		listview.page.add_inner_button(__("Job Pool"), () =>
			apply([["Service Job", "status", "=", "New"]], ["priority_rank", "asc"])
		);
		listview.page.add_inner_button(__("Dispatch Board"), () => frappe.set_route("dispatch-board"));
	},
};
