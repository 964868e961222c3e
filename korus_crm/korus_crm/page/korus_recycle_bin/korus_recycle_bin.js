// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// The Recycle Bin (/app/korus-recycle-bin, korus_crm.customers.recycle_bin): the binned customers
// and deals a manager may read, newest first, each with Restore and Delete Permanently; what stays
// longer than the days set in Korus CRM Settings is deleted by a daily job.
frappe.pages["korus-recycle-bin"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Recycle Bin"), single_column: true });
	wrapper.recycle_bin = new korus_crm.RecycleBin(page);
};

frappe.pages["korus-recycle-bin"].on_page_show = function (wrapper) {
	wrapper.recycle_bin.load();
};

frappe.provide("korus_crm");

korus_crm.RecycleBin = class RecycleBin {
	constructor(page) {
		this.page = page;
		this.page_length = 50;
		this.doctype_field = page.add_field({
			fieldname: "doctype",
			label: __("Type"),
			fieldtype: "Select",
			options: [
				{ value: "Customer", label: __("Customers") },
				{ value: "Opportunity", label: __("Deals") },
			],
			default: "Customer",
			change: () => this.load(),
		});
		this.search_field = page.add_field({
			fieldname: "search",
			label: __("Search"),
			fieldtype: "Data",
			change: () => this.load(),
		});
		page.set_secondary_action(__("Refresh"), () => this.load());
		this.$body = $(`<div class="korus-recycle-bin"></div>`).appendTo(page.main);
		this.$body.on("click", "[data-action]", (e) => {
			const $b = $(e.currentTarget);
			this.act($b.attr("data-action"), $b.attr("data-name"));
		});
	}

	get doctype() {
		return this.doctype_field.get_value() || "Customer";
	}

	load(more = false) {
		const start = more ? this.rows.length : 0;
		return frappe
			.xcall("korus_crm.customers.recycle_bin.bin_list", {
				doctype: this.doctype,
				start,
				page_length: this.page_length,
				search: this.search_field.get_value() || null,
			})
			.then((r) => {
				this.rows = more ? this.rows.concat(r.rows) : r.rows;
				this.total = r.total;
				this.render();
			});
	}

	render() {
		const esc = frappe.utils.escape_html;
		if (!this.rows.length) {
			this.$body.html(`<p class="text-muted" style="padding: 15px">${__("The recycle bin is empty.")}</p>`);
			return;
		}
		const rows = this.rows
			.map(
				(r) => `<tr>
				<td>${esc(r.title || r.name)}<div class="text-muted small">${esc(r.name)}</div></td>
				<td>${frappe.datetime.str_to_user(r.deleted_on)}</td>
				<td>${esc(r.deleted_by || "")}</td>
				<td>${r.purge_on ? frappe.datetime.str_to_user(r.purge_on) : "—"}</td>
				<td class="text-right">
					<button class="btn btn-xs btn-primary" data-action="restore" data-name="${esc(r.name)}">${__("Restore")}</button>
					<button class="btn btn-xs btn-danger" data-action="purge" data-name="${esc(r.name)}">${__("Delete Permanently")}</button>
				</td></tr>`
			)
			.join("");
		const more =
			this.rows.length < this.total
				? `<button class="btn btn-sm btn-default korus-bin-more">${__("Load more")}</button>`
				: "";
		this.$body.html(`<table class="table table-bordered" style="background: var(--card-bg)">
			<thead><tr><th>${__("Record")}</th><th>${__("Moved to the Recycle Bin On")}</th>
			<th>${__("By")}</th><th>${__("Deleted Permanently On")}</th><th></th></tr></thead>
			<tbody>${rows}</tbody></table>
			<p class="text-muted">${__("{0} of {1}", [this.rows.length, this.total])}</p>${more}`);
		this.$body.find(".korus-bin-more").on("click", () => this.load(true));
	}

	act(action, name) {
		const call = () =>
			frappe
				.xcall(`korus_crm.customers.recycle_bin.${action}`, { doctype: this.doctype, name })
				.then((r) => {
					frappe.show_alert({ message: r.message, indicator: action === "restore" ? "green" : "red" });
					this.load();
				});
		if (action === "purge") {
			frappe.confirm(__("Delete {0} permanently? This cannot be undone.", [name.bold()]), call);
		} else {
			call();
		}
	}
};
