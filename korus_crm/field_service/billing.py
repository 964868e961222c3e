"""The ERPNext documents of a completed job, made in the completing save's transaction (a failure
refuses the completion, with ERPNext's own message):

- a Sales Invoice for the billable lines, priced by ERPNext (an agreed rate on a line is kept, as
  korus_crm.selling.pricing does for orders), submitted; when stock items are among the lines, the
  invoice updates stock (`update_stock`) from the technician's warehouse, else the branch's
  (`korus_service_warehouse` on Branch), so the stock ledger shows the parts used;
- a Maintenance Visit when the job came from a Maintenance Schedule, made by ERPNext's own mapper
  (`make_maintenance_visit`) for the job's scheduled visit, Fully Completed, submitted (ERPNext then
  marks the schedule's visit done);

each linked back on the job (`sales_invoice`, `maintenance_visit`). Korus never computes a rate or a
tax here. The documents are made with ignore_permissions: completing the job is the permission
(a technician completes jobs without the right to make invoices), as contract orders do.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, flt, get_datetime, getdate, nowdate

from korus_crm.exceptions import JobBillingError
from korus_crm.rules import field_service as rules
from korus_crm.rules.scope import BRANCH_FIELD
from korus_crm.selling import pricing

BRANCH_WAREHOUSE_FIELD = "korus_service_warehouse"


def make_documents(doc) -> None:
	if not doc.sales_invoice:
		invoice = make_sales_invoice(doc)
		if invoice:
			doc.db_set("sales_invoice", invoice, update_modified=False)
	if not doc.maintenance_visit and doc.source_doctype == "Maintenance Schedule" and doc.source_name:
		doc.db_set("maintenance_visit", make_maintenance_visit(doc), update_modified=False)


def lines_of(doc) -> list[rules.Line]:
	return [
		rules.Line(
			item_code=row.item_code,
			qty=flt(row.qty),
			rate=flt(row.rate),
			billable=bool(cint(row.billable)),
			is_stock_item=bool(cint(frappe.get_cached_value("Item", row.item_code, "is_stock_item"))),
		)
		for row in doc.items
	]


def warehouse_for(doc) -> str | None:
	technician = (
		frappe.db.get_value("Service Technician", doc.technician, "warehouse") if doc.technician else None
	)
	branch = doc.get(BRANCH_FIELD)
	branch_warehouse = (
		frappe.db.get_value("Branch", branch, BRANCH_WAREHOUSE_FIELD)
		if branch and frappe.get_meta("Branch").has_field(BRANCH_WAREHOUSE_FIELD)
		else None
	)
	return rules.invoice_warehouse(technician, branch_warehouse)


def make_sales_invoice(doc) -> str | None:
	"""The job's Sales Invoice (None: nothing billable)."""
	lines = rules.billable_lines(lines_of(doc))
	if not lines:
		return None
	invoice = frappe.new_doc("Sales Invoice")
	# before ERPNext fills the party's details (it checks the user may read the customer unless told)
	invoice.flags.ignore_permissions = True
	invoice.update(
		{
			"customer": doc.customer,
			"company": doc.company,
			"posting_date": nowdate(),
			"set_posting_time": 1,
			"contact_person": doc.contact,
			"customer_address": doc.site_address,
			"remarks": _("Service job {0}").format(doc.name),
		}
	)
	if invoice.meta.has_field(BRANCH_FIELD) and doc.get(BRANCH_FIELD):
		invoice.set(BRANCH_FIELD, doc.get(BRANCH_FIELD))  # Korus's Branch accounting dimension
	pricing.fill_lines(
		invoice, [frappe._dict(item_code=x.item_code, qty=x.qty, rate=x.rate) for x in lines], "rate"
	)
	if rules.needs_stock(lines):
		warehouse = warehouse_for(doc)
		if not warehouse:
			frappe.throw(
				_(
					"Job {0} used stock items but neither its technician nor its branch has a warehouse: set one to complete the job."
				).format(frappe.bold(doc.name)),
				JobBillingError,
			)
		invoice.update_stock = 1
		invoice.set_warehouse = warehouse
		for row, line in zip(invoice.items, lines, strict=True):
			if line.is_stock_item:
				row.warehouse = warehouse
	invoice.due_date = invoice.due_date or invoice.posting_date
	invoice.insert()
	invoice.submit()
	return invoice.name


def service_person(doc) -> str | None:
	if not doc.technician:
		return None
	person = frappe.db.get_value("Service Technician", doc.technician, "sales_person")
	if person:
		return person
	employee = frappe.db.get_value("Service Technician", doc.technician, "employee")
	return frappe.db.get_value("Sales Person", {"employee": employee, "enabled": 1}, "name")


def next_visit(schedule: str) -> str | None:
	"""The schedule's first visit still pending (a job that names none does that one)."""
	return frappe.db.get_value(
		"Maintenance Schedule Detail",
		{"parent": schedule, "parenttype": "Maintenance Schedule", "completion_status": "Pending"},
		"name",
		order_by="scheduled_date asc, idx asc",
	)


def make_maintenance_visit(doc) -> str:
	from erpnext.maintenance.doctype.maintenance_schedule.maintenance_schedule import (
		make_maintenance_visit as map_visit,
	)

	# ERPNext's mapper checks that the user may create visits (a target allowed to skip that is
	# passed) and read the schedule (Korus's roles may: korus_crm.setup.roles)
	target = frappe.new_doc("Maintenance Visit")
	target.flags.ignore_permissions = True
	detail = doc.maintenance_schedule_detail or next_visit(doc.source_name)
	visit = map_visit(doc.source_name, target_doc=target, s_id=detail) if detail else None
	if visit is None or not visit.purposes:
		frappe.throw(
			_("Maintenance Schedule {0} has no visit for job {1}.").format(
				frappe.bold(doc.source_name), frappe.bold(doc.name)
			),
			JobBillingError,
		)
	person = service_person(doc)
	done_at = get_datetime(doc.actual_end or doc.scheduled_end)
	visit.update(
		{
			"company": doc.company,
			"mntc_date": getdate(done_at),
			"mntc_time": done_at.strftime("%H:%M:%S"),
			"completion_status": "Fully Completed",
			"maintenance_type": "Scheduled",
			"maintenance_schedule_detail": detail,
			"contact_person": doc.contact,
			"customer_address": doc.site_address,
		}
	)
	for purpose in visit.purposes:
		purpose.work_done = doc.work_done
		purpose.service_person = purpose.service_person or person
		if not purpose.service_person:
			frappe.throw(
				_(
					"ERPNext's Maintenance Visit needs a service person: link technician {0} to a Sales Person."
				).format(frappe.bold(doc.technician_name or doc.technician)),
				JobBillingError,
			)
	visit.insert()
	visit.submit()
	return visit.name
