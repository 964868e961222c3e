// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// Korus Tasks in the calendar (/app/korus-task/view/calendar): each task from its start (or its due
// time) to its due time; the list's filters (and views) apply; overdue tasks red, done ones green.
frappe.views.calendar["Korus Task"] = {
	field_map: {
		start: "start_at",
		end: "due_at",
		id: "name",
		title: "subject",
		status: "status",
	},
	get_css_class(event) {
		if (event.overdue) return "danger";
		if (event.status === "Completed") return "success";
		if (event.status === "Cancelled") return "gray";
		return event.priority === "Urgent" || event.priority === "High" ? "warning" : "default";
	},
	get_events_method: "korus_crm.tasks.api.get_calendar_events",
};
