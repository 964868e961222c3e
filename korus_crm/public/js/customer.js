// Korus CRM additions to ERPNext's Customer (the seed's "Company") form: activate/deactivate, and
// the customer's detail page (seed 004 客户详情) at the top of the form: its owner and pool, a card
// per kind of record about it (contacts, follow-ups, scheduled contacts, deals, price offers,
// contract orders, receivables, tasks, attachments) with its count, first rows, "View all" and
// "New", the activity feed and the ownership log (korus_crm.customers.overview), and the quick
// actions: add a follow-up, follow, claim, release to the pool, transfer, assign.
frappe.provide("korus_crm.customer");

frappe.ui.form.on("Customer", {
	refresh(frm) {
		if (frm.is_new()) {
			korus_crm.customer.remove_overview(frm);
			return;
		}
		const label = frm.doc.disabled ? __("Activate") : __("Deactivate");
		frm.add_custom_button(label, () => {
			frm.set_value("disabled", frm.doc.disabled ? 0 : 1);
			frm.save();
		});
		korus_crm.customer.load_overview(frm);
	},
});

(() => {
	const esc = (value) => frappe.utils.escape_html(value == null ? "" : String(value));
	const form_link = (doctype, name, text) =>
		`<a href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${esc(text || name)}</a>`;
	const when = (value) => (value ? frappe.datetime.str_to_user(value) : "");
	const money = (amount, currency) => (amount == null ? "" : format_currency(amount, currency));
	const person = (user) => (user ? esc(frappe.user.full_name(user)) : "");
	const muted = (parts) => {
		const shown = parts.filter((p) => p !== null && p !== undefined && p !== "");
		return shown.length ? `<div class="text-muted small">${shown.join(" · ")}</div>` : "";
	};

	// How each section's rows read: a title (linked) and a muted line.
	const ROWS = {
		contacts: (r) =>
			form_link("Contact", r.name, r.full_name) +
			(r.is_primary_contact ? ` <span class="indicator-pill blue">${__("Primary")}</span>` : "") +
			muted([esc(r.designation), esc(r.email_id), esc(r.mobile_no || r.phone)]),
		follow_ups: (r) =>
			form_link("Customer Follow-up", r.name, when(r.followed_up_at) || r.name) +
			(r.method ? ` <span class="text-muted">${esc(__(r.method))}</span>` : "") +
			muted([
				esc(r.content),
				r.next_contact_at ? esc(__("Next contact {0}", [when(r.next_contact_at)])) : "",
				person(r.followed_up_by),
			]),
		scheduled_contacts: (r) =>
			form_link("Scheduled Contact", r.name, when(r.scheduled_at) || r.name) +
			muted([esc(r.purpose), person(r.assigned_to), esc(__(r.status || ""))]),
		deals: (r) =>
			form_link("Opportunity", r.name, r.title || r.name) +
			muted([esc(r.deal_stage || __(r.status || "")), money(r.opportunity_amount, r.currency), when(r.expected_closing)]),
		price_offers: (r) =>
			form_link("Price Offer", r.name, r.title || r.name) +
			muted([esc(__(r.status || "")), money(r.grand_total, r.currency), when(r.transaction_date)]),
		contract_orders: (r) =>
			form_link("Contract Order", r.name, r.title || r.name) +
			muted([esc(__(r.status || "")), money(r.grand_total, r.currency), when(r.sign_date)]),
		receivables: (r) =>
			form_link("Sales Invoice", r.name) +
			` <span class="${r.overdue ? "text-danger" : ""}">${money(r.outstanding_amount, r.currency)}</span>` +
			muted([
				r.due_date ? esc(__("Due {0}", [when(r.due_date)])) : "",
				r.overdue ? `<span class="text-danger">${__("Overdue")}</span>` : "",
			]),
		tasks: (r) =>
			form_link("Korus Task", r.name, r.subject || r.name) +
			muted([esc(__(r.priority || "")), r.due_at ? esc(__("Due {0}", [when(r.due_at)])) : "", person(r.assigned_to)]),
		attachments: (r) =>
			`<a href="${encodeURI(r.file_url || "")}" target="_blank" rel="noopener">${esc(r.file_name || r.name)}</a>` +
			muted([r.is_private ? __("Private") : "", frappe.datetime.comment_when(r.creation)]),
	};
	const EMPTY = {
		contacts: __("No contacts yet."),
		follow_ups: __("No follow-ups yet."),
		scheduled_contacts: __("No open scheduled contacts."),
		deals: __("No deals yet."),
		price_offers: __("No price offers yet."),
		contract_orders: __("No contract orders yet."),
		receivables: __("Nothing outstanding."),
		tasks: __("No open tasks."),
		attachments: __("No attachments yet."),
	};

	const STYLE = `
		.korus-customer-overview { margin: var(--margin-md, 12px) 0 var(--margin-lg, 20px); }
		.korus-customer-overview .korus-co-profile { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; margin-bottom: 12px; }
		.korus-customer-overview .korus-co-profile .korus-co-fact { color: var(--text-muted); font-size: var(--text-sm); }
		.korus-customer-overview .korus-co-profile .korus-co-fact b { color: var(--text-color); font-weight: 500; }
		.korus-customer-overview .korus-co-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
		.korus-customer-overview .korus-co-card { border: 1px solid var(--border-color); border-radius: var(--border-radius-md); padding: 10px 12px; background: var(--card-bg); min-height: 96px; }
		.korus-customer-overview .korus-co-head { display: flex; align-items: center; gap: 6px; margin-bottom: 6px; }
		.korus-customer-overview .korus-co-title { font-weight: 600; }
		.korus-customer-overview .korus-co-count { background: var(--bg-gray, #f3f3f3); border-radius: 10px; padding: 0 8px; font-size: var(--text-sm); }
		.korus-customer-overview .korus-co-links { margin-left: auto; display: flex; gap: 8px; font-size: var(--text-sm); }
		.korus-customer-overview .korus-co-rows { list-style: none; padding: 0; margin: 0; }
		.korus-customer-overview .korus-co-rows li { padding: 3px 0; border-top: 1px dashed var(--border-color); }
		.korus-customer-overview .korus-co-rows li:first-child { border-top: none; }
		.korus-customer-overview .korus-co-totals { font-size: var(--text-sm); margin-bottom: 4px; }
		.korus-customer-overview .korus-co-bottom { display: grid; grid-template-columns: 2fr 1fr; gap: 12px; margin-top: 12px; }
		@media (max-width: 991px) { .korus-customer-overview .korus-co-bottom { grid-template-columns: 1fr; } }
		.korus-customer-overview .korus-co-feed li { display: flex; gap: 8px; align-items: flex-start; }
	`;

	const ensure_style = () => {
		if (document.getElementById("korus-customer-overview-style")) return;
		const style = document.createElement("style");
		style.id = "korus-customer-overview-style";
		style.textContent = STYLE;
		document.head.appendChild(style);
	};

	// The panel: at the top of the form's first tab (above its fields), made once per form.
	const container = (frm) => {
		if (!frm.korus_overview || !document.body.contains(frm.korus_overview[0])) {
			ensure_style();
			frm.korus_overview = $(`<div class="korus-customer-overview"></div>`);
			const tab = frm.layout.tabs && frm.layout.tabs.length ? frm.layout.tabs[0].wrapper : null;
			if (tab) tab.prepend(frm.korus_overview);
			else frm.layout.wrapper.find(".form-page").first().prepend(frm.korus_overview);
		}
		return frm.korus_overview;
	};

	korus_crm.customer.remove_overview = (frm) => {
		if (frm.korus_overview) frm.korus_overview.remove();
		frm.korus_overview = null;
	};

	korus_crm.customer.load_overview = (frm) => {
		const customer = frm.doc.name;
		const seq = (frm.korus_overview_seq = (frm.korus_overview_seq || 0) + 1);
		const $panel = container(frm);
		$panel.attr("data-customer", customer).attr("data-loaded", "0");
		return frappe.xcall("korus_crm.customers.overview.overview", { customer }).then((data) => {
			if (seq !== frm.korus_overview_seq || frm.doc.name !== customer) return;
			frm.korus_overview_data = data;
			render(frm, $panel, data);
			add_actions(frm, data);
			$panel.attr("data-loaded", "1");
		});
	};

	const render = (frm, $panel, data) => {
		const p = data.profile;
		const facts = [];
		if (p.status) facts.push(`<span class="indicator-pill ${status_colour(p.status)}">${esc(__(p.status))}</span>`);
		if (p.level) facts.push(`<span class="indicator-pill gray">${esc(p.level)}</span>`);
		if (p.in_pool) {
			facts.push(`<span class="indicator-pill orange korus-co-in-pool">${__("In Pool")}${p.pool ? ": " + esc(p.pool) : ""}</span>`);
		} else if (p.account_manager) {
			facts.push(fact(__("Owner"), esc(p.account_manager_name || p.account_manager)));
			if (p.owner_since) facts.push(fact(__("Owner since"), when(p.owner_since)));
			if (p.return_due_on) facts.push(fact(__("Returns to the pool on"), when(p.return_due_on)));
		}
		if (p.next_contact_at) facts.push(fact(__("Next contact"), when(p.next_contact_at)));
		if (p.last_followup_at) facts.push(fact(__("Last follow-up"), when(p.last_followup_at)));
		if (p.following) facts.push(`<span class="indicator-pill purple">${__("Following")}</span>`);

		const cards = data.sections.map((s) => card(s)).join("");
		$panel.html(`
			<div class="korus-co-profile">${facts.join("")}</div>
			<div class="korus-co-grid">${cards}</div>
			<div class="korus-co-bottom">
				<div class="korus-co-card korus-co-feed" data-section="feed">
					<div class="korus-co-head"><span class="korus-co-title">${__("Activity")}</span></div>
					${feed(data.feed)}
				</div>
				${data.owner_log === null ? "" : owner_log(data.owner_log)}
			</div>`);

		$panel.find(".korus-co-all").on("click", (e) => {
			e.preventDefault();
			const s = data.sections.find((x) => x.key === $(e.currentTarget).attr("data-section"));
			frappe.route_options = Object.assign({}, s.route_options);
			frappe.set_route("List", s.doctype);
		});
		$panel.find(".korus-co-new").on("click", (e) => {
			e.preventDefault();
			const s = data.sections.find((x) => x.key === $(e.currentTarget).attr("data-section"));
			create(frm, s);
		});
	};

	const fact = (label, value) => `<span class="korus-co-fact">${esc(label)}: <b>${value}</b></span>`;
	const status_colour = (status) =>
		({ Potential: "blue", Developing: "yellow", Won: "green", Lapsed: "gray" })[status] || "gray";

	const card = (s) => {
		const count = s.restricted ? "" : `<span class="korus-co-count">${s.count}</span>`;
		const links = [];
		if (!s.restricted && s.count) {
			links.push(`<a href="#" class="korus-co-all" data-section="${s.key}">${__("View all")}</a>`);
		}
		if (s.can_create && (s.new_values || s.key === "attachments")) {
			links.push(`<a href="#" class="korus-co-new" data-section="${s.key}">${__("New")}</a>`);
		}
		let body;
		if (s.restricted) {
			body = `<div class="text-muted small">${__("Not permitted")}</div>`;
		} else if (!s.rows.length) {
			body = `<div class="text-muted small">${EMPTY[s.key] || __("None")}</div>`;
		} else {
			body = `<ul class="korus-co-rows">${s.rows.map((r) => `<li>${(ROWS[s.key] || ((x) => esc(x.name)))(r)}</li>`).join("")}</ul>`;
		}
		const totals =
			s.key === "receivables" && s.totals && s.totals.length
				? `<div class="korus-co-totals">${s.totals
						.map(
							(t) =>
								`${__("Outstanding")}: <b>${money(t.outstanding, t.currency)}</b>` +
								(t.overdue ? ` · <span class="text-danger">${__("Overdue")}: <b>${money(t.overdue, t.currency)}</b></span>` : "")
						)
						.join("<br>")}</div>`
				: "";
		return `<div class="korus-co-card" data-section="${s.key}" data-count="${s.restricted ? "" : s.count}">
			<div class="korus-co-head"><span class="korus-co-title">${esc(s.label)}</span>${count}<span class="korus-co-links">${links.join("")}</span></div>
			${totals}${body}
		</div>`;
	};

	const feed = (entries) => {
		if (!entries.length) return `<div class="text-muted small">${__("No activity yet.")}</div>`;
		return `<ul class="korus-co-rows">${entries
			.map((e) => {
				const on = e.doctype !== "Customer" ? ` <span class="text-muted">${__("on {0}", [form_link(e.doctype, e.name)])}</span>` : "";
				let what;
				if (e.kind === "version") {
					what = (e.changes || [])
						.map((c) =>
							c.from
								? __("changed {0} from {1} to {2}", [`<b>${esc(c.label)}</b>`, esc(c.from), esc(c.to)])
								: __("set {0} to {1}", [`<b>${esc(c.label)}</b>`, esc(c.to)])
						)
						.join(", ") || __("made a change");
				} else if (e.kind === "communication") {
					what = __("sent an email: {0}", [esc(e.text)]);
				} else if (e.comment_type === "Comment") {
					what = __("commented: {0}", [esc(e.text)]);
				} else {
					what = esc(e.text);
				}
				return `<li>${frappe.avatar(e.by, "avatar-xs")}<div><b>${esc(e.by_name || e.by)}</b> ${what}${on}
					<div class="text-muted small">${frappe.datetime.comment_when(e.at)}</div></div></li>`;
			})
			.join("")}</ul>`;
	};

	const owner_log = (rows) => {
		const body = rows.length
			? `<ul class="korus-co-rows">${rows
					.map(
						(r) => `<li class="korus-co-log-row" data-action="${esc(r.action)}"><b>${esc(__(r.action || ""))}</b>
							${r.from_user ? esc(r.from_user_name || r.from_user) : ""}${r.from_user || r.to_user ? " → " : ""}${r.to_user ? esc(r.to_user_name || r.to_user) : r.action ? "" : ""}
							${muted([
								r.done_by ? esc(__("by {0}", [r.done_by_name || r.done_by])) : "",
								r.creation ? frappe.datetime.comment_when(r.creation) : "",
								esc(r.reason),
							])}</li>`
					)
					.join("")}</ul>`
			: `<div class="text-muted small">${__("No ownership changes yet.")}</div>`;
		return `<div class="korus-co-card korus-co-owner-log" data-section="owner_log">
			<div class="korus-co-head"><span class="korus-co-title">${__("Ownership")}</span></div>${body}</div>`;
	};

	// "New" on a card: a new record about the customer (a contact through Frappe's dynamic link, a
	// follow-up through the quick dialog, a file through the uploader).
	const create = (frm, s) => {
		if (s.key === "attachments") {
			new frappe.ui.FileUploader({
				doctype: frm.doctype,
				docname: frm.doc.name,
				on_success: () => frm.reload_doc(),
			});
		} else if (s.key === "follow_ups") {
			korus_crm.customer.add_follow_up(frm);
		} else if (s.key === "contacts") {
			frappe.dynamic_link = { doc: frm.doc, fieldname: "name", doctype: "Customer" };
			frappe.new_doc("Contact");
		} else {
			frappe.new_doc(s.doctype, s.new_values);
		}
	};

	// --- quick actions ---

	const add_actions = (frm, data) => {
		const a = data.actions;
		const group = __("Quick Actions");
		const customer = frm.doc.name;
		if (a.claim) {
			frm.add_custom_button(__("Claim"), () =>
				frappe.xcall("korus_crm.customers.pool.claim", { customer }).then(() => {
					frappe.show_alert({ message: __("{0} is now yours", [frm.doc.customer_name || customer]), indicator: "green" });
					frm.reload_doc();
				})
			);
		}
		if (a.follow) {
			const following = data.profile.following;
			frm.add_custom_button(following ? __("Unfollow") : __("Follow"), () =>
				frappe
					.xcall(`korus_crm.customers.following.${following ? "unfollow" : "follow"}`, { customer })
					.then(() => {
						frappe.show_alert({
							message: following ? __("You no longer follow {0}", [customer]) : __("You follow {0}", [customer]),
							indicator: "blue",
						});
						korus_crm.customer.load_overview(frm);
					})
			);
		}
		if (a.follow_up) frm.add_custom_button(__("Add Follow-up"), () => korus_crm.customer.add_follow_up(frm), group);
		if (a.release) {
			frm.add_custom_button(__("Release to Pool"), () => reason_dialog(frm, {
				title: __("Release {0} to the pool", [frm.doc.customer_name || customer]),
				intro: __("The customer goes back to its pool and you no longer own it."),
				label: __("Release"),
				method: "korus_crm.customers.pool.release",
				done: __("Released to the pool"),
			}), group);
		}
		if (a.transfer) {
			frm.add_custom_button(__("Transfer"), () => reason_dialog(frm, {
				title: __("Transfer {0} to another owner", [frm.doc.customer_name || customer]),
				with_user: true,
				label: __("Transfer"),
				method: "korus_crm.customers.pool.transfer",
				done: __("Transferred"),
			}), group);
		}
		if (a.assign) {
			frm.add_custom_button(__("Assign"), () => reason_dialog(frm, {
				title: __("Assign {0} to an owner", [frm.doc.customer_name || customer]),
				with_user: true,
				label: __("Assign"),
				method: "korus_crm.customers.pool.assign",
				done: __("Assigned"),
			}), group);
		}
	};

	const reason_dialog = (frm, opts) => {
		const fields = [];
		if (opts.intro) fields.push({ fieldtype: "HTML", fieldname: "intro", options: `<p class="text-muted">${esc(opts.intro)}</p>` });
		if (opts.with_user) {
			fields.push({
				fieldtype: "Link",
				fieldname: "user",
				options: "User",
				label: __("New Owner"),
				reqd: 1,
				get_query: () => ({ filters: { enabled: 1, user_type: "System User" } }),
			});
		}
		fields.push({ fieldtype: "Small Text", fieldname: "reason", label: __("Reason") });
		const dialog = new frappe.ui.Dialog({
			title: opts.title,
			fields,
			primary_action_label: opts.label,
			primary_action(values) {
				const args = { customer: frm.doc.name, reason: values.reason || null };
				if (opts.with_user) args.user = values.user;
				frappe.xcall(opts.method, args).then(() => {
					dialog.hide();
					frappe.show_alert({ message: opts.done, indicator: "green" });
					frm.reload_doc();
				});
			},
		});
		dialog.show();
		return dialog;
	};

	// A follow-up in a dialog of the Customer Follow-up's own fields (those it has of these), or the
	// full form.
	const FOLLOW_UP_FIELDS = ["followed_up_at", "method", "contact", "deal", "content", "next_contact_at", "next_contact_topic"];
	korus_crm.customer.add_follow_up = (frm) => {
		const doctype = "Customer Follow-up";
		const customer = frm.doc.name;
		frappe.model.with_doctype(doctype, () => {
			const meta = frappe.get_meta(doctype);
			const fields = FOLLOW_UP_FIELDS.map((f) => meta.fields.find((df) => df.fieldname === f))
				.filter(Boolean)
				.map((df) => {
					const field = {
						fieldname: df.fieldname,
						fieldtype: df.fieldtype,
						label: __(df.label),
						options: df.options,
						reqd: df.reqd,
						description: df.description ? __(df.description) : "",
					};
					if (df.default && !["Date", "Datetime"].includes(df.fieldtype)) field.default = df.default;
					if (df.fieldname === "followed_up_at") field.default = frappe.datetime.now_datetime();
					if (df.fieldname === "contact") {
						field.get_query = () => ({
							query: "frappe.contacts.doctype.contact.contact.contact_query",
							filters: { link_doctype: "Customer", link_name: customer },
						});
					}
					if (df.fieldname === "deal") {
						field.get_query = () => ({ filters: { opportunity_from: "Customer", party_name: customer } });
					}
					return field;
				});
			const dialog = new frappe.ui.Dialog({
				title: __("Follow-up with {0}", [frm.doc.customer_name || customer]),
				fields,
				primary_action_label: __("Save"),
				primary_action(values) {
					frappe.db.insert({ doctype, customer, ...values }).then((doc) => {
						dialog.hide();
						frappe.show_alert({ message: __("Follow-up {0} saved", [doc.name]), indicator: "green" });
						frm.reload_doc();
					});
				},
				secondary_action_label: __("Open Full Form"),
				secondary_action() {
					const values = dialog.get_values(true) || {};
					dialog.hide();
					frappe.new_doc(doctype, { customer, ...values });
				},
			});
			dialog.show();
		});
	};
})();
