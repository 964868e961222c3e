// Korus CRM additions to ERPNext's Lead form.
frappe.ui.form.on("Lead", {
	setup(frm) {
		frm.set_query("source", () => ({ filters: { is_active: 1 } }));
		frm.set_query("customer", () => ({ filters: { disabled: 0 } }));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Price Offer"), () =>
			frappe.model.open_mapped_doc({ method: "korus_crm.api.offers.make_price_offer_for", frm, args: { source_doctype: "Lead" } })
		, __("Korus"));
		const conversion = frm.doc.__onload && frm.doc.__onload.korus_conversion;
		if (conversion) {
			korus_crm.leads.show_conversion(frm, conversion);
			return;
		}
		frm.add_custom_button(__("Convert"), () => korus_crm.leads.convert_dialog(frm), __("Korus"));
	},
});

frappe.provide("korus_crm.leads");

// What the lead became: its customer, contact and deal, as links in the form's headline.
korus_crm.leads.show_conversion = function (frm, conversion) {
	const link = (doctype, name) =>
		name ? `<a href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${frappe.utils.escape_html(name)}</a>` : null;
	const parts = [
		conversion.customer && __("Customer {0}", [link("Customer", conversion.customer)]),
		conversion.contact && __("Contact {0}", [link("Contact", conversion.contact)]),
		conversion.deal && __("Deal {0}", [link("Opportunity", conversion.deal)]),
	].filter(Boolean);
	frm.dashboard.set_headline(
		__("Converted on {0}: {1}", [frappe.datetime.str_to_user(conversion.converted_on), parts.join(", ")]),
		"green"
	);
};

korus_crm.leads.convert_dialog = function (frm) {
	const lead = frm.doc;
	const dialog = new frappe.ui.Dialog({
		title: __("Convert Lead {0}", [lead.lead_name || lead.name]),
		fields: [
			{ fieldname: "customer_name", fieldtype: "Data", label: __("Contact Name"), default: lead.lead_name, reqd: 1 },
			{ fieldname: "customer_email", fieldtype: "Data", options: "Email", label: __("Email"), default: lead.email_id },
			{ fieldname: "customer_phone", fieldtype: "Data", options: "Phone", label: __("Phone"), default: lead.mobile_no || lead.phone },
			{ fieldtype: "Section Break", label: __("Company") },
			{
				fieldname: "company_option",
				fieldtype: "Select",
				label: __("Company"),
				options: [
					{ value: "none", label: __("None (an individual customer)") },
					{ value: "existing", label: __("An existing company") },
					{ value: "new", label: __("A new company") },
				],
				default: lead.company_name ? "new" : "none",
			},
			{
				fieldname: "company",
				fieldtype: "Link",
				options: "Customer",
				label: __("Existing Company"),
				depends_on: "eval:doc.company_option=='existing'",
				mandatory_depends_on: "eval:doc.company_option=='existing'",
				get_query: () => ({ filters: { customer_type: "Company", disabled: 0 } }),
			},
			{
				fieldname: "new_company_name",
				fieldtype: "Data",
				label: __("New Company Name"),
				default: lead.company_name,
				depends_on: "eval:doc.company_option=='new'",
				mandatory_depends_on: "eval:doc.company_option=='new'",
			},
			{ fieldtype: "Section Break", label: __("Deal") },
			{ fieldname: "create_deal", fieldtype: "Check", label: __("Create a deal") },
			{ fieldname: "deal_title", fieldtype: "Data", label: __("Title"), depends_on: "create_deal", default: lead.company_name || lead.lead_name },
			{ fieldname: "deal_value", fieldtype: "Currency", label: __("Value"), depends_on: "create_deal", default: lead.estimated_value },
			{ fieldname: "pipeline", fieldtype: "Link", options: "Deal Pipeline", label: __("Pipeline"), depends_on: "create_deal", get_query: () => ({ filters: { is_active: 1 } }) },
			{
				fieldname: "stage",
				fieldtype: "Link",
				options: "Deal Stage",
				label: __("Stage"),
				depends_on: "create_deal",
				get_query: () => ({ filters: { pipeline: dialog.get_value("pipeline") } }),
			},
			{ fieldname: "expected_close_date", fieldtype: "Date", label: __("Expected Close Date"), depends_on: "create_deal" },
		],
		primary_action_label: __("Convert"),
		primary_action(values) {
			frappe.xcall("korus_crm.api.leads.convert_lead", { lead: lead.name, ...values }).then((r) => {
				dialog.hide();
				frappe.show_alert({ message: __("Converted: customer {0}", [r.customer]), indicator: "green" });
				frm.reload_doc();
			});
		},
	});
	dialog.show();
};
