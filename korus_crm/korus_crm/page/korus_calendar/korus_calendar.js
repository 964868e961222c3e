// The Korus calendar (/app/korus-calendar, seed 001 Kalendarz): tasks, scheduled contacts, follow-ups'
// next contacts, deals' expected close dates, contacts' and customers' birthdays and anniversaries
// (korus_crm.calendar.events, read through the user's permissions). Filter by person and by type;
// click an event to open its record; drag a task, scheduled contact, next contact or close date to
// another day or time (korus_crm.calendar.reschedule saves the record, so its rules apply).
// Uses the FullCalendar that Frappe's desk ships (as its own calendar view does).
frappe.pages["korus-calendar"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Calendar"), single_column: true });
	wrapper.korus_calendar = new korus_crm.Calendar(page);
};

frappe.pages["korus-calendar"].on_page_show = function (wrapper) {
	wrapper.korus_calendar && wrapper.korus_calendar.refresh();
};

frappe.provide("korus_crm");

korus_crm.CALENDAR_TYPES = [
	{ type: "task", label: "Tasks", color: "#2490EF" },
	{ type: "scheduled_contact", label: "Scheduled Contacts", color: "#7575FF" },
	{ type: "follow_up", label: "Next Contacts", color: "#ECAD4B" },
	{ type: "deal", label: "Expected Closing", color: "#29CD42" },
	{ type: "birthday", label: "Birthdays", color: "#E24C4C" },
	{ type: "anniversary", label: "Anniversaries", color: "#D65FB3" },
];

korus_crm.Calendar = class Calendar {
	constructor(page) {
		this.page = page;
		this.types = this.saved_types();
		this.person_field = page.add_field({
			fieldname: "person",
			fieldtype: "Link",
			options: "User",
			label: __("Person"),
			change: () => this.refresh(),
		});
		page.add_inner_button(__("My Events"), () => this.person_field.set_value(frappe.session.user));
		page.add_inner_button(__("Everyone"), () => this.person_field.set_value(""));
		page.set_secondary_action(__("Refresh"), () => this.refresh());
		this.$types = $(`<div class="korus-calendar-types"></div>`).appendTo(page.main);
		this.render_types();
		this.$cal = $(`<div class="korus-calendar"></div>`).appendTo(page.main);
		this.ready = frappe.require(this.libs()).then(() => this.make());
	}

	libs() {
		const libs = [
			"assets/frappe/js/lib/fullcalendar/fullcalendar.min.css",
			"assets/frappe/js/lib/fullcalendar/fullcalendar.min.js",
		];
		if (frappe.boot.lang && frappe.boot.lang !== "en") libs.push("assets/frappe/js/lib/fullcalendar/locale-all.js");
		return libs;
	}

	saved_types() {
		try {
			const saved = JSON.parse(localStorage.getItem("korus_calendar_types") || "null");
			if (Array.isArray(saved) && saved.length) return new Set(saved);
		} catch (e) {
			// ignore a broken setting
		}
		return new Set(korus_crm.CALENDAR_TYPES.map((t) => t.type));
	}

	render_types() {
		this.$types.html(
			korus_crm.CALENDAR_TYPES.map(
				(t) => `<label><input type="checkbox" data-type="${t.type}" ${this.types.has(t.type) ? "checked" : ""}>
					<span class="korus-calendar-swatch" style="background:${t.color}"></span>${__(t.label)}</label>`
			).join("")
		);
		this.$types.on("change", "input", (e) => {
			const type = $(e.currentTarget).attr("data-type");
			if (e.currentTarget.checked) this.types.add(type);
			else this.types.delete(type);
			localStorage.setItem("korus_calendar_types", JSON.stringify([...this.types]));
			this.refresh();
		});
	}

	make() {
		const color = (type) => (korus_crm.CALENDAR_TYPES.find((t) => t.type === type) || {}).color;
		this.$cal.fullCalendar({
			locale: frappe.boot.lang,
			header: { left: "prev,next today", center: "title", right: "month,agendaWeek,agendaDay,listMonth" },
			buttonText: { today: __("Today"), month: __("Month"), week: __("Week"), day: __("Day"), list: __("List") },
			defaultView: localStorage.getItem("korus_calendar_view") || "month",
			editable: true,
			eventLimit: true,
			nowIndicator: true,
			defaultTimedEventDuration: "00:30:00",
			viewRender: (view) => localStorage.setItem("korus_calendar_view", view.name),
			events: (start, end, _timezone, callback) => {
				if (!this.types.size) return callback([]);
				const person = this.person_field.get_value();
				frappe
					.xcall("korus_crm.calendar.events", {
						start: start.format("YYYY-MM-DD"),
						end: end.format("YYYY-MM-DD"),
						types: [...this.types],
						people: person ? [person] : null,
					})
					.then((events) =>
						callback(
							(events || []).map((e) => ({
								id: e.id,
								title: e.title,
								start: e.all_day ? e.start : frappe.datetime.convert_to_user_tz(e.start),
								end: e.end ? (e.all_day ? e.end : frappe.datetime.convert_to_user_tz(e.end)) : null,
								allDay: !!e.all_day,
								editable: !!e.editable,
								color: color(e.type),
								doctype: e.doctype,
								name: e.name,
								type: e.type,
								person: e.person,
							}))
						)
					)
					.catch(() => callback([]));
			},
			eventRender: (event, element) => {
				element.attr({
					"data-doctype": event.doctype,
					"data-name": event.name,
					"data-type": event.type,
					title: [event.title, event.person].filter(Boolean).join(" · "),
				});
			},
			eventClick: (event) => {
				frappe.set_route("Form", event.doctype, event.name);
				return false;
			},
			eventDrop: (event, _delta, revert) => this.reschedule(event, revert),
			eventResize: (_event, _delta, revert) => revert(), // a length is changed on the record itself
		});
		// the desk's arrows, as Frappe's own calendar view shows them
		this.$cal.find(".fc-prev-button span").attr("class", "").html(frappe.utils.icon("left"));
		this.$cal.find(".fc-next-button span").attr("class", "").html(frappe.utils.icon("right"));
	}

	reschedule(event, revert) {
		const start = event.allDay
			? event.start.format("YYYY-MM-DD")
			: frappe.datetime.convert_to_system_tz(event.start.format("YYYY-MM-DD HH:mm:ss"));
		frappe
			.xcall("korus_crm.calendar.reschedule", { doctype: event.doctype, name: event.name, start })
			.then(() => {
				frappe.show_alert({ message: __("{0} moved", [event.title]), indicator: "green" });
				this.refresh();
			})
			.catch(() => revert());
	}

	refresh() {
		this.ready && this.ready.then(() => this.$cal.fullCalendar("refetchEvents"));
	}
};
