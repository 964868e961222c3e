// Copyright (c) 2026, Korus CRM developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Work Report", {
	setup(frm) {
		frm.set_query("user", "recipients", () => ({
			filters: { enabled: 1, user_type: "System User" },
		}));
	},
	refresh(frm) {
		const onload = frm.doc.__onload || {};
		if (onload.unread) {
			onload.unread = false;
			frappe.xcall("korus_crm.office.work_reports.mark_read", { name: frm.doc.name }).then(() => {
				// the reader's own row, as the server now has it (the report itself is unchanged)
				const row = (frm.doc.recipients || []).find((r) => r.user === frappe.session.user);
				if (row) {
					row.is_read = 1;
					row.read_on = frappe.datetime.now_datetime();
					frm.refresh_field("recipients");
				}
				korus_work_report_read_by(frm);
			});
		}
		if (frm.doc.docstatus === 0) {
			frm.set_intro(
				onload.supervisor || frm.is_new()
					? __("Submit the report to send it to your supervisor and the colleagues you add below.")
					: __("You have no supervisor with a login: add the colleagues who should receive the report."),
				"blue"
			);
		}
		korus_work_report_read_by(frm);
	},
	kind(frm) {
		korus_work_report_period(frm);
	},
	report_date(frm) {
		korus_work_report_period(frm);
	},
});

// the period the server will derive, shown before the report is saved
function korus_work_report_period(frm) {
	if (!frm.doc.kind || !frm.doc.report_date) return;
	frappe
		.xcall("korus_crm.office.work_reports.period", {
			kind: frm.doc.kind,
			report_date: frm.doc.report_date,
		})
		.then((p) => {
			frm.set_value("period_start", p.period_start);
			frm.set_value("period_end", p.period_end);
		});
}

function korus_work_report_read_by(frm) {
	if (frm.doc.docstatus !== 1) return;
	const rows = frm.doc.recipients || [];
	const read = rows.filter((r) => r.is_read).length;
	// one indicator, replaced when the reader's own row changes
	frm.dashboard.stats_area_row.find(".korus-read-by").closest(".indicator-column").remove();
	frm.dashboard.add_indicator(
		`<span class="korus-read-by">${__("Read by {0} of {1}", [read, rows.length])}</span>`,
		read >= rows.length ? "green" : "orange"
	);
}
