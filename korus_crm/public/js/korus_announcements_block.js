// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

// The script of the Custom HTML Block "Korus Announcements" on the Korus CRM workspace
// (korus_crm.office.announcements.sync_workspace_block puts it there). Frappe runs it with
// `root_element`, the block's shadow root. It shows the current announcements the user may read,
// pinned first; an unread one is bold; opening one shows its content and records it as read.

const korus_block = root_element.querySelector(".korus-announcements");
const korus_limit = 5;

function korus_render(data) {
	const rows = data.announcements || [];
	const head = `<div class="head">
		<span class="text-muted">${
			data.unread
				? __("{0} unread", [data.unread])
				: rows.length
				? __("All read")
				: ""
		}</span>
		<a href="/app/korus-announcement">${__("All announcements")}</a>
	</div>`;
	if (!rows.length) {
		korus_block.innerHTML = `${head}<div class="empty">${__("No announcements right now.")}</div>`;
		return;
	}
	korus_block.innerHTML =
		head +
		rows
			.map(
				(row) => `
		<div class="korus-announcement ${row.read ? "" : "unread"}" data-name="${frappe.utils.escape_html(
					row.name
				)}">
			<div class="title">
				${row.pinned ? `<span class="indicator-pill blue">${__("Pinned")}</span> ` : ""}
				${row.read ? "" : `<span class="indicator-pill orange">${__("New")}</span> `}
				${frappe.utils.escape_html(row.title)}
			</div>
			<div class="meta">${frappe.utils.escape_html(row.author_name || "")} · ${frappe.datetime.comment_when(
					row.publish_on
				)}</div>
			<div class="content">${row.content || ""}
				<div><a href="/app/korus-announcement/${encodeURIComponent(row.name)}">${__("Open")}</a></div>
			</div>
		</div>`
			)
			.join("") +
		(data.more
			? `<div class="meta"><a href="/app/korus-announcement?status=Published">${__(
					"More announcements"
			  )}</a></div>`
			: "");
	korus_block.querySelectorAll(".korus-announcement").forEach((el) => {
		el.querySelector(".title").addEventListener("click", () => {
			el.classList.toggle("open");
			if (el.classList.contains("unread")) {
				el.classList.remove("unread");
				const pill = el.querySelector(".indicator-pill.orange");
				pill && pill.remove();
				frappe.xcall("korus_crm.office.announcements.mark_read", { name: el.dataset.name });
			}
		});
	});
}

function korus_load() {
	frappe
		.xcall("korus_crm.office.announcements.current_announcements", { limit: korus_limit })
		.then(korus_render);
}

korus_load();
// a newly published announcement comes with a notification: show it without a reload
frappe.realtime.off("notification", window.korus_announcements_reload);
window.korus_announcements_reload = () => {
	if (document.body.contains(root_element.host)) korus_load();
};
frappe.realtime.on("notification", window.korus_announcements_reload);
