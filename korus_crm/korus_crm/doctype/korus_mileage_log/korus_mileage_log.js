// Korus CRM: a vehicle's trip (seed 001 Pojazdy). The start reading is the vehicle's odometer unless
// another is entered; the service job is chosen among the customer's. The server derives the distance,
// warns about a backdated log and sets the vehicle's odometer on submit and cancel.
frappe.ui.form.on("Korus Mileage Log", {
	setup(frm) {
		frm.set_query("service_job", () => ({
			filters: frm.doc.customer ? { customer: frm.doc.customer } : {},
		}));
	},

	vehicle(frm) {
		if (!frm.doc.vehicle || frm.doc.docstatus !== 0) return;
		frappe.db.get_value("Vehicle", frm.doc.vehicle, "last_odometer").then(({ message }) => {
			if (message && !frm.doc.start_odometer) {
				frm.set_value("start_odometer", message.last_odometer);
			}
		});
	},

	refresh(frm) {
		if (frm.doc.docstatus === 1 && frm.doc.vehicle) {
			frm.add_custom_button(__("Vehicle Mileage"), () =>
				frappe.set_route("query-report", "Vehicle Mileage", { vehicle: frm.doc.vehicle })
			);
		}
	},
});
