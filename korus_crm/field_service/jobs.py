"""A Service Job's rules, on every save (the form, REST, the dispatch board, imports): the Service
Job controller calls `validate` and `on_update` here.

- The status moves only as korus_crm.rules.field_service.TRANSITIONS allows, and each status has
  what it needs (a technician and times to be scheduled, the work done to be completed); starting
  and completing stamp the actual times; every move is kept in the status history.
- No double booking: when a job's technician, helpers or times change (or it is booked again), the
  technicians' Service Technician rows are locked (FOR UPDATE, in name order) and their jobs
  overlapping the new times are read with a locking read, then refused if any. Two dispatchers
  dragging onto one technician at the same moment: the second waits for the first's commit, then
  sees its job and is refused.
- A booking also needs an active technician with the job type's skills, off holiday and leave.
- The technician is told (in the desk and by email) when a job is dispatched to them, and when a
  dispatched job is moved or taken from them.
- Completing a job makes its ERPNext documents (korus_crm.field_service.billing) in the same
  transaction: a failure refuses the completion.
"""

from __future__ import annotations

from typing import Annotated

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt, format_datetime, get_datetime, now_datetime

from korus_crm.boundary import Between, whitelist
from korus_crm.exceptions import (
	DoubleBookingError,
	InvalidInputError,
	JobStatusError,
	SkillMismatchError,
	TechnicianUnavailableError,
)
from korus_crm.notify import tell
from korus_crm.rules import field_service as rules

DOCTYPE = "Service Job"
TECHNICIAN = "Service Technician"
# the documents a job may come from
SOURCE_DOCTYPES = ("Opportunity", "Contract Order", "Issue", "Maintenance Schedule")
# roles whose holders, as active technicians, may take a job from the pool themselves
TAKING_ROLES = ("Korus Technician", "Korus Dispatcher", "Korus Administrator", "System Manager")


# --- the controller's hooks ---


def validate(doc) -> None:
	before = doc.get_doc_before_save()
	set_defaults(doc, before)
	check_links(doc)
	check_status(doc, before)
	if booking_changed(doc, before):
		check_booking(doc)
	record_status(doc, before)


def on_update(doc) -> None:
	before = doc.get_doc_before_save()
	notify_technicians(doc, before)
	if doc.status == rules.COMPLETED and (before is None or before.status != rules.COMPLETED):
		from korus_crm.field_service.billing import make_documents

		make_documents(doc)


# --- values the server keeps ---


def set_defaults(doc, before) -> None:
	if not doc.company:
		doc.company = frappe.defaults.get_user_default("Company") or frappe.defaults.get_global_default(
			"company"
		)
	doc.priority = doc.priority or rules.DEFAULT_PRIORITY
	doc.priority_rank = rules.priority_rank(doc.priority)
	doc.status = doc.status or rules.NEW
	if doc.is_new() and doc.status == rules.NEW and doc.technician and doc.scheduled_start:
		doc.status = rules.SCHEDULED  # entered with its technician and time: it skips the pool
	if doc.scheduled_start and not doc.scheduled_end and doc.job_type:
		duration = frappe.get_cached_value("Service Job Type", doc.job_type, "default_duration")
		doc.scheduled_end = rules.default_end(get_datetime(doc.scheduled_start), cint(duration))
	doc.duration_minutes = rules.duration_minutes(_dt(doc.scheduled_start), _dt(doc.scheduled_end))
	if doc.is_new() and not doc.items and doc.job_type:
		billable_item = frappe.get_cached_value("Service Job Type", doc.job_type, "billable_item")
		if billable_item:
			doc.append("items", {"item_code": billable_item, "qty": 1, "billable": 1})
	for row in doc.items:
		row.amount = flt(row.qty) * flt(row.rate)
	if doc.site_address and (before is None or before.site_address != doc.site_address):
		from frappe.contacts.doctype.address.address import render_address

		doc.address_display = render_address(doc.site_address, check_permissions=False)
	elif not doc.site_address:
		doc.address_display = None
	if not doc.technician:
		doc.technician_user = None


def _dt(value):
	return get_datetime(value) if value else None


# --- links ---


