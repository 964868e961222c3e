// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// Korus Tasks on the forms of the records a task can be about (lead, deal, customer, contract order,
// price offer, sales order): a "Tasks" group with "New Task" (about this record) and the record's
// tasks with their count (those the user may read). Loaded with each of these forms (hooks.py
// doctype_js); the handlers are registered once.
(() => {
	if (frappe.korus_task_links_loaded) return;
	frappe.korus_task_links_loaded = true;
	const DOCTYPES = ["Lead", "Opportunity", "Customer", "Contract Order", "Price Offer", "Sales Order"];

	const refresh = (frm) => {
		if (frm.is_new() || !frappe.model.can_read("Korus Task")) return;
		const group = __("Tasks");
		const about = { reference_type: frm.doctype, reference_name: frm.doc.name };
		if (frappe.model.can_create("Korus Task")) {
			frm.add_custom_button(__("New Task"), () => frappe.new_doc("Korus Task", about), group);
		}
		frappe.xcall("korus_crm.tasks.api.get_tasks_summary", about).then((summary) => {
			if (!summary || !summary.can_read || frm.doc.name !== about.reference_name) return;
			frm.add_custom_button(
				__("View Tasks ({0} open of {1})", [summary.open, summary.total]),
				() => frappe.set_route("List", "Korus Task", about),
				group
			);
		});
	};

	DOCTYPES.forEach((doctype) => frappe.ui.form.on(doctype, { refresh }));
})();
