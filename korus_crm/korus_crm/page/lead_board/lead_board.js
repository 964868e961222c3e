// The Lead Board: leads by status (the statuses that are not final), /app/lead-board.
frappe.pages["lead-board"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Lead Board"), single_column: true });
	wrapper.korus_board = new korus_crm.Board({ page, kind: "lead" });
	page.set_primary_action(__("New Lead"), () => frappe.new_doc("Lead"));
};

frappe.pages["lead-board"].on_page_show = function (wrapper) {
	wrapper.korus_board.load();
};
