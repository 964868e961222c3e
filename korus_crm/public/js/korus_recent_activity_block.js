// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// The script of the Custom HTML Block "Korus Recent Activity" on the Korus CRM workspace
// (korus_crm.analytics.dashboard.sync_workspace_block puts it there). Frappe runs it with
// `root_element`, the block's shadow root. It shows the five newest companies, customers and deals
// and the next five tasks due that the user may read.

const korus_recent = root_element.querySelector(".korus-recent");

function korus_recent_rows(rows, route, label, meta) {
	if (!rows.length) return `<div class="empty">${__("Nothing yet.")}</div>`;
	return rows
		.map(
			(row) => `<div class="row-item">
				<a href="/app/${route}/${encodeURIComponent(row.name)}">${frappe.utils.escape_html(
				label(row) || row.name
			)}</a>
				<span class="meta">${meta(row)}</span>
			</div>`
		)
		.join("");
}

function korus_recent_render(data) {
	const when = (row) => frappe.datetime.comment_when(row.creation, true);
	const sections = [];
	if (data.companies)
		sections.push([
			__("Recent Companies"),
			korus_recent_rows(data.companies, "customer", (r) => r.customer_name, when),
		]);
	if (data.customers)
		sections.push([
			__("Recent Customers"),
			korus_recent_rows(data.customers, "customer", (r) => r.customer_name, when),
		]);
	if (data.deals)
		sections.push([
			__("Recent Deals"),
			korus_recent_rows(
				data.deals,
				"opportunity",
				(r) => r.title || r.customer_name,
				(r) => format_currency(r.base_opportunity_amount || 0, null, 0)
			),
		]);
	if (data.tasks)
		sections.push([
			__("Upcoming Tasks"),
			korus_recent_rows(
				data.tasks,
				"korus-task",
				(r) => r.subject,
				(r) => frappe.datetime.str_to_user(r.due_at)
			),
		]);
	korus_recent.innerHTML = sections
		.map(([title, body]) => `<div class="section"><h6>${title}</h6>${body}</div>`)
		.join("");
}

frappe.xcall("korus_crm.analytics.dashboard.recent_activity").then(korus_recent_render);
