// Korus CRM: the boards of the desk (the Lead Board and Deal Board pages). Each column loads its own
// first page of cards and pages further on scroll or "Load more"; its header shows the column's
// count, value total and (deals) weighted value, read from Korus's maintained counts. The headers
// follow every move: the user's own drags, and moves made by anyone else (Frappe's realtime
// list_update), without a reload. Deal cards of rotting deals (no activity for longer than their
// stage's idle days: korus_crm.deals.rotting) are coloured and say how long they have been idle.
frappe.provide("korus_crm");

korus_crm.BOARDS = {
	lead: {
		doctype: "Lead",
		board: "korus_crm.api.boards.get_lead_board",
		counts: "korus_crm.api.boards.get_lead_board_counts",
		column: "korus_crm.api.boards.get_lead_column",
		card_fields: ["name", "lead_name", "company_name", "email_id", "estimated_value", "lead_owner", "lead_status", "modified"],
		column_of: (card) => card.lead_status,
		column_key: (column) => column.name,
		title: (card) => card.lead_name || card.company_name || card.name,
		subtitle: (card) => [card.company_name, card.email_id].filter(Boolean).join(" · "),
		amount: (card) => card.estimated_value,
		owner: (card) => card.lead_owner,
		move(card, column) {
			return frappe.xcall("frappe.client.set_value", {
				doctype: "Lead",
				name: card,
				fieldname: "lead_status",
				value: column.name,
			});
		},
	},
	deal: {
		doctype: "Opportunity",
		board: "korus_crm.api.boards.get_deal_board",
		counts: "korus_crm.api.boards.get_deal_board_counts",
		column: "korus_crm.api.boards.get_deal_column",
		card_fields: [
			"name", "title", "customer_name", "party_name", "opportunity_amount", "currency", "opportunity_owner",
			"deal_stage", "deal_pipeline", "probability", "expected_closing", "modified", "_user_tags",
			"korus_last_activity_at", "korus_rots_on",
		],
		column_of: (card) => card.deal_stage,
		column_key: (column) => column.stage,
		title: (card) => card.title || card.customer_name || card.name,
		subtitle: (card) => [card.customer_name || card.party_name, card.expected_closing && frappe.datetime.str_to_user(card.expected_closing)].filter(Boolean).join(" · "),
		amount: (card) => card.opportunity_amount,
		owner: (card) => card.opportunity_owner,
		labels: (card) => (card._user_tags || "").split(",").filter(Boolean),
		// rotting deals (korus_crm.deals.rotting): the server marks its cards; a card read again
		// after someone else's move (replace_card) is judged from its rots-on day
		rotting(card) {
			const today = frappe.datetime.get_today();
			const rotting = card.rotting !== undefined ? card.rotting : !!(card.korus_rots_on && card.korus_rots_on < today);
			if (!rotting) return null;
			const idle = card.idle_days !== undefined && card.idle_days !== null
				? card.idle_days
				: card.korus_last_activity_at ? frappe.datetime.get_day_diff(today, card.korus_last_activity_at.slice(0, 10)) : null;
			return { idle };
		},
		selectable: true, // bulk actions (korus_bulk.js) on the selected cards
		move(card, column) {
			return frappe.xcall("korus_crm.api.deals.move_deal", { deal: card, stage: column.stage });
		},
	},
};

