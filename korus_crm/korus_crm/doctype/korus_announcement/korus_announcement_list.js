// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Korus Announcement"] = {
	add_fields: ["status", "publish_on", "expires_on", "pinned"],
	get_indicator(doc) {
		if (doc.status === "Draft") {
			return [__("Draft"), "gray", "status,=,Draft"];
		}
		if (doc.status === "Scheduled") {
			return [__("Scheduled"), "orange", "status,=,Scheduled"];
		}
		const now = frappe.datetime.now_datetime();
		if (doc.expires_on && doc.expires_on <= now) {
			return [__("Expired"), "gray", `expires_on,<=,${now}`];
		}
		if (doc.pinned) {
			return [__("Pinned"), "blue", "pinned,=,1"];
		}
		return [__("Published"), "green", "status,=,Published"];
	},
	refresh(listview) {
		// an announcement the user has not read yet is bold
		const names = (listview.data || []).filter((d) => d.status === "Published").map((d) => d.name);
		if (!names.length) return;
		frappe.xcall("korus_crm.office.announcements.unread_among", { names }).then((unread) => {
			korus_mark_unread_rows(listview, unread);
		});
	},
};

function korus_mark_unread_rows(listview, unread) {
	const set = new Set(unread || []);
	listview.$result.find(".list-row-container").each(function () {
		const name = $(this).find(".list-row-checkbox").attr("data-name");
		$(this).find(".list-subject").toggleClass("bold", set.has(name));
	});
}
