"""Data scope, applied (the rules are in korus_crm.rules.scope).

Every read of a scoped doctype goes through Frappe's two permission hooks, registered for each
doctype of `SCOPED` in hooks.py: `query_conditions` (lists, REST, link search, reports, exports,
counts read live, and the records derived from them: korus_crm.permissions) and `has_permission`
(a record opened by name: the form, REST, print and PDF, the deal timeline). The board counts read
the maintained counter of the user's scope (korus_crm.api.boards).

A scoped record carries its owner's department and branch, stamped here when it is made and when
its owner changes (`stamp`); when an employee moves, a background job restamps what they own.

A user's scope and place are computed once per request (and cached in Redis, cleared when a Korus
Role Scope, an Employee or a Department changes).
"""

from __future__ import annotations

import frappe
from frappe.permissions import get_roles

from korus_crm import jobs
from korus_crm.boundary import check_filters, whitelist
from korus_crm.rules import scope as rules
from korus_crm.rules.scope import SCOPED, Condition, Place

ROLE_SCOPES_KEY = "korus_crm:role_scopes"
PLACES_KEY = "korus_crm:places"  # a hash: user -> place


# --- who reads what ---


def role_scopes() -> dict[str, dict]:
	"""{role: {"default": scope, "doctypes": {doctype: scope}}} of the Korus Role Scope records."""

	def load() -> dict:
		out = {
			r.name: {"default": r.default_scope, "doctypes": {}}
			for r in frappe.get_all("Korus Role Scope", fields=["name", "default_scope"])
		}
		for row in frappe.get_all(
			"Korus Role Scope Rule",
			fields=["parent", "document_type", "scope"],
			filters={"parenttype": "Korus Role Scope"},
		):
			if row.parent in out:
				out[row.parent]["doctypes"][row.document_type] = row.scope
		return out

	return frappe.cache.get_value(ROLE_SCOPES_KEY, generator=load)


def place_of(user: str) -> Place:
	"""The user's department (with the departments under it) and branch, from their Employee."""
	cached = frappe.cache.hget(PLACES_KEY, user)
	if cached is not None:
		return Place(cached[0], tuple(cached[1]), cached[2])
	employee = frappe.db.get_value(
		"Employee", {"user_id": user, "status": "Active"}, ["department", "branch"], as_dict=True
	)
	department = employee.department if employee else None
	below: tuple[str, ...] = ()
	if department:
		lft, rgt = frappe.db.get_value("Department", department, ["lft", "rgt"])
		below = tuple(
			frappe.get_all(
				"Department", filters={"lft": (">=", lft), "rgt": ("<=", rgt)}, pluck="name", order_by="lft"
			)
		)
	place = Place(department, below, employee.branch if employee else None)
	frappe.cache.hset(PLACES_KEY, user, [place.department, list(place.departments_below), place.branch])
	return place


def scope_of(doctype: str, user: str) -> str:
	"""The user's scope on a doctype: the widest of the scopes of their roles that may read it."""
	configured = role_scopes()
	# the doctype's read rules (its DocPerms, or Custom DocPerms where set: the cached meta has them)
	readers = {p.role for p in frappe.get_meta(doctype).permissions if p.read and not p.permlevel}
	reading = readers & set(get_roles(user))
	return rules.user_scope(
		rules.role_scope(configured[r]["default"], configured[r]["doctypes"], doctype)
		if r in configured
		else None
		for r in reading
	)


def condition_for(doctype: str, user: str | None = None) -> Condition | None:
	"""What the user's records of `doctype` must satisfy (None: nothing). Computed once a request."""
	user = user or frappe.session.user
	if doctype not in SCOPED or user == "Administrator":
		return None
	memo = getattr(frappe.local, "korus_scope", None)
	if memo is None:
		memo = frappe.local.korus_scope = {}
	key = (user, doctype)
	if key not in memo:
		memo[key] = rules.condition(
			scope_of(doctype, user), user, place_of(user), SCOPED[doctype].owner_field
		)
	return memo[key]


def forget() -> None:
	"""After a change of who may read what: role scopes, employees, departments."""
	frappe.cache.delete_value(ROLE_SCOPES_KEY)
	frappe.cache.delete_value(PLACES_KEY)
	frappe.local.korus_scope = {}
	for callbacks in (frappe.db.after_commit, frappe.db.after_rollback):
		callbacks.add(_forget_cached)


def organisation_changed(doc=None, method=None) -> None:
	"""A Department's (or Korus Role Scope's) change: places and scopes are computed again."""
	forget()


def _forget_cached() -> None:
	frappe.cache.delete_value(ROLE_SCOPES_KEY)
	frappe.cache.delete_value(PLACES_KEY)


