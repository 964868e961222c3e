// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Price Offer", {
	setup(frm) {
		frm.set_query("tax_policy", () => ({ filters: { company: frm.doc.company } }));
		frm.set_query("selling_price_list", () => ({ filters: { selling: 1 } }));
	},
	refresh(frm) {
		render_changes(frm);
		if (frm.doc.docstatus !== 1) return;
		const call = (method, args = {}) =>
			frappe.xcall(`korus_crm.api.offers.${method}`, { offer: frm.doc.name, ...args }).then((r) => {
				if (typeof r === "string") frappe.set_route("Form", "Price Offer", r);
				else frm.reload_doc();
			});
		if (["Approved", "Sent"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Send to Customer"), () =>
				frappe.prompt(
					{ fieldname: "recipients", fieldtype: "Data", label: __("To"), default: frm.doc.contact_email, reqd: 1 },
					({ recipients }) => call("send_price_offer", { recipients })
				)
			);
			frm.add_custom_button(__("Make Revision"), () => call("make_revision"));
		}
		if (frm.doc.status === "Sent") {
			frm.add_custom_button(__("Accepted"), () => call("accept_price_offer"), __("Customer"));
			frm.add_custom_button(__("Rejected"), () => call("reject_price_offer"), __("Customer"));
		}
	},
});

function render_changes(frm) {
	const changes = (frm.doc.__onload || {}).changes;
	const $wrapper = frm.fields_dict.changes_html.$wrapper;
	if (!frm.doc.amended_from || !changes) return $wrapper.empty();
	if (!changes.length) return $wrapper.html(`<p class="text-muted">${__("No changes since {0}.", [frm.doc.amended_from])}</p>`);
	const rows = changes
		.map((c) => `<tr><td>${__(c.what)}</td><td>${frappe.utils.escape_html(c.subject)}</td><td>${frappe.utils.escape_html(String(c.old ?? ""))}</td><td>${frappe.utils.escape_html(String(c.new ?? ""))}</td></tr>`)
		.join("");
	$wrapper.html(
		`<p>${__("Changes since {0}", [frm.doc.amended_from])}</p><table class="table table-bordered"><tr><th>${__("Change")}</th><th>${__("What")}</th><th>${__("Before")}</th><th>${__("After")}</th></tr>${rows}</table>`
	);
}
