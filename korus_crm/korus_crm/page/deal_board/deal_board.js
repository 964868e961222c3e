// The Deal Board: one pipeline's deals by stage (/app/deal-board/<pipeline>).
frappe.pages["deal-board"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Deal Board"), single_column: true });
	const board = (wrapper.korus_board = new korus_crm.Board({ page, kind: "deal" }));
	board.pipeline_field = page.add_field({
		fieldname: "pipeline",
		fieldtype: "Link",
		options: "Deal Pipeline",
		label: __("Pipeline"),
		get_query: () => ({ filters: { is_active: 1 } }),
		change() {
			const pipeline = board.pipeline_field.get_value();
			if (pipeline && pipeline !== (board.args || {}).pipeline) frappe.set_route("deal-board", pipeline);
		},
	});
	// labels (Frappe's tags): only the deals that carry the chosen one
	board.label_field = page.add_field({
		fieldname: "label",
		fieldtype: "Link",
		options: "Tag",
		label: __("Label"),
		change() {
			const label = board.label_field.get_value() || "";
			if (label !== ((board.args || {}).label || "")) board.load({ label });
		},
	});
	page.set_primary_action(__("New Deal"), () =>
		frappe.new_doc("Opportunity", { deal_pipeline: (board.args || {}).pipeline })
	);
};

frappe.pages["deal-board"].on_page_show = function (wrapper) {
	const board = wrapper.korus_board;
	const pipeline = frappe.get_route()[1];
	if (pipeline) {
		board.pipeline_field.set_value(pipeline);
		board.load({ pipeline });
		return;
	}
	frappe.db.get_value("Deal Pipeline", { is_default: 1 }, "name").then((r) => {
		const name = r && r.message && r.message.name;
		if (name) frappe.set_route("deal-board", name);
	});
};