def check_links(doc) -> None:
	"""The contact and site address are the customer's; the source is one of the kinds a job comes
	from; a scheduled visit belongs to the job's Maintenance Schedule."""
	if doc.contact and not _linked("Contact", doc.contact, doc.customer):
		frappe.throw(
			_("Contact {0} is not a contact of customer {1}.").format(
				frappe.bold(doc.contact), frappe.bold(doc.customer_name or doc.customer)
			),
			InvalidInputError,
		)
	if doc.site_address and not _linked("Address", doc.site_address, doc.customer):
		frappe.throw(
			_("Address {0} is not an address of customer {1}.").format(
				frappe.bold(doc.site_address), frappe.bold(doc.customer_name or doc.customer)
			),
			InvalidInputError,
		)
	if doc.source_doctype and doc.source_doctype not in SOURCE_DOCTYPES:
		frappe.throw(
			_(
				"A job comes from a deal, a contract order, an Issue or a Maintenance Schedule, not from {0}."
			).format(frappe.bold(_(doc.source_doctype))),
			InvalidInputError,
		)
	if doc.source_name and not doc.source_doctype:
		frappe.throw(_("Choose the type of the job's source."), InvalidInputError)
	if doc.maintenance_schedule_detail:
		parent = frappe.db.get_value("Maintenance Schedule Detail", doc.maintenance_schedule_detail, "parent")
		if doc.source_doctype != "Maintenance Schedule" or parent != doc.source_name:
			frappe.throw(
				_("The scheduled visit must be a visit of the job's Maintenance Schedule {0}.").format(
					frappe.bold(doc.source_name or "")
				),
				InvalidInputError,
			)


def _linked(doctype: str, name: str, customer: str) -> bool:
	return bool(
		frappe.db.exists(
			"Dynamic Link",
			{"parenttype": doctype, "parent": name, "link_doctype": "Customer", "link_name": customer},
		)
	)


# --- status ---

PROBLEMS = {
	"technician_in_pool": lambda: _("A job in the pool (New) has no technician: schedule it instead."),
	"technician": lambda: _("Choose the technician first."),
	"schedule": lambda: _("Set the scheduled start and end first."),
	"schedule_order": lambda: _("The scheduled end must be after the scheduled start."),
	"actual_start": lambda: _("Set the actual start first."),
	"actual_end": lambda: _("Set the actual end first."),
	"actual_order": lambda: _("The actual end must be after the actual start."),
	"work_done": lambda: _("Describe the work done before completing the job."),
}


def check_status(doc, before) -> None:
	old = before.status if before else None
	problem = rules.transition_problem(old, doc.status)
	if problem == "final":
		frappe.throw(
			_("Job {0} is {1}: its status cannot change.").format(frappe.bold(doc.name), _(old)),
			JobStatusError,
		)
	if problem:
		frappe.throw(
			_("A job cannot go from {0} to {1}.").format(_(old or "New"), _(doc.status)), JobStatusError
		)
	if doc.status == rules.NEW and old and old != rules.NEW:
		# back to the pool: the technician and times go
		doc.technician = doc.technician_name = doc.technician_user = None
		doc.scheduled_start = doc.scheduled_end = None
		doc.duration_minutes = 0
		doc.set("helpers", [])
	start, end = rules.actual_times(
		old, doc.status, _dt(doc.actual_start), _dt(doc.actual_end), now_datetime()
	)
	doc.actual_start, doc.actual_end = start, end
	problems = rules.requirement_problems(
		rules.JobState(
			status=doc.status,
			technician=doc.technician,
			scheduled_start=_dt(doc.scheduled_start),
			scheduled_end=_dt(doc.scheduled_end),
			actual_start=_dt(doc.actual_start),
			actual_end=_dt(doc.actual_end),
			work_done=doc.work_done,
		)
	)
	if problems:
		frappe.throw(PROBLEMS[problems[0]](), JobStatusError, title=_("Job {0}").format(_(doc.status)))


def record_status(doc, before) -> None:
	old = before.status if before else None
	if old == doc.status:
		return
	doc.append(
		"status_history",
		{
			"from_status": old,
			"to_status": doc.status,
			"changed_by": frappe.session.user,
			"changed_at": now_datetime(),
		},
	)


# --- booking ---


def helpers_of(doc) -> list[str]:
	return sorted({row.technician for row in doc.get("helpers") or [] if row.technician})


