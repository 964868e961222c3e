// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Korus Announcement", {
	refresh(frm) {
		const onload = frm.doc.__onload || {};
		if (frm.is_new()) {
			frm.set_intro(
				__("Save it as a draft, then Publish: it goes out on its publish date, and its audience is notified once."),
				"blue"
			);
			return;
		}
		korus_announcement_intro(frm);
		if (frm.perm[0] && frm.perm[0].write) {
			if (frm.doc.status === "Draft") {
				frm.add_custom_button(__("Publish"), () => korus_announcement_call(frm, "publish")).addClass(
					"btn-primary"
				);
			} else {
				frm.add_custom_button(__("Back to Draft"), () =>
					frappe.confirm(
						__("Take the announcement back to draft? Its audience no longer sees it."),
						() => korus_announcement_call(frm, "unpublish")
					)
				);
			}
		}
		if (frm.doc.status === "Published" && !onload.read_on) {
			frappe
				.xcall("korus_crm.office.announcements.mark_read", { name: frm.doc.name })
				.then((r) => (onload.read_on = r.read_on));
		}
		if (onload.may_see_readers && frm.doc.notified_on) {
			korus_announcement_readers(frm);
		}
	},
});

function korus_announcement_intro(frm) {
	if (frm.doc.status === "Scheduled") {
		frm.set_intro(
			__("Scheduled: published and notified on {0}.", [frappe.datetime.str_to_user(frm.doc.publish_on)]),
			"orange"
		);
	} else if (
		frm.doc.status === "Published" &&
		frm.doc.expires_on &&
		frm.doc.expires_on <= frappe.datetime.now_datetime()
	) {
		frm.set_intro(__("Expired: the workspace no longer shows it."), "gray");
	}
}

function korus_announcement_call(frm, method) {
	frappe
		.xcall(`korus_crm.office.announcements.${method}`, { name: frm.doc.name })
		.then(() => frm.reload_doc());
}

function korus_announcement_readers(frm) {
	frappe
		.xcall("korus_crm.office.announcements.read_receipts", { name: frm.doc.name, page_length: 100 })
		.then((data) => {
			frm.dashboard.add_indicator(
				__("Read by {0} of {1}", [data.read, data.audience]),
				data.read >= data.audience ? "green" : "blue"
			);
			const rows = (data.readers || [])
				.map(
					(r) => `<tr><td>${frappe.utils.escape_html(r.full_name || r.user)}</td>
						<td class="text-muted">${frappe.datetime.str_to_user(r.read_on)}</td></tr>`
				)
				.join("");
			const more =
				data.read > (data.readers || []).length
					? `<a href="/app/korus-announcement-read?announcement=${encodeURIComponent(
							frm.doc.name
					  )}">${__("All {0} readers", [data.read])}</a>`
					: "";
			frm.get_field("read_by_html").$wrapper.html(
				rows
					? `<table class="table table-sm"><tbody>${rows}</tbody></table>${more}`
					: `<p class="text-muted">${__("Nobody has read it yet.")}</p>`
			);
		});
}
