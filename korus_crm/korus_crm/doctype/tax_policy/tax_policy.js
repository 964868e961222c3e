// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Tax Policy", {
	setup(frm) {
		frm.set_query("account_head", "rates", () => ({
			filters: { company: frm.doc.company, is_group: 0, account_type: ["in", ["Tax", "Chargeable"]] },
		}));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Gross / Net Calculator"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Gross / Net at {0}", [frm.doc.policy_name]),
				fields: [
					{ fieldname: "amount", fieldtype: "Currency", label: __("Amount"), reqd: 1 },
					{
						fieldname: "direction",
						fieldtype: "Select",
						label: __("The amount is"),
						options: [
							{ value: "net_to_gross", label: __("Net (before tax)") },
							{ value: "gross_to_net", label: __("Gross (tax included)") },
						],
						default: "net_to_gross",
					},
					{ fieldname: "result", fieldtype: "HTML" },
				],
				primary_action_label: __("Convert"),
				primary_action({ amount, direction }) {
					frappe
						.xcall("korus_crm.korus_crm.doctype.tax_policy.tax_policy.convert", { tax_policy: frm.doc.name, amount, direction })
						.then((r) => {
							dialog.fields_dict.result.$wrapper.html(
								`<table class="table table-bordered"><tr><th>${__("Net")}</th><td>${format_currency(r.net)}</td></tr>` +
									`<tr><th>${__("Tax")}</th><td>${format_currency(r.tax)}</td></tr>` +
									`<tr><th>${__("Gross")}</th><td>${format_currency(r.gross)}</td></tr></table>`
							);
						});
				},
			});
			dialog.show();
		});
	},
});
