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
		if (frm.is_new()) return;
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
		if (!frm.doc.customer) return;
		frappe.db
			.get_list("Address", {
				filters: [["Dynamic Link", "link_doctype", "=", "Customer"], ["Dynamic Link", "link_name", "=", frm.doc.customer]],
				fields: ["name", "is_primary_address", "is_shipping_address"],
				limit: 20,
			})
			.then((addresses) => {
				const chosen = addresses.find((a) => a.is_shipping_address) || addresses.find((a) => a.is_primary_address) || addresses[0];
				if (chosen && !frm.doc.site_address) frm.set_value("site_address", chosen.name);
			});
		frappe.db
			.get_list("Service Job", {
				filters: { customer: frm.doc.customer, status: ["not in", ["Completed", "Cancelled"]] },
				fields: ["name", "job_type", "status", "scheduled_start"],
				limit: 10,
			})
			.then((open) => {
				const others = open.filter((j) => j.name !== frm.doc.name);
				if (!others.length) return frm.dashboard.clear_headline();
				frm.dashboard.set_headline(
					__("Open jobs of this customer: {0}", [
						others.map((j) => `<a href="/app/service-job/${encodeURIComponent(j.name)}">${frappe.utils.escape_html(j.name)}</a> (${__(j.status)})`).join(", "),
					])
				);
			});
	},
});
