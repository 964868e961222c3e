// The dispatch board (/app/dispatch-board, seed 000 Scheduler; docs/field-service.md): a branch's
// active technicians as rows, a day (hours) or a week (days) as columns, their jobs as blocks, the
// job pool beside. Drag a pool job onto a technician and time to assign and schedule it; drag a block
// to move it, its right edge to resize it, or onto the pool to unassign it. Holidays and leave are
// greyed and refused as targets (the server refuses them too, and double booking: its message is
// shown and the board reloads). Every change goes through korus_crm.field_service.dispatch.
frappe.pages["dispatch-board"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Dispatch Board"), single_column: true });
	wrapper.dispatch_board = new korus_crm.DispatchBoard(page);
};

frappe.pages["dispatch-board"].on_page_show = function (wrapper) {
	wrapper.dispatch_board && wrapper.dispatch_board.refresh();
};

frappe.provide("korus_crm");

korus_crm.DISPATCH_API = "korus_crm.field_service.dispatch";
korus_crm.STATUS_COLOURS = {
	Scheduled: "#2490EF",
	Dispatched: "#7575FF",
	"In Progress": "#ECAD4B",
	"On Hold": "#E24C4C",
	Completed: "#29CD42",
};

korus_crm.DispatchBoard = class DispatchBoard {
	constructor(page) {
		this.page = page;
		this.view = localStorage.getItem("korus_dispatch_view") || "week";
		this.day = frappe.datetime.get_today();
		this.pool_start = 0;
		this.add_style();
		this.make_fields();
		this.$body = $(`<div class="korus-dispatch">
			<div class="korus-dispatch-grid"></div>
			<div class="korus-dispatch-pool">
				<div class="korus-dispatch-pool-head"><b>${__("Job Pool")}</b></div>
				<div class="korus-dispatch-pool-filters"></div>
				<div class="korus-dispatch-pool-list"></div>
				<button class="btn btn-xs btn-default korus-dispatch-more">${__("Load more")}</button>
			</div>
		</div>`).appendTo(page.main);
		this.$grid = this.$body.find(".korus-dispatch-grid");
		this.$pool = this.$body.find(".korus-dispatch-pool");
		this.$pool_list = this.$body.find(".korus-dispatch-pool-list");
		this.make_pool_filters();
		this.$body.find(".korus-dispatch-more").on("click", () => this.load_pool(true));
		this.bind_pool_drop();
		this.ready = frappe
			.xcall("korus_crm.korus_crm.page.dispatch_board.dispatch_board.get_settings")
			.then((settings) => {
				this.settings = settings;
				// a Select of the branches (dispatchers and technicians need not read Branch records)
				this.branch_field.df.options = [{ value: "", label: __("All Branches") }].concat(
					(settings.branches || []).map((b) => ({ value: b, label: b }))
				);
				this.branch_field.refresh();
				if (settings.branch && !this.branch_field.get_value()) {
					this.branch_field.set_value(settings.branch); // its change refreshes
				} else {
					this.refresh();
				}
			});
	}

	add_style() {
		if (document.getElementById("korus-dispatch-style")) return;
		$(`<style id="korus-dispatch-style">
			.korus-dispatch { display: flex; gap: 12px; align-items: flex-start; }
			.korus-dispatch-grid { flex: 1; overflow-x: auto; border: 1px solid var(--border-color); border-radius: 6px; }
			.korus-dispatch-row { display: flex; border-bottom: 1px solid var(--border-color); min-height: 48px; }
			.korus-dispatch-row:last-child { border-bottom: none; }
			.korus-dispatch-name { width: 170px; flex: none; padding: 6px 8px; border-right: 1px solid var(--border-color); font-size: 12px; }
			.korus-dispatch-name .skills { color: var(--text-muted); font-size: 11px; }
			.korus-dispatch-lane { position: relative; flex: 1; display: flex; min-width: 600px; }
			.korus-dispatch-cell { flex: 1; border-right: 1px dashed var(--border-color); font-size: 11px; color: var(--text-muted); padding: 2px 4px; }
			.korus-dispatch-cell:last-child { border-right: none; }
			.korus-dispatch-cell.blocked { background: repeating-linear-gradient(45deg, var(--gray-200), var(--gray-200) 6px, var(--gray-100) 6px, var(--gray-100) 12px); cursor: not-allowed; }
			.korus-dispatch-head .korus-dispatch-cell { font-weight: 600; text-align: center; }
			.korus-dispatch-lane.drop-hover { background: var(--blue-50); }
			.korus-dispatch-block { position: absolute; top: 4px; bottom: 4px; min-width: 6px; border-radius: 4px; color: #fff; font-size: 11px;
				padding: 2px 6px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; cursor: pointer; }
			.korus-dispatch-block.busy { background: var(--gray-500) !important; cursor: default; }
			.korus-dispatch-block.helper { opacity: 0.6; }
			.korus-dispatch-block .resize { position: absolute; top: 0; right: 0; bottom: 0; width: 6px; cursor: ew-resize; }
			.korus-dispatch-pool { width: 280px; flex: none; border: 1px solid var(--border-color); border-radius: 6px; padding: 8px; }
			.korus-dispatch-pool.drop-hover { background: var(--blue-50); }
			.korus-dispatch-card { border: 1px solid var(--border-color); border-left-width: 4px; border-radius: 4px; padding: 4px 6px; margin: 6px 0;
				font-size: 12px; cursor: grab; background: var(--card-bg); }
			.korus-dispatch-card .meta { color: var(--text-muted); font-size: 11px; }
		</style>`).appendTo(document.head);
	}

	make_fields() {
		this.branch_field = this.page.add_field({
			fieldname: "branch",
			fieldtype: "Select",
			options: [],
			label: __("Branch"),
			change: () => this.refresh(),
		});
		this.view_field = this.page.add_field({
			fieldname: "view",
			fieldtype: "Select",
			label: __("View"),
			options: [
				{ value: "day", label: __("Day") },
				{ value: "week", label: __("Week") },
			],
			default: this.view,
			change: () => {
				this.view = this.view_field.get_value() || "week";
				localStorage.setItem("korus_dispatch_view", this.view);
				this.refresh();
			},
		});
		this.day_field = this.page.add_field({
			fieldname: "day",
			fieldtype: "Date",
			label: __("Date"),
			default: this.day,
			change: () => {
				this.day = this.day_field.get_value() || frappe.datetime.get_today();
				this.refresh();
			},
		});
		this.page.add_inner_button(__("Previous"), () => this.shift(-1));
		this.page.add_inner_button(__("Today"), () => this.day_field.set_value(frappe.datetime.get_today()));
		this.page.add_inner_button(__("Next"), () => this.shift(1));
		this.page.set_secondary_action(__("Refresh"), () => this.refresh());
		this.page.set_primary_action(__("New Job"), () => frappe.new_doc("Service Job"));
	}

	shift(direction) {
		const days = this.view === "day" ? 1 : 7;
		this.day_field.set_value(frappe.datetime.add_days(this.day, direction * days));
	}

	make_pool_filters() {
		const $filters = this.$pool.find(".korus-dispatch-pool-filters");
		this.type_field = frappe.ui.form.make_control({
			parent: $filters,
			df: {
				fieldname: "job_type",
				fieldtype: "Link",
				options: "Service Job Type",
				placeholder: __("Job Type"),
				change: () => this.load_pool(),
			},
			render_input: true,
		});
		this.skill_field = frappe.ui.form.make_control({
			parent: $filters,
			df: {
				fieldname: "skill",
				fieldtype: "Link",
				options: "Service Skill",
				placeholder: __("Skill"),
				change: () => this.load_pool(),
			},
			render_input: true,
		});
	}

	refresh() {
		if (!this.ready) return;
		return this.ready.then(() => Promise.all([this.load_board(), this.load_pool()]));
	}

	// --- the board ---

	load_board() {
		return frappe
			.xcall(`${korus_crm.DISPATCH_API}.board`, {
				day: this.day,
				view: this.view,
				branch: this.branch_field.get_value() || null,
			})
			.then((data) => {
				this.data = data;
				this.render_board();
			});
	}

	column_label(col) {
		const start = moment(col.start);
		return this.view === "day" ? start.format("HH:mm") : start.format("ddd DD.MM");
	}

	render_board() {
		const data = this.data;
		this.$grid.empty();
		const $head = $(`<div class="korus-dispatch-row korus-dispatch-head">
			<div class="korus-dispatch-name">${__("Technician")}</div><div class="korus-dispatch-lane"></div></div>`);
		data.columns.forEach((col) =>
			$head.find(".korus-dispatch-lane").append(`<div class="korus-dispatch-cell">${this.column_label(col)}</div>`)
		);
		this.$grid.append($head);
		if (!data.technicians.length) {
			this.$grid.append(`<div class="text-muted" style="padding: 12px">${__("No active technicians in this branch.")}</div>`);
			return;
		}
		data.technicians.forEach((tech) => this.$grid.append(this.render_row(tech)));
	}

	render_row(tech) {
		const $row = $(`<div class="korus-dispatch-row">
			<div class="korus-dispatch-name"><div>${frappe.utils.escape_html(tech.employee_name || tech.name)}</div>
				<div class="skills">${(tech.skills || []).map((s) => frappe.utils.escape_html(__(s))).join(", ")}</div></div>
			<div class="korus-dispatch-lane" data-technician="${frappe.utils.escape_html(tech.name)}"></div></div>`);
		const $lane = $row.find(".korus-dispatch-lane");
		const absences = tech.absences || [];
		this.data.columns.forEach((col, i) => {
			const $cell = $(`<div class="korus-dispatch-cell"></div>`).appendTo($lane);
			if (tech.blocked.includes(i)) {
				const reasons = absences
					.filter((a) => a.start < col.end && a.end > col.start)
					.map((a) => (a.kind === "holiday" ? __("Holiday") : __("Leave")) + (a.description ? `: ${a.description}` : ""));
				$cell.addClass("blocked").attr("title", reasons.join(", "));
			}
		});
		this.data.jobs.filter((j) => j.technician === tech.name).forEach((job) => $lane.append(this.render_block(job)));
		this.bind_lane($lane, tech);
		return $row;
	}

	render_block(job) {
		const n = this.data.columns.length;
		const colour = job.color || korus_crm.STATUS_COLOURS[job.status] || "#2490EF";
		const when = `${moment(job.start).format("HH:mm")}–${moment(job.end).format("HH:mm")}`;
		const title = job.name ? `${job.title} · ${__(job.job_type || "")} · ${__(job.status)} · ${when}` : `${__("Busy")} · ${when}`;
		const $block = $(`<div class="korus-dispatch-block"></div>`)
			.css({ left: `${(job.left / n) * 100}%`, width: `${(job.width / n) * 100}%`, background: colour })
			.attr("title", title)
			.text(job.name ? job.title : __("Busy"));
		if (!job.name) return $block.addClass("busy");
		if (job.helper) $block.addClass("helper");
		$block.attr("data-job", job.name);
		$block.on("click", (e) => {
			if (!$(e.target).hasClass("resize")) frappe.set_route("Form", "Service Job", job.name);
		});
		if (job.movable && this.settings.can_move) {
			$block.attr("draggable", "true");
			$block.on("dragstart", (e) => {
				e.originalEvent.dataTransfer.setData("text/plain", JSON.stringify({ job: job.name, from: "board" }));
				e.originalEvent.dataTransfer.effectAllowed = "move";
			});
			$(`<div class="resize"></div>`)
				.appendTo($block)
				.on("mousedown", (e) => this.start_resize(e, job, $block));
		}
		return $block;
	}

	// the column and the time under an x offset of a lane (null over a blocked column)
	time_at($lane, tech, offset_x) {
		const n = this.data.columns.length;
		const width = $lane.width();
		const position = Math.max(0, Math.min(n - 1e-6, (offset_x / width) * n));
		const index = Math.floor(position);
		if (tech && tech.blocked.includes(index)) return null;
		const col = this.data.columns[index];
		const start = moment(col.start);
		const minutes = moment(col.end).diff(start, "minutes") * (position - index);
		return start.add(Math.round(minutes / 15) * 15, "minutes").format("YYYY-MM-DD HH:mm:ss");
	}

	bind_lane($lane, tech) {
		if (!this.settings.can_move) return;
		const lane = $lane.get(0);
		lane.addEventListener("dragover", (e) => {
			const rect = lane.getBoundingClientRect();
			if (this.time_at($lane, tech, e.clientX - rect.left) === null) {
				e.dataTransfer.dropEffect = "none";
				$lane.removeClass("drop-hover");
				return; // a holiday or leave: not a target
			}
			e.preventDefault();
			e.dataTransfer.dropEffect = "move";
			$lane.addClass("drop-hover");
		});
		lane.addEventListener("dragleave", () => $lane.removeClass("drop-hover"));
		lane.addEventListener("drop", (e) => {
			e.preventDefault();
			$lane.removeClass("drop-hover");
			const payload = this.payload(e);
			if (!payload) return;
			const rect = lane.getBoundingClientRect();
			const start = this.time_at($lane, tech, e.clientX - rect.left);
			if (start === null) return;
			this.act("schedule_job", { job: payload.job, technician: tech.name, start }, __("Job scheduled"));
		});
	}

	start_resize(e, job, $block) {
		e.preventDefault();
		e.stopPropagation();
		const $lane = $block.closest(".korus-dispatch-lane");
		const tech = this.data.technicians.find((t) => t.name === job.technician);
		const left = $lane.get(0).getBoundingClientRect().left;
		const n = this.data.columns.length;
		const move = (ev) => {
			const right = ((ev.clientX - left) / $lane.width()) * n;
			$block.css("width", `${(Math.max(right - job.left, 0.05) / n) * 100}%`);
		};
		const up = (ev) => {
			$(document).off("mousemove", move).off("mouseup", up);
			const end = this.time_at($lane, null, ev.clientX - left);
			if (!end || end <= job.start) return this.load_board();
			this.act(
				"schedule_job",
				{ job: job.name, technician: tech ? tech.name : job.technician, start: job.start, end },
				__("Job resized")
			);
		};
		$(document).on("mousemove", move).on("mouseup", up);
	}

	payload(e) {
		try {
			return JSON.parse(e.dataTransfer.getData("text/plain"));
		} catch (err) {
			return null;
		}
	}

	act(method, args, done) {
		return frappe
			.xcall(`${korus_crm.DISPATCH_API}.${method}`, args)
			.then(() => frappe.show_alert({ message: done, indicator: "green" }))
			.catch(() => null) // refused: the server's message is showing
			.finally(() => this.refresh());
	}

	// --- the pool ---

	load_pool(more) {
		this.pool_start = more ? this.pool_start + this.settings.pool_page : 0;
		return frappe
			.xcall(`${korus_crm.DISPATCH_API}.pool`, {
				branch: this.branch_field.get_value() || null,
				job_type: this.type_field.get_value() || null,
				skill: this.skill_field.get_value() || null,
				start: this.pool_start,
				page_length: this.settings.pool_page,
			})
			.then((jobs) => {
				if (!more) this.$pool_list.empty();
				if (!more && !jobs.length) this.$pool_list.html(`<div class="text-muted">${__("The pool is empty.")}</div>`);
				jobs.forEach((job) => this.$pool_list.append(this.render_card(job)));
				this.$pool.find(".korus-dispatch-more").toggle(jobs.length === this.settings.pool_page);
			});
	}

	render_card(job) {
		const colours = { Urgent: "#E24C4C", High: "#ECAD4B", Medium: "#2490EF", Low: "#98A1A9" };
		const preferred = job.preferred_start
			? `${__("Preferred")}: ${frappe.datetime.str_to_user(job.preferred_start)}`
			: "";
		const $card = $(`<div class="korus-dispatch-card" draggable="${this.settings.can_move ? "true" : "false"}">
			<div><b>${frappe.utils.escape_html(job.customer_name || job.customer)}</b></div>
			<div class="meta">${frappe.utils.escape_html(__(job.job_type))} · ${__(job.priority)} · ${frappe.utils.escape_html(job.name)}</div>
			<div class="meta">${frappe.utils.escape_html(preferred)}</div></div>`)
			.attr("data-job", job.name)
			.css("border-left-color", colours[job.priority] || "#2490EF");
		$card.on("click", () => frappe.set_route("Form", "Service Job", job.name));
		$card.on("dragstart", (e) => {
			e.originalEvent.dataTransfer.setData("text/plain", JSON.stringify({ job: job.name, from: "pool" }));
			e.originalEvent.dataTransfer.effectAllowed = "move";
		});
		if (this.settings.can_take) {
			$(`<button class="btn btn-xs btn-default">${__("Take")}</button>`)
				.appendTo($card)
				.on("click", (e) => {
					e.stopPropagation();
					this.act("take_job", { job: job.name }, __("The job is yours"));
				});
		}
		return $card;
	}

	bind_pool_drop() {
		const pool = this.$pool.get(0);
		pool.addEventListener("dragover", (e) => {
			if (!this.settings || !this.settings.can_move) return;
			e.preventDefault();
			this.$pool.addClass("drop-hover");
		});
		pool.addEventListener("dragleave", () => this.$pool.removeClass("drop-hover"));
		pool.addEventListener("drop", (e) => {
			e.preventDefault();
			this.$pool.removeClass("drop-hover");
			const payload = this.payload(e);
			if (!payload || payload.from !== "board") return;
			this.act("unschedule_job", { job: payload.job }, __("Job back in the pool"));
		});
	}
};
