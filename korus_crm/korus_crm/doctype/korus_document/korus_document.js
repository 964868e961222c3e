// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// A text document: choosing a template fills in the text from the template and the linked record
// (korus_crm.office.documents.render_document); Print and PDF use the "Korus Document" format.
const KORUS_LINKABLE = ["Lead", "Opportunity", "Customer", "Contract Order"];

frappe.ui.form.on("Korus Document", {
	setup(frm) {
		frm.set_query("reference_doctype", () => ({ filters: { name: ["in", KORUS_LINKABLE] } }));
		frm.set_query("template", () => ({
			filters: [
				["enabled", "=", 1],
				["reference_doctype", "in", [frm.doc.reference_doctype || "", ""]],
			],
		}));
	},

	refresh(frm) {
		frm.korus_reference_doctype = frm.doc.reference_doctype;
		if (frm.doc.reference_doctype && frm.doc.reference_name) {
			frm.add_custom_button(__("Open {0}", [__(frm.doc.reference_doctype)]), () =>
				frappe.set_route("Form", frm.doc.reference_doctype, frm.doc.reference_name)
			);
		}
		if (!frm.is_new()) {
			frm.add_custom_button(__("Download PDF"), () => {
				const args = new URLSearchParams({
					doctype: frm.doctype,
					name: frm.doc.name,
					format: "Korus Document",
					no_letterhead: 1,
					_lang: frappe.boot.lang || "en",
				});
				window.open(`/api/method/frappe.utils.print_format.download_pdf?${args}`);
			});
		}
	},

	reference_doctype(frm) {
		// a name of the previous kind of record means nothing for the new one (a new document made
		// from a record's form comes with both set: nothing to clear)
		if (frm.korus_reference_doctype !== undefined && frm.korus_reference_doctype !== frm.doc.reference_doctype) {
			frm.set_value("reference_name", null);
		}
		frm.korus_reference_doctype = frm.doc.reference_doctype;
	},

	template(frm) {
		frm.events.fill_in(frm);
	},

	reference_name(frm) {
		if (frm.doc.template && !frm.doc.content) {
			frm.events.fill_in(frm);
		}
	},

	fill_in(frm) {
		if (!frm.doc.template) return;
		const fill = () =>
			frappe
				.xcall("korus_crm.office.documents.render_document", {
					template: frm.doc.template,
					reference_doctype: frm.doc.reference_doctype || null,
					reference_name: frm.doc.reference_name || null,
				})
				.then((html) => frm.set_value("content", html));
		const has_text = $("<div>").html(frm.doc.content || "").text().trim();
		if (has_text) {
			frappe.confirm(__("Replace the text with the template?"), fill);
		} else {
			fill();
		}
	},
});