def booking_changed(doc, before) -> bool:
	"""Whether the save books (or re-books) time: a booked job that is new, or whose technician,
	helpers or times changed, or that comes back from the pool, hold or cancellation."""
	if doc.status not in rules.BOOKED or not doc.technician:
		return False
	if not (doc.scheduled_start and doc.scheduled_end):
		return False
	if before is None or before.status not in rules.BOOKED:
		return True
	return (
		before.technician != doc.technician
		or _dt(before.scheduled_start) != _dt(doc.scheduled_start)
		or _dt(before.scheduled_end) != _dt(doc.scheduled_end)
		or helpers_of(before) != helpers_of(doc)
	)


def check_booking(doc) -> None:
	start, end = get_datetime(doc.scheduled_start), get_datetime(doc.scheduled_end)
	helpers = [h for h in helpers_of(doc) if h != doc.technician]
	people = sorted({doc.technician, *helpers})
	technicians = lock_technicians(people)
	for name in people:
		if name not in technicians:
			frappe.throw(_("Technician {0} not found.").format(frappe.bold(name)), frappe.DoesNotExistError)
		if not technicians[name].active:
			frappe.throw(
				_("Technician {0} is not active.").format(
					frappe.bold(technicians[name].employee_name or name)
				),
				TechnicianUnavailableError,
			)
	check_skills(doc.job_type, doc.technician, technicians[doc.technician].employee_name)
	check_absences(people, start, end, technicians)
	check_overlap(doc.name, people, start, end, technicians)


def lock_technicians(people: list[str]) -> dict[str, frappe._dict]:
	"""Lock the technicians' rows (in name order, so two bookings never wait on each other) and
	read them."""
	rows = frappe.db.sql(
		"""select name, employee, employee_name, user, active from `tabService Technician`
		where name in %(people)s order by name for update""",
		{"people": tuple(people)},
		as_dict=True,
	)
	return {r.name: r for r in rows}


def check_skills(job_type: str, technician: str, technician_name: str | None) -> None:
	required = frappe.get_all(
		"Service Job Type Skill",
		filters={"parent": job_type, "parenttype": "Service Job Type"},
		pluck="skill",
	)
	if not required:
		return
	has = frappe.get_all(
		"Service Technician Skill",
		filters={"parent": technician, "parenttype": TECHNICIAN},
		pluck="skill",
	)
	missing = rules.missing_skills(required, has)
	if missing:
		frappe.throw(
			_("{0} lacks the skills job type {1} requires: {2}.").format(
				frappe.bold(technician_name or technician),
				frappe.bold(_(job_type)),
				", ".join(_(s) for s in missing),
			),
			SkillMismatchError,
		)


def check_absences(people: list[str], start, end, technicians: dict) -> None:
	from korus_crm.field_service.availability import absences

	for technician, found in absences(people, start, end).items():
		absence = rules.blocking_absence(start, end, found)
		if not absence:
			continue
		who = frappe.bold(technicians[technician].employee_name or technician)
		when = frappe.utils.format_date(absence.start)
		if absence.kind == rules.HOLIDAY:
			message = _("{0} is on holiday on {1} ({2}): choose another time or technician.").format(
				who, when, escape_html(absence.description or _("Holiday"))
			)
		else:
			message = _("{0} is on leave from {1}: choose another time or technician.").format(
				who, format_datetime(absence.start)
			)
		frappe.throw(message, TechnicianUnavailableError)


def check_overlap(name: str | None, people: list[str], start, end, technicians: dict) -> None:
	"""Refuse a booking that overlaps another booked job of any of `people` (as technician or
	helper). Locking reads: after the technicians' row locks, they see what was committed while
	this transaction waited (a plain read would see its older snapshot)."""
	values = {
		"people": tuple(people),
		"start": start,
		"end": end,
		"booked": tuple(sorted(rules.BOOKED)),
		"name": name or "",
	}
	rows = frappe.db.sql(
		"""select name, technician, scheduled_start, scheduled_end from `tabService Job`
		where technician in %(people)s and scheduled_start < %(end)s and scheduled_end > %(start)s
		and status in %(booked)s and name != %(name)s
		lock in share mode""",
		values,
		as_dict=True,
	)
	rows += frappe.db.sql(
		"""select job.name, helper.technician, job.scheduled_start, job.scheduled_end
		from `tabService Job Helper` helper
		join `tabService Job` job on job.name = helper.parent
		where helper.parenttype = 'Service Job' and helper.technician in %(people)s
		and job.scheduled_start < %(end)s and job.scheduled_end > %(start)s
		and job.status in %(booked)s and job.name != %(name)s
		lock in share mode""",
		values,
		as_dict=True,
	)
	if not rows:
		return
	clash = min(rows, key=lambda r: r.scheduled_start)
	frappe.throw(
		_("{0} already has job {1} from {2} to {3}: two jobs of one technician cannot overlap.").format(
			frappe.bold(technicians[clash.technician].employee_name or clash.technician),
			frappe.bold(clash.name),
			format_datetime(clash.scheduled_start),
			format_datetime(clash.scheduled_end),
		),
		DoubleBookingError,
		title=_("Double booking"),
	)


