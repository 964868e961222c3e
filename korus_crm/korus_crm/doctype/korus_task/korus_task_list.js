// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// Korus Tasks: status and priority indicators, and the four views (seed 004 任务): my tasks, tasks I
// assigned, my subordinates' tasks and overdue tasks, each a set of list filters (open tasks only;
// remove the filters to see the others). Every view reads through the task's permissions.
(() => {
	const OPEN = ["Open", "Working"];
	const STATUS_COLORS = { Open: "orange", Working: "blue", Completed: "green", Cancelled: "gray" };
	const PRIORITY_COLORS = { Low: "gray", Medium: "blue", High: "orange", Urgent: "red" };

	const is_overdue = (doc) =>
		OPEN.includes(doc.status) && doc.due_at && doc.due_at < frappe.datetime.now_datetime();

	let views = null;
	const load_views = () => {
		views = views || frappe.xcall("korus_crm.tasks.api.get_task_views");
		return views;
	};

	const filters_of = (view, data) => {
		const open = ["Korus Task", "status", "in", OPEN];
		if (view === "mine") {
			return [["Korus Task Assignee", "open_assignee", "=", data.user]];
		}
		if (view === "assigned_by_me") {
			return [["Korus Task", "assigned_by", "=", data.user], open];
		}
		if (view === "subordinates") {
			return [["Korus Task Assignee", "open_assignee", "in", data.subordinates]];
		}
		return [open, ["Korus Task", "due_at", "<", frappe.datetime.now_datetime()]];
	};

	const show = (listview, view) =>
		load_views().then((data) => {
			if (view === "subordinates" && !data.subordinates.length) {
				frappe.show_alert({ message: __("Nobody reports to you."), indicator: "orange" });
				return;
			}
			return listview.filter_area
				.clear(false)
				.then(() => listview.filter_area.add(filters_of(view, data)));
		});

	frappe.listview_settings["Korus Task"] = {
		add_fields: ["status", "priority", "due_at", "start_at", "assigned_to", "user_group", "assigned_by"],
		filters: [["status", "in", OPEN]],
		get_indicator(doc) {
			if (is_overdue(doc)) {
				return [__("Overdue"), "red", `status,in,${OPEN.join(",")}`];
			}
			return [__(doc.status), STATUS_COLORS[doc.status] || "gray", `status,=,${doc.status}`];
		},
		formatters: {
			priority(value) {
				if (!value) return "";
				const color = PRIORITY_COLORS[value] || "gray";
				return `<span class="indicator-pill ${color} filterable" data-filter="priority,=,${value}">${__(value)}</span>`;
			},
			assigned_to(value, df, doc) {
				if (!value && doc.user_group) return frappe.utils.escape_html(doc.user_group);
				return value ? frappe.utils.escape_html(frappe.user.full_name(value)) : "";
			},
		},
		onload(listview) {
			const group = __("View");
			listview.page.add_inner_button(__("My Tasks"), () => show(listview, "mine"), group);
			listview.page.add_inner_button(__("Assigned by Me"), () => show(listview, "assigned_by_me"), group);
			listview.page.add_inner_button(__("My Subordinates' Tasks"), () => show(listview, "subordinates"), group);
			listview.page.add_inner_button(__("Overdue"), () => show(listview, "overdue"), group);
		},
	};
})();
