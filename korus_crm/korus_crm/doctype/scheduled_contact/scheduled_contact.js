// Korus CRM: a scheduled contact; "Mark Done" while it is open. The contact and the deal are chosen
// among the customer's.
frappe.ui.form.on("Scheduled Contact", {
	setup(frm) {
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer || "" },
		}));
		frm.set_query("deal", () => ({
			filters: { opportunity_from: "Customer", party_name: frm.doc.customer || "" },
		}));
	},
	refresh(frm) {
		if (!frm.is_new() && frm.doc.status === "Open") {
			frm.add_custom_button(__("Mark Done"), () =>
				frappe
					.call("korus_crm.customers.scheduled_contacts.mark_done", { name: frm.doc.name })
					.then(() => frm.reload_doc())
			);
		}
	},
});
