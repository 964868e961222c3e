// Pro forma invoice (docs/invoices.md): on a saved Sales Order or Contract Order, "Pro Forma Invoice"
// gives the document its pro forma number (once; kept afterwards) and opens Korus's print format.
// Loaded with both forms: it registers each doctype's handler once.
(() => {
	const formats = {
		"Sales Order": "Korus Pro Forma Invoice",
		"Contract Order": "Korus Pro Forma Contract Order",
	};
	const registered = (window.korus_proforma_registered = window.korus_proforma_registered || {});

	function add_button(frm) {
		if (frm.is_new() || frm.doc.docstatus === 2) return;
		frm.add_custom_button(
			__("Pro Forma Invoice"),
			() =>
				frappe
					.xcall("korus_crm.invoices.proforma.assign_proforma_number", {
						doctype: frm.doctype,
						name: frm.doc.name,
					})
					.then((number) => {
						frm.doc.korus_proforma_number = number;
						frm.refresh_field("korus_proforma_number");
						const params = new URLSearchParams({
							doctype: frm.doctype,
							name: frm.doc.name,
							format: formats[frm.doctype],
						});
						window.open(`/printview?${params.toString()}`);
					}),
			__("Print")
		);
	}

	for (const doctype of Object.keys(formats)) {
		if (registered[doctype]) continue;
		registered[doctype] = true;
		frappe.ui.form.on(doctype, { refresh: add_button });
	}
})();
