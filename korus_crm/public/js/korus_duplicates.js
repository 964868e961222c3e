// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// Duplicate detection on the Lead and Customer forms (korus_crm.customers.duplicates): before a new
// record is saved, the leads and customers with the same email, phone or name are shown, with
// "Save Anyway"; a saved record shows "Possible Duplicates", where managers merge it into another
// (Frappe's rename-merge). Loaded with each of these forms (hooks.py doctype_js).
(() => {
	if (frappe.korus_duplicates_loaded) return;
	frappe.korus_duplicates_loaded = true;
	const MERGE_ROLES = ["Sales Manager", "System Manager", "Korus Administrator"];
	const KEYS = { email: __("Email"), phone: __("Phone"), name: __("Name") };

	const find = (frm) =>
		frappe.xcall("korus_crm.customers.duplicates.find_duplicates", {
			doctype: frm.doctype,
			values: frm.doc,
		});

	const can_merge = (frm) =>
		!frm.is_new() && MERGE_ROLES.some((role) => frappe.user.has_role(role));

	const rows_html = (frm, result) => {
		const esc = frappe.utils.escape_html;
		const rows = result.matches
			.map((m) => {
				const merge =
					can_merge(frm) && m.doctype === frm.doctype
						? `<button class="btn btn-xs btn-default" data-merge="${esc(m.name)}">${__("Merge Into This")}</button>`
						: "";
				return `<tr><td>${__(m.doctype)}</td>
					<td><a href="/app/${frappe.router.slug(m.doctype)}/${encodeURIComponent(m.name)}" target="_blank">${esc(m.title || m.name)}</a></td>
					<td>${m.matched_on.map((k) => KEYS[k] || k).join(", ")}</td><td>${merge}</td></tr>`;
			})
			.join("");
		const hidden = result.hidden
			? `<p class="text-muted">${__("{0} more that you may not open.", [result.hidden])}</p>`
			: "";
		return `<table class="table table-bordered korus-duplicates"><thead><tr><th>${__("Type")}</th>
			<th>${__("Record")}</th><th>${__("Same")}</th><th></th></tr></thead><tbody>${rows}</tbody></table>${hidden}`;
	};

	const show = (frm, result, on_save_anyway) => {
		const dialog = new frappe.ui.Dialog({
			title: __("Possible Duplicates"),
			fields: [{ fieldtype: "HTML", fieldname: "matches" }],
			primary_action_label: on_save_anyway ? __("Save Anyway") : __("Close"),
			primary_action: () => {
				dialog.hide();
				on_save_anyway && on_save_anyway();
			},
		});
		dialog.fields_dict.matches.$wrapper.html(rows_html(frm, result));
		dialog.fields_dict.matches.$wrapper.on("click", "[data-merge]", (e) => {
			const target = $(e.currentTarget).attr("data-merge");
			frappe.confirm(__("Merge {0} into {1}? {0} will be gone and its links will point to {1}.", [frm.doc.name, target]), () =>
				frappe
					.xcall("korus_crm.customers.duplicates.merge", { doctype: frm.doctype, source: frm.doc.name, target })
					.then((r) => {
						dialog.hide();
						frappe.show_alert({ message: r.message, indicator: "green" });
						frappe.set_route("Form", frm.doctype, r.name);
					})
			);
		});
		dialog.show();
	};

	const handlers = {
		before_save(frm) {
			if (!frm.is_new() || frm.korus_skip_duplicates) return;
			return find(frm).then((result) => {
				if (!result.matches.length) return;
				frappe.validated = false;
				show(frm, result, () => {
					frm.korus_skip_duplicates = true;
					frm.save().finally(() => (frm.korus_skip_duplicates = false));
				});
			});
		},
		refresh(frm) {
			if (frm.is_new()) return;
			const name = frm.doc.name;
			find(frm).then((result) => {
				if (!result.matches.length || frm.doc.name !== name) return;
				frm.add_custom_button(
					__("Possible Duplicates ({0})", [result.matches.length]),
					() => show(frm, result),
					__("Actions")
				);
			});
		},
	};
	["Lead", "Customer"].forEach((doctype) => frappe.ui.form.on(doctype, handlers));
})();
