// Korus CRM: the desk's Kanban view on Korus's boards (Leads by status, Deals by stage, one board per
// pipeline) shows each column's count
// and value total from Korus's maintained counts, and loads a bounded page of the newest cards
// instead of every record (the desk's default), so that a board stays usable at 100k records.
(() => {
	const KORUS_BOARDS = {
		Lead: "korus_crm.api.boards.get_lead_board_counts",
		Opportunity: "korus_crm.api.boards.get_deal_board_counts",
	};
	const CARDS_PER_BOARD = 500;

	function patch() {
		const View = frappe.views && frappe.views.KanbanView;
		if (!View || View.prototype.__korus_patched) return !!View;
		View.prototype.__korus_patched = true;

		const setup_defaults = View.prototype.setup_defaults;
		View.prototype.setup_defaults = function () {
			return setup_defaults.call(this).then((r) => {
				if (KORUS_BOARDS[this.doctype]) {
					this.page_length = CARDS_PER_BOARD;
					this.sort_by = "modified";
					this.sort_order = "desc";
				}
				return r;
			});
		};

		const render = View.prototype.render;
		View.prototype.render = function () {
			const out = render.apply(this, arguments);
			const method = KORUS_BOARDS[this.doctype];
			if (method) show_counts(this, method);
			return out;
		};
		return true;
	}

	function show_counts(view, method) {
		frappe.xcall(method, view.doctype === "Opportunity" ? { board: view.board_name } : {}).then((columns) => {
			view.__korus_counts = columns || [];
			paint(view);
			// the board redraws its columns on its own (first render, drags): paint again each time
			if (!view.__korus_observer) {
				view.__korus_observer = new MutationObserver(() => paint(view));
				view.__korus_observer.observe(view.$result.get(0), { childList: true, subtree: true });
			}
		});
	}

	function paint(view) {
		const currency = frappe.boot.sysdefaults.currency;
		(view.__korus_counts || []).forEach((c) => {
			const $title = view.$result.find(`.kanban-column[data-column-value="${CSS.escape(c.name)}"] .kanban-column-title`);
			if (!$title.length || $title.find(".korus-count").length) return;
			const total = c.value_total ? ` · ${format_currency(c.value_total, currency, 0)}` : "";
			$title.append(`<span class="korus-count text-muted small" style="margin-left:6px">${c.count}${total}</span>`);
		});
	}

	if (!patch()) {
		$(document).on("app_ready", patch);
		frappe.router && frappe.router.on("change", patch);
	}
})();
