// The category tree (/app/knowledge-category/view/tree): top-level categories under "All Categories".
frappe.treeview_settings["Knowledge Category"] = {
	breadcrumb: "Korus CRM",
	title: __("Knowledge Categories"),
	get_tree_root: false,
	root_label: __("All Categories"),
	get_tree_nodes: "korus_crm.office.knowledge.get_category_children",
	add_tree_node: "korus_crm.office.knowledge.add_category",
	ignore_fields: ["parent_knowledge_category"],
	fields: [
		{ fieldtype: "Data", fieldname: "category_name", label: __("Category Name"), reqd: true },
		{ fieldtype: "Check", fieldname: "is_group", label: __("Is Group"), description: __("A group can hold other categories.") },
	],
	onload(treeview) {
		treeview.make_tree();
	},
	toolbar: [
		{
			label: __("Articles"),
			condition: (node) => !node.is_root,
			click: (node) => frappe.set_route("knowledge-base", { category: node.data.value }),
			btnClass: "hidden-xs",
		},
	],
	extend_toolbar: true,
};
