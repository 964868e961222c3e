// Korus CRM: a follow-up; the contact and the deal are chosen among the customer's.
frappe.ui.form.on("Customer Follow-up", {
	setup(frm) {
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer || "" },
		}));
		frm.set_query("deal", () => ({
			filters: { opportunity_from: "Customer", party_name: frm.doc.customer || "" },
		}));
	},
});
