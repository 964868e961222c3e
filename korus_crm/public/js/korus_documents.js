// The "Documents" view of a lead, deal, customer or contract order: its text documents (Korus
// Document) and the files attached to it and to those documents, as the user may read them
// (korus_crm.office.documents.get_record_documents); new document, file upload, the File manager.
frappe.provide("korus_crm.documents");

korus_crm.documents.DOCTYPES = ["Lead", "Opportunity", "Customer", "Contract Order"];

korus_crm.documents.show = function (frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Documents of {0}", [frm.doc.title || frm.doc.name]),
		size: "large",
		fields: [{ fieldtype: "HTML", fieldname: "body" }],
	});
	const esc = frappe.utils.escape_html;
	const load = () =>
		frappe
			.xcall("korus_crm.office.documents.get_record_documents", { doctype: frm.doctype, name: frm.doc.name })
			.then((data) => {
				const documents = data.documents.length
					? data.documents
							.map(
								(d) => `<tr>
									<td><a href="/app/korus-document/${encodeURIComponent(d.name)}">${esc(d.title || d.name)}</a></td>
									<td class="text-muted">${esc(d.template || "")}</td>
									<td class="text-muted">${esc(frappe.user.full_name(d.owner))}</td>
									<td class="text-muted">${frappe.datetime.comment_when(d.modified)}</td>
								</tr>`
							)
							.join("")
					: `<tr><td colspan="4" class="text-muted">${__("No documents yet.")}</td></tr>`;
				const files = data.files.length
					? data.files
							.map(
								(f) => `<tr>
									<td><a href="${encodeURI(f.file_url || "")}" target="_blank" rel="noopener">${esc(f.file_name || f.name)}</a></td>
									<td class="text-muted">${f.attached_to_doctype === "Korus Document" ? esc(__("Document {0}", [f.attached_to_name])) : ""}</td>
									<td class="text-muted">${esc(frappe.form.formatters.FileSize ? frappe.form.formatters.FileSize(f.file_size) : String(f.file_size || ""))}</td>
									<td class="text-muted">${frappe.datetime.comment_when(f.creation)}</td>
								</tr>`
							)
							.join("")
					: `<tr><td colspan="4" class="text-muted">${__("No files yet.")}</td></tr>`;
				dialog.fields_dict.body.$wrapper.html(`
					<div class="korus-record-documents">
						<h5>${__("Documents")}</h5>
						<table class="table table-sm"><tbody>${documents}</tbody></table>
						<h5>${__("Files")}</h5>
						<table class="table table-sm"><tbody>${files}</tbody></table>
						${data.folder ? `<p class="small"><a href="/app/file/view/home/${data.folder.split("/").slice(1).map(encodeURIComponent).join("/")}">${__("Open the folder in the File manager")}</a></p>` : ""}
					</div>`);
				dialog.set_primary_action(__("New Document"), () => {
					dialog.hide();
					frappe.new_doc("Korus Document", {
						reference_doctype: frm.doctype,
						reference_name: frm.doc.name,
					});
				});
				dialog.set_secondary_action_label(__("Upload File"));
				dialog.set_secondary_action(() => {
					new frappe.ui.FileUploader({
						doctype: frm.doctype,
						docname: frm.doc.name,
						on_success: () => {
							frm.reload_doc && frm.reload_doc();
							load();
						},
					});
				});
				if (!data.can_create) {
					dialog.get_primary_btn().addClass("hidden");
				}
			});
	load().then(() => dialog.show());
};

korus_crm.documents.DOCTYPES.forEach((doctype) => {
	frappe.ui.form.on(doctype, {
		refresh(frm) {
			if (!frm.is_new()) {
				frm.add_custom_button(__("Documents"), () => korus_crm.documents.show(frm));
			}
		},
	});
});
