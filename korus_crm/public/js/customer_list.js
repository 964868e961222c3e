// Korus CRM on the Customer list: activate or deactivate the selected companies (customers); the
// customer status and "In Pool" as indicators; the "Customer Pool" view (customers in a pool, with
// no owner) and a Claim action on the selected rows (korus_crm.customers.pool.claim, one by one: a
// refusal names its customer and reason, the others are claimed).
(() => {
	const settings = (frappe.listview_settings["Customer"] = frappe.listview_settings["Customer"] || {});
	const previousOnload = settings.onload;
	const previousIndicator = settings.get_indicator;
	const STATUS_COLOURS = { Potential: "blue", Developing: "yellow", Won: "green", Lapsed: "gray" };
	settings.add_fields = [
		...new Set([...(settings.add_fields || []), "disabled", "korus_status", "korus_in_pool", "korus_pool", "account_manager"]),
	];
	settings.get_indicator = function (doc) {
		if (doc.disabled) return [__("Disabled"), "darkgrey", "disabled,=,1"];
		if (doc.korus_in_pool) return [__("In Pool"), "orange", "korus_in_pool,=,1"];
		if (doc.korus_status && STATUS_COLOURS[doc.korus_status]) {
			return [__(doc.korus_status), STATUS_COLOURS[doc.korus_status], `korus_status,=,${doc.korus_status}`];
		}
		return previousIndicator ? previousIndicator.call(this, doc) : null;
	};

	const claim = (listview) => {
		const names = listview.get_checked_items(true);
		if (!names.length) return;
		const claimed = [];
		const refused = [];
		const one = (name) =>
			new Promise((resolve) =>
				frappe.call({
					method: "korus_crm.customers.pool.claim",
					args: { customer: name },
					silent: true,
					always: (data) => {
						data = data || {};
						if (data.exc || data.exc_type || !data.message) {
							let reason = __("Refused");
							try {
								const messages = JSON.parse(data._server_messages || "[]").map((m) => JSON.parse(m).message || m);
								if (messages.length) reason = messages.map((m) => frappe.utils.html2text ? frappe.utils.html2text(m) : m).join(" ");
							} catch (e) {
								// keep the generic reason
							}
							refused.push({ name, reason });
						} else {
							claimed.push(name);
						}
						resolve();
					},
				})
			);
		// one after the other: the pool's daily and ownership limits count each claim
		names
			.reduce((chain, name) => chain.then(() => one(name)), Promise.resolve())
			.then(() => {
				const esc = frappe.utils.escape_html;
				const parts = [];
				if (claimed.length) parts.push(`<p>${__("Claimed {0} of {1} customers.", [claimed.length, names.length])}</p>`);
				if (refused.length) {
					parts.push(
						`<p>${__("Not claimed:")}</p><ul class="korus-claim-refusals">${refused
							.map((r) => `<li><b>${esc(r.name)}</b>: ${esc(r.reason)}</li>`)
							.join("")}</ul>`
					);
				}
				frappe.msgprint({
					title: __("Claim"),
					indicator: refused.length ? (claimed.length ? "orange" : "red") : "green",
					message: parts.join(""),
				});
				listview.clear_checked_items && listview.clear_checked_items();
				listview.refresh();
			});
	};

	const showPool = (listview) => {
		listview.filter_area.clear(false).then(() => listview.filter_area.add([["Customer", "korus_in_pool", "=", 1]]));
	};

	settings.onload = function (listview) {
		if (previousOnload) previousOnload.call(this, listview);
		const setDisabled = (disabled) => {
			const names = listview.get_checked_items(true);
			if (!names.length) return;
			frappe
				.call("frappe.client.bulk_update", {
					docs: JSON.stringify(names.map((name) => ({ doctype: "Customer", docname: name, disabled }))),
				})
				.then(() => listview.refresh());
		};
		listview.page.add_action_item(__("Activate"), () => setDisabled(0));
		listview.page.add_action_item(__("Deactivate"), () => setDisabled(1));
		listview.page.add_action_item(__("Claim"), () => claim(listview));
		listview.page.add_inner_button(__("Customer Pool"), () => showPool(listview));
	};
})();
