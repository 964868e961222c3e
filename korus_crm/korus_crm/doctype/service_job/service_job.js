// Korus CRM: a service job (seed 000 Job Entry). The contact and site address are chosen among the
// customer's (its primary address filled in); the source among the kinds a job comes from; the
// technician among the active ones. The status moves by the buttons (korus_crm.field_service.dispatch
// .set_status), so the job's rules apply; the customer's open jobs are shown on a new job.
frappe.ui.form.on("Service Job", {
	setup(frm) {
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer || "" },
		}));
		frm.set_query("site_address", () => ({
			query: "frappe.contacts.doctype.address.address.address_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer || "" },
		}));
		frm.set_query("source_doctype", () => ({
			filters: { name: ["in", ["Opportunity", "Contract Order", "Issue", "Maintenance Schedule"]] },
		}));
		frm.set_query("maintenance_schedule_detail", () => ({
			filters: { parent: frm.doc.source_name || "" },
		}));
		frm.set_query("technician", () => ({ filters: { active: 1 } }));
		frm.set_query("technician", "helpers", () => ({ filters: { active: 1 } }));
		frm.set_query("job_type", () => ({ filters: { enabled: 1 } }));
	},

	refresh(frm) {
		if (frm.is_new()) {
			frm.add_custom_button(__("Find Customer"), () => korus_crm_find_customer(frm));
			if (frm.doc.customer) frm.trigger("customer");
			return;
		}
		const to = (status, label, group) =>
			frm.add_custom_button(
				label,
				() =>
					frappe
						.xcall("korus_crm.field_service.dispatch.set_status", { job: frm.doc.name, status })
						.then(() => frm.reload_doc()),
				group
			);
		const status = frm.doc.status;
		if (status === "Scheduled") to("Dispatched", __("Dispatch"));
		if (["Scheduled", "Dispatched", "On Hold"].includes(status) && frm.doc.technician) to("In Progress", __("Start Work"));
		if (status === "In Progress") {
			to("Completed", __("Complete"));
			to("On Hold", __("Put On Hold"));
		}
		if (["New", "Scheduled", "Dispatched", "On Hold"].includes(status)) to("Cancelled", __("Cancel Job"), __("Status"));
		if (["Scheduled", "Dispatched", "On Hold"].includes(status)) {
			frm.add_custom_button(
				__("Back to Pool"),
				() =>
					frappe
						.xcall("korus_crm.field_service.dispatch.unschedule_job", { job: frm.doc.name })
						.then(() => frm.reload_doc()),
				__("Status")
			);
		}
		frm.add_custom_button(__("Dispatch Board"), () => frappe.set_route("dispatch-board"));
	},

	customer(frm) {
		if (!frm.doc.customer) return frm.dashboard.clear_headline();
		frappe
			.xcall("korus_crm.field_service.jobs.job_entry", { customer: frm.doc.customer })
			.then((entry) => {
				if (entry.site_address && !frm.doc.site_address) frm.set_value("site_address", entry.site_address);
				if (entry.contact && !frm.doc.contact) frm.set_value("contact", entry.contact);
				const others = entry.open_jobs.filter((j) => j.name !== frm.doc.name);
				if (!others.length) return frm.dashboard.clear_headline();
				frm.dashboard.set_headline(
					__("Open jobs of this customer: {0}", [
						others
							.map(
								(j) =>
									`<a href="/app/service-job/${encodeURIComponent(j.name)}">${frappe.utils.escape_html(j.name)}</a> (${__(j.status)})`
							)
							.join(", "),
					])
				);
			});
	},
});

// Job entry: find the customer by name, phone or email (their contacts' too), or add a new one inline
// (ERPNext's Customer quick entry: name, email, phone and address in one dialog).
function korus_crm_find_customer(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Find Customer"),
		fields: [
			{ fieldname: "text", fieldtype: "Data", label: __("Name, phone or email"), reqd: 1 },
			{ fieldname: "results", fieldtype: "HTML" },
		],
		primary_action_label: __("New Customer"),
		primary_action({ text }) {
			dialog.hide();
			const value = (text || "").trim();
			const prefill = value.includes("@")
				? { email_id: value }
				: /^[+\d\s()-]+$/.test(value)
				? { mobile_no: value }
				: { customer_name: value };
			frappe.model.with_doctype("Customer", () => {
				const customer = Object.assign(frappe.model.get_new_doc("Customer", null, null, true), prefill);
				frappe.ui.form.make_quick_entry("Customer", (doc) => frm.set_value("customer", doc.name), null, customer);
			});
		},
	});
	const results = dialog.fields_dict.results.$wrapper;
	const search = frappe.utils.debounce((text) => {
		frappe.xcall("korus_crm.field_service.jobs.find_customers", { text }).then((rows) => {
			results.empty();
			if (!rows.length) return results.append(`<p class="text-muted">${__("No customer found.")}</p>`);
			rows.forEach((row) => {
				const detail = [row.mobile_no, row.email_id].filter(Boolean).map(frappe.utils.escape_html).join(" · ");
				$(`<a class="list-group-item list-group-item-action">
					<b>${frappe.utils.escape_html(row.customer_name || row.name)}</b>
					<span class="text-muted small"> ${detail}</span></a>`)
					.on("click", () => {
						dialog.hide();
						frm.set_value("customer", row.name).then(() => {
							if (row.contact && !frm.doc.contact) frm.set_value("contact", row.contact);
						});
					})
					.appendTo(results);
			});
		});
	}, 300);
	dialog.fields_dict.text.$input.on("input", (e) => {
		const text = e.target.value.trim();
		if (text.length >= 2) search(text);
	});
	dialog.show();
}