korus_crm.Board = class Board {
	constructor({ page, kind, page_length }) {
		this.page = page;
		this.kind = kind;
		this.spec = korus_crm.BOARDS[kind];
		this.page_length = page_length || 20;
		this.columns = [];
		this.$board = $(`<div class="korus-board" data-kind="${kind}"></div>`).appendTo(page.main);
		this.refresh_counts = frappe.utils.debounce(() => this.load_counts(), 300);
		this.page.set_secondary_action(__("Refresh"), () => this.load());
		this.page.add_inner_button(__("List"), () => frappe.set_route("List", this.spec.doctype));
		if (kind === "deal") {
			this.page.add_inner_button(__("Rotting Deals"), () =>
				frappe.set_route("query-report", "Rotting Deals", { pipeline: (this.args || {}).pipeline })
			);
		}
		if (this.spec.selectable) this.setup_selection();
		this.listen();
	}

	// "Select": clicking a card selects it instead of opening it; the bulk actions apply to the
	// selected cards (korus_bulk.js).
	setup_selection() {
		this.selected = new Set();
		this.$select_button = this.page.add_inner_button(__("Select"), () => this.toggle_selecting());
		korus_crm.bulk.ACTIONS.forEach(({ action, label }) => {
			this.page.add_inner_button(
				__(label),
				() =>
					korus_crm.bulk.start(action, [...this.selected], () => this.clear_selection(true), {
						pipeline: (this.args || {}).pipeline,
					}),
				__("Bulk Actions")
			);
		});
		this.$board.on("click", ".korus-card", (e) => {
			if (!this.selecting) return;
			e.preventDefault();
			e.stopPropagation();
			const $card = $(e.currentTarget);
			const name = $card.attr("data-name");
			if (this.selected.has(name)) this.selected.delete(name);
			else this.selected.add(name);
			$card.toggleClass("korus-selected", this.selected.has(name));
			this.paint_selection();
		});
	}

	toggle_selecting() {
		this.selecting = !this.selecting;
		this.$board.toggleClass("korus-selecting", this.selecting);
		if (!this.selecting) this.clear_selection(false);
		this.paint_selection();
	}

	clear_selection(reload) {
		this.selected.clear();
		this.$board.find(".korus-card.korus-selected").removeClass("korus-selected");
		this.paint_selection();
		if (reload) this.load();
	}

	paint_selection() {
		const n = this.selected.size;
		this.$select_button.text(this.selecting ? __("Selected: {0}", [n]) : __("Select"));
	}

	listen() {
		frappe.realtime.doctype_subscribe && frappe.realtime.doctype_subscribe(this.spec.doctype);
		frappe.realtime.on("list_update", (data) => {
			if (!data || data.doctype !== this.spec.doctype || !this.$board.is(":visible")) return;
			this.refresh_counts();
			if (data.user !== frappe.session.user) this.replace_card(data.name);
		});
	}

	load(args = {}) {
		this.args = Object.assign(this.args || {}, args);
		korus_crm.active_board = this;
		return frappe.xcall(this.spec.board, { ...this.args, page_length: this.page_length }).then((data) => {
			this.data = data;
			this.currency = data.currency || frappe.boot.sysdefaults.currency;
			this.render();
		});
	}

	render() {
		this.$board.empty();
		this.columns = this.data.columns.map((column) => this.render_column(column));
	}

	render_column(column) {
		const key = this.spec.column_key(column);
		const $column = $(`
			<div class="korus-board-column" data-column="${frappe.utils.escape_html(key)}">
				<div class="korus-column-header">
					<span class="indicator-pill ${column.indicator ? column.indicator.toLowerCase().replace(" ", "-") : "gray"} korus-column-title">
						${frappe.utils.escape_html(column.label || column.name)}
					</span>
					<span class="korus-column-count badge" title="${__("Records")}"></span>
					<div class="korus-column-totals text-muted small"></div>
				</div>
				<div class="korus-column-cards"></div>
				<button class="btn btn-xs btn-default korus-load-more">${__("Load more")}</button>
			</div>`).appendTo(this.$board);
		const state = { column, key, $column, loaded: 0, loading: false };
		state.$cards = $column.find(".korus-column-cards");
		(column.cards || []).forEach((card) => state.$cards.append(this.card_html(card)));
		state.loaded = (column.cards || []).length;
		this.paint_totals(state, column);
		$column.find(".korus-load-more").on("click", () => this.load_more(state));
		this.watch_scroll(state);
		this.make_sortable(state);
		return state;
	}

	card_html(card) {
		const spec = this.spec;
		const amount = spec.amount(card);
		const owner = spec.owner(card);
		const route = `/app/${frappe.router.slug(spec.doctype)}/${encodeURIComponent(card.name)}`;
		const labels = spec.labels ? spec.labels(card) : [];
		const selected = this.selected && this.selected.has(card.name);
		const rotting = spec.rotting ? spec.rotting(card) : null;
		const idle = rotting && rotting.idle !== null ? `<div class="korus-card-idle small" title="${__("No activity (stage move, follow-up, offer, comment) for longer than the stage allows")}">${__("idle {0} days", [rotting.idle])}</div>` : "";
		return $(`
			<div class="korus-card${selected ? " korus-selected" : ""}${rotting ? " korus-rotting" : ""}" data-name="${frappe.utils.escape_html(card.name)}">
				<a class="korus-card-title" href="${route}">${frappe.utils.escape_html(spec.title(card))}</a>
				<div class="korus-card-subtitle text-muted small">${frappe.utils.escape_html(spec.subtitle(card) || "")}</div>
				${idle}
				${labels.length ? `<div class="korus-card-labels">${labels.map((l) => `<span class="badge korus-label">${frappe.utils.escape_html(l)}</span>`).join(" ")}</div>` : ""}
				<div class="korus-card-footer small">
					<span class="korus-card-amount">${amount ? format_currency(amount, card.currency || this.currency) : ""}</span>
					<span class="korus-card-owner">${owner ? frappe.avatar(owner, "avatar-xs") : ""}</span>
				</div>
			</div>`).data("card", card);
	}

	paint_totals(state, totals) {
		state.count = totals.count || 0;
		state.$column.find(".korus-column-count").text(state.count);
		const parts = [`<span class="korus-column-value">${format_currency(totals.value_total || 0, this.currency)}</span>`];
		if (this.kind === "deal") {
			parts.push(`<span class="korus-column-weighted" title="${__("Weighted by probability")}">${__("Weighted")} ${format_currency(totals.weighted_total || 0, this.currency)}</span>`);
		}
		state.$column.find(".korus-column-totals").html(parts.join(" · "));
		state.$column.find(".korus-load-more").toggle(state.loaded < state.count);
	}

	load_counts() {
		return frappe.xcall(this.spec.counts, this.args || {}).then((rows) => {
			(rows || []).forEach((row) => {
				const state = this.columns.find((c) => c.key === (this.kind === "deal" ? row.stage : row.name));
				if (state) this.paint_totals(state, row);
			});
		});
	}

	load_more(state) {
		if (state.loading || state.loaded >= state.count) return;
		state.loading = true;
		const args = { ...(this.args || {}), start: state.loaded, page_length: this.page_length };
		if (this.kind === "deal") args.stage = state.column.name;
		else args.status = state.column.name;
		return frappe
			.xcall(this.spec.column, args)
			.then((cards) => {
				const $end = state.$cards.children(".korus-column-end");
				(cards || []).forEach((card) => {
					if (!state.$cards.find(`[data-name="${CSS.escape(card.name)}"]`).length) this.card_html(card).insertBefore($end);
				});
				state.loaded += (cards || []).length;
				state.$column.find(".korus-load-more").toggle(state.loaded < state.count && (cards || []).length > 0);
			})
			.finally(() => (state.loading = false));
	}

	watch_scroll(state) {
		const sentinel = $(`<div class="korus-column-end"></div>`).appendTo(state.$cards).get(0);
		if (!window.IntersectionObserver) return;
		new IntersectionObserver((entries) => {
			if (entries.some((e) => e.isIntersecting)) this.load_more(state);
		}, { root: state.$cards.get(0) }).observe(sentinel);
	}

	make_sortable(state) {
		Sortable.create(state.$cards.get(0), {
			group: `korus-board-${this.kind}`,
			draggable: ".korus-card",
			forceFallback: true, // the same drag with a mouse, a pen or a finger, in every browser
			fallbackOnBody: true,
			animation: 150,
			onEnd: (evt) => {
				if (evt.from === evt.to) return;
				const to = this.columns.find((c) => c.$cards.get(0) === evt.to);
				const from = this.columns.find((c) => c.$cards.get(0) === evt.from);
				const name = $(evt.item).attr("data-name");
				this.spec
					.move(name, to.column)
					.then(() => {
						from.loaded -= 1;
						to.loaded += 1;
						this.load_counts();
					})
					.catch(() => {
						// refused (a lost reason is asked for, a rule broken): the card goes back
						const $item = $(evt.item).detach();
						const $before = $(evt.from).children(".korus-card").eq(evt.oldIndex);
						if ($before.length) $item.insertBefore($before);
						else $item.insertBefore($(evt.from).children(".korus-column-end"));
					});
			},
		});
	}

	replace_card(name) {
		// a record moved by someone else: show it where it is now
		frappe.db.get_value(this.spec.doctype, name, this.spec.card_fields).then((r) => {
			const card = r && r.message;
			this.$board.find(`.korus-card[data-name="${CSS.escape(name)}"]`).remove();
			if (!card || !card.name) return;
			const state = this.columns.find((c) => c.key === this.spec.column_of(card));
			if (state) state.$cards.prepend(this.card_html(card));
		});
	}
};

// the lost-reason dialog (korus_deals.js) and other moves outside the board ask the board to reload
korus_crm.reload_board = function () {
	if (korus_crm.active_board && korus_crm.active_board.$board.is(":visible")) korus_crm.active_board.load();
};
