// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// The views of seed 004 审批: all, created by me, by my subordinates, in approval, approved, awaiting
// me (each a filter from the server: korus_crm.requests.views), over what the user may read.
const KORUS_REQUEST_VIEWS = ["All", "Created by Me", "My Subordinates", "In Approval", "Approved", "Awaiting Me"];

frappe.listview_settings["Approval Request"] = {
	add_fields: ["status", "form_kind", "current_step"],
	get_indicator(doc) {
		const colour = { Draft: "gray", Pending: "orange", Approved: "green", Rejected: "red", Cancelled: "darkgrey" }[doc.status];
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
	onload(listview) {
		const show = (view) => {
			frappe.xcall("korus_crm.requests.views.get_view_filters", { view }).then((filters) => {
				listview.filter_area.clear(false).then(() => {
					if (filters.length) listview.filter_area.add(filters);
					else listview.refresh();
				});
				listview.page.set_title(view === "All" ? __("Approval Request") : __(view));
			});
		};
		KORUS_REQUEST_VIEWS.forEach((view) => listview.page.add_inner_button(__(view), () => show(view), __("View")));
	},
};