# --- Frappe's permission hooks ---


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	cond = condition_for(doctype, user)
	if cond is None:
		return ""
	if not cond.values:
		scoped = "1=0"
	else:
		values = ", ".join(frappe.db.escape(v) for v in cond.values)
		scoped = f"`tab{doctype}`.`{cond.field}` in ({values})"
	taking_part = participants_condition(doctype, user or frappe.session.user)
	return f"({scoped} or {taking_part})" if taking_part else scoped


def participants_condition(doctype: str, user: str) -> str | None:
	"""The SQL condition of the records the user takes part in (SCOPED's `participants`), if any."""
	path = SCOPED[doctype].participants
	return f"({frappe.get_attr(path)(user)})" if path else None


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""A record outside the user's scope is refused (403), whatever the user's roles allow; inside
	it, the roles decide. A record being made is not scoped yet."""
	if doc.is_new() or ptype == "create":
		return None
	cond = condition_for(doc.doctype, user)
	if cond is None:
		return None
	stored = frappe.db.get_value(doc.doctype, doc.name, cond.field) if doc.name else None
	if rules.allows(cond, {cond.field: stored}):
		return None
	taking_part = participants_condition(doc.doctype, user or frappe.session.user)
	if taking_part and doc.name:
		table = f"`tab{doc.doctype}`"
		if frappe.db.sql(f"select 1 from {table} where {table}.`name` = %s and {taking_part}", doc.name):
			return None
	return False


@whitelist()
def get_count(
	doctype: str, filters: dict | list | None = None, debug: bool = False, cache: bool = False
) -> int:
	"""frappe.client.get_count (it counts with frappe.db.count, past every permission): a doctype
	whose rows Korus permits one by one (a permission query hook of Korus: the scoped doctypes,
	tasks, announcements, work reports, articles, documents...) is counted through the user's
	permissions; other doctypes as Frappe does."""
	from frappe.client import get_count as frappe_get_count
	from frappe.client import get_safe_filters

	if not rows_permitted_by_korus(doctype):
		return frappe_get_count(doctype, filters, debug, cache)
	frappe.has_permission(doctype, "read", throw=True)
	rows = frappe.get_list(
		doctype,
		filters=check_filters(doctype, get_safe_filters(filters)),
		fields=["count(*) as total"],
		order_by=None,
	)
	return int(rows[0].total) if rows else 0


def rows_permitted_by_korus(doctype: str) -> bool:
	hooks = frappe.get_hooks("permission_query_conditions") or {}
	return any(str(h).startswith("korus_crm.") for h in hooks.get(doctype) or [])


# --- the scope columns of a record ---


def stamp(doc, method=None) -> None:
	"""before_validate of scoped doctypes: a new record, or one whose owner changed, takes its
	owner's department and branch."""
	owner_field = SCOPED[doc.doctype].owner_field
	if not doc.is_new() and not doc.has_value_changed(owner_field):
		return
	owner = doc.get(owner_field)
	place = place_of(owner) if owner else Place()
	if doc.is_new() and not owner:
		place = place_of(frappe.session.user)
	doc.set(rules.DEPARTMENT_FIELD, place.department)
	doc.set(rules.BRANCH_FIELD, place.branch)


def employee_moved(doc, method=None) -> None:
	"""Employee on_update: a new user, department or branch changes what that user owns (done in a
	background job) and who reads what."""
	forget()
	before = doc.get_doc_before_save()
	if before and (before.department, before.branch, before.user_id) == (
		doc.department,
		doc.branch,
		doc.user_id,
	):
		return
	for user in {doc.user_id, before.user_id if before else None} - {None}:
		jobs.enqueue("korus_crm.scope.restamp_owner", job_id=jobs.key("restamp", user), user=user)


@jobs.job
def restamp_owner(user: str) -> None:
	"""The records `user` owns take the department and branch the user has now; their counts move
	with them (only theirs: counts.change_records). Idempotent (the place as it is when the job runs)."""
	from frappe.query_builder import DocType

	from korus_crm.boards import counts

	forget()
	place = place_of(user)
	for doctype, scoped in SCOPED.items():
		table = DocType(doctype)

		def owned(t, field=scoped.owner_field):
			return t[field] == user

		def restamp(table=table, field=scoped.owner_field):
			(
				frappe.qb.update(table)
				.set(table[rules.DEPARTMENT_FIELD], place.department)
				.set(table[rules.BRANCH_FIELD], place.branch)
				.where(table[field] == user)
				.run()
			)

		counts.change_records(doctype, owned, restamp)