# --- notices ---


def notify_technicians(doc, before) -> None:
	"""Dispatched to a technician: they are told; a dispatched job moved: its technician is told;
	taken from them: the previous technician is told."""
	old_status = before.status if before else None
	old_user = before.technician_user if before else None
	when = format_datetime(doc.scheduled_start) if doc.scheduled_start else ""
	what = escape_html(f"{doc.customer_name or doc.customer} · {doc.job_type}")
	if doc.status == rules.DISPATCHED and doc.technician_user:
		if old_status != rules.DISPATCHED or old_user != doc.technician_user:
			tell(
				doc.technician_user,
				DOCTYPE,
				doc.name,
				lambda lang: _("Job {0} is dispatched to you for {1}: {2}", lang=lang).format(
					doc.name, when, what
				),
			)
		elif _dt(before.scheduled_start) != _dt(doc.scheduled_start) or _dt(before.scheduled_end) != _dt(
			doc.scheduled_end
		):
			tell(
				doc.technician_user,
				DOCTYPE,
				doc.name,
				lambda lang: _("Job {0} is moved to {1}: {2}", lang=lang).format(doc.name, when, what),
			)
	if old_status == rules.DISPATCHED and old_user and old_user != doc.technician_user:
		tell(
			old_user,
			DOCTYPE,
			doc.name,
			lambda lang: _("Job {0} is no longer yours: {1}", lang=lang).format(doc.name, what),
		)


# --- data scope ---


def participants(user: str) -> str:
	"""SCOPED's participants of Service Job: the jobs the user works on (as technician or helper),
	and the pool's jobs of the branches they are an active technician of (so they may take one)."""
	technicians = frappe.get_all(
		TECHNICIAN, filters={"user": user, "active": 1}, fields=["name", "branch"], order_by="name"
	)
	table = "`tabService Job`"
	conditions = [f"{table}.`technician_user` = {frappe.db.escape(user)}"]
	if technicians:
		names = ", ".join(frappe.db.escape(t.name) for t in technicians)
		conditions.append(
			f"exists (select 1 from `tabService Job Helper` helper where helper.parent = {table}.`name`"
			f" and helper.parenttype = 'Service Job' and helper.technician in ({names}))"
		)
		branches = sorted({t.branch for t in technicians if t.branch})
		if branches:
			listed = ", ".join(frappe.db.escape(b) for b in branches)
			conditions.append(f"({table}.`status` = 'New' and {table}.`branch` in ({listed}))")
	return " or ".join(conditions)


# --- Employee changes ---


def employee_changed(doc, method=None) -> None:
	"""Employee on_update: the technician's user and name follow, and so do their jobs' user (a
	new login sees the technician's jobs)."""
	if not frappe.db.exists(TECHNICIAN, doc.name):
		return
	before = doc.get_doc_before_save()
	if before and (before.user_id, before.employee_name) == (doc.user_id, doc.employee_name):
		return
	frappe.db.set_value(
		TECHNICIAN, doc.name, {"user": doc.user_id, "employee_name": doc.employee_name}, update_modified=False
	)
	job = frappe.qb.DocType(DOCTYPE)
	(
		frappe.qb.update(job)
		.set(job.technician_user, doc.user_id)
		.set(job.technician_name, doc.employee_name)
		.where(job.technician == doc.name)
		.run()
	)


