// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Work Report"] = {
	add_fields: ["kind", "period_start", "period_end", "author", "docstatus"],
	get_indicator(doc) {
		if (doc.docstatus === 0) return [__("Draft"), "gray", "docstatus,=,0"];
		if (doc.docstatus === 2) return [__("Cancelled"), "red", "docstatus,=,2"];
		return [__("Submitted"), "blue", "docstatus,=,1"];
	},
	onload(listview) {
		const me = frappe.session.user;
		const show = (filters) => {
			listview.filter_area.clear(false).then(() => listview.filter_area.add(filters));
		};
		const group = __("Show");
		listview.page.add_inner_button(__("Mine"), () => show([["Work Report", "author", "=", me]]), group);
		listview.page.add_inner_button(
			__("To Me"),
			() => show([["Work Report Recipient", "user", "=", me]]),
			group
		);
		listview.page.add_inner_button(
			__("Unread"),
			() =>
				show([
					["Work Report Recipient", "user", "=", me],
					["Work Report Recipient", "is_read", "=", 0],
					["Work Report", "docstatus", "=", 1],
				]),
			group
		);
		listview.page.add_inner_button(
			__("My Subordinates' Reports"),
			() =>
				frappe.xcall("korus_crm.office.work_reports.my_subordinates").then((users) => {
					if (!users.length) {
						frappe.show_alert({ message: __("Nobody reports to you."), indicator: "orange" });
						return;
					}
					show([
						["Work Report", "author", "in", users],
						["Work Report", "docstatus", "=", 1],
					]);
				}),
			group
		);
	},
	refresh(listview) {
		// reports sent to the user and not read yet are bold, with an Unread pill
		const names = (listview.data || []).filter((d) => d.docstatus === 1).map((d) => d.name);
		if (!names.length) return;
		frappe.xcall("korus_crm.office.work_reports.unread_among", { names }).then((unread) => {
			const set = new Set(unread || []);
			listview.$result.find(".list-row-container").each(function () {
				const name = $(this).find(".list-row-checkbox").attr("data-name");
				const $subject = $(this).find(".list-subject");
				$subject.toggleClass("bold", set.has(name));
				$subject.find(".korus-unread").remove();
				if (set.has(name)) {
					// before the title, which the column may cut short
					$subject
						.find(".list-row-checkbox")
						.after(
							`<span class="korus-unread indicator-pill orange" style="margin-right: 6px">${__(
								"Unread"
							)}</span>`
						);
				}
			});
		});
	},
};
