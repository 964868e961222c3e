// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Contract Order", {
	setup(frm) {
		frm.set_query("tax_policy", () => ({ filters: { company: frm.doc.company } }));
		frm.set_query("contact_person", () => ({ query: "frappe.contacts.doctype.contact.contact.contact_query", filters: { link_doctype: "Customer", link_name: frm.doc.customer } }));
	},
	refresh(frm) {
		const f = (frm.doc.__onload || {}).fulfilment;
		const $w = frm.fields_dict.fulfilment_html.$wrapper;
		if (!f || !f.sales_order) return $w.empty();
		// amounts the user may not read (invoices, payments) come as null: shown as hidden
		const money = (v) => (v === null || v === undefined ? `<span class="text-muted">${__("Not permitted")}</span>` : format_currency(v, f.currency));
		$w.html(`<table class="table table-bordered">
			<tr><th>${__("Delivered")}</th><td>${flt(f.per_delivered, 2)}%</td></tr>
			<tr><th>${__("Billed")}</th><td>${flt(f.per_billed, 2)}%</td></tr>
			<tr><th>${__("Invoiced")}</th><td>${money(f.invoiced)}</td></tr>
			<tr><th>${__("Received")}</th><td>${money(f.received)}</td></tr>
			<tr><th>${__("Outstanding")}</th><td>${money(f.outstanding)}</td></tr></table>`);
		if (frm.doc.docstatus === 1 && f.per_delivered < 100) {
			frm.add_custom_button(__("Delivery Note"), () =>
				frappe.model.open_mapped_doc({ method: "erpnext.selling.doctype.sales_order.sales_order.make_delivery_note", source_name: frm.doc.sales_order })
			, __("Create"));
		}
		if (frm.doc.docstatus === 1 && frm.doc.sales_invoice && f.outstanding !== null && f.outstanding > 0) {
			frm.add_custom_button(__("Payment"), () =>
				frappe.xcall("erpnext.accounts.doctype.payment_entry.payment_entry.get_payment_entry", { dt: "Sales Invoice", dn: frm.doc.sales_invoice }).then((doc) => {
					frappe.model.sync(doc);
					frappe.set_route("Form", doc.doctype, doc.name);
				})
			, __("Create"));
		}
	},
});