def check_deletion(doc) -> None:
	"""Only a job that made no ERPNext document and was never started may be deleted (as OCA's
	field service deletes orders in their first stage only); others are cancelled."""
	if doc.sales_invoice or doc.maintenance_visit or doc.status in (rules.IN_PROGRESS, rules.COMPLETED):
		frappe.throw(
			_("Job {0} has been worked on: cancel it instead of deleting it.").format(frappe.bold(doc.name)),
			JobStatusError,
		)


# --- job entry ---

FIND_LIMIT = 20


@whitelist()
def find_customers(text: str, limit: Annotated[int, Between(1, FIND_LIMIT)] = 10) -> list[dict]:
	"""Job entry's customer search: customers whose name, or whose contact's phone or email,
	contains `text` (ERPNext's Contacts linked to the Customer), each with how it matched. Reads
	through the user's permissions and data scope (customers and contacts alike)."""
	frappe.has_permission("Customer", "read", throw=True)
	text = (text or "").strip()
	if len(text) < 2:
		return []
	like = f"%{text}%"
	found: dict[str, dict] = {}
	for row in frappe.get_list(
		"Customer",
		filters={"disabled": 0},
		or_filters=[
			["Customer", "name", "like", like],
			["Customer", "customer_name", "like", like],
			["Customer", "mobile_no", "like", like],
			["Customer", "email_id", "like", like],
		],
		fields=["name", "customer_name", "mobile_no", "email_id"],
		order_by="customer_name asc",
		limit_page_length=limit,
	):
		matched = "name" if text.lower() in f"{row.name} {row.customer_name}".lower() else "contact"
		found[row.name] = {**row, "matched": matched, "contact": None}
	if len(found) < limit:
		contacts = frappe.get_list(
			"Contact",
			or_filters=[
				["Contact", "email_id", "like", like],
				["Contact", "phone", "like", like],
				["Contact", "mobile_no", "like", like],
				["Contact Email", "email_id", "like", like],
				["Contact Phone", "phone", "like", like],
			],
			fields=["name"],
			distinct=True,
			limit_page_length=limit * 2,
		)
		contact_names = [c.name for c in contacts]
		links = (
			frappe.get_all(
				"Dynamic Link",
				filters={
					"parenttype": "Contact",
					"parent": ("in", contact_names),
					"link_doctype": "Customer",
				},
				fields=["parent", "link_name"],
				order_by="parent asc",
			)
			if contact_names
			else []
		)
		contact_of = {}
		for link in links:
			contact_of.setdefault(link.link_name, link.parent)
		wanted = [name for name in contact_of if name not in found]
		if wanted:
			for row in frappe.get_list(
				"Customer",
				filters={"disabled": 0, "name": ("in", wanted)},
				fields=["name", "customer_name", "mobile_no", "email_id"],
				order_by="customer_name asc",
				limit_page_length=limit - len(found),
			):
				found[row.name] = {**row, "matched": "contact", "contact": contact_of[row.name]}
	return list(found.values())[:limit]


@whitelist()
def job_entry(customer: str) -> dict:
	"""What job entry shows for a customer: their site address (shipping, else primary, else the
	first), with its text, their primary contact, and their open jobs (newest first), each as the
	user may read them."""
	frappe.get_doc("Customer", customer).check_permission("read")
	addresses = frappe.get_list(
		"Address",
		filters=[
			["Dynamic Link", "link_doctype", "=", "Customer"],
			["Dynamic Link", "link_name", "=", customer],
			["Address", "disabled", "=", 0],
		],
		fields=["name", "is_primary_address", "is_shipping_address"],
		order_by="`tabAddress`.is_shipping_address desc, `tabAddress`.is_primary_address desc,"
		" `tabAddress`.creation asc",
		limit_page_length=1,
	)
	address = addresses[0].name if addresses else None
	from frappe.contacts.doctype.address.address import render_address

	contact = frappe.db.get_value("Customer", customer, "customer_primary_contact")
	if contact and not frappe.has_permission("Contact", "read", contact):
		contact = None
	open_jobs = frappe.get_list(
		DOCTYPE,
		filters={"customer": customer, "status": ("not in", sorted(rules.FINAL))},
		fields=["name", "job_type", "status", "priority", "scheduled_start", "technician_name"],
		order_by="creation desc",
		limit_page_length=20,
	)
	return {
		"site_address": address,
		"address_display": render_address(address) if address else None,
		"contact": contact,
		"open_jobs": open_jobs,
	}
