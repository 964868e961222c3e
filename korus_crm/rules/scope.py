"""Data scope (seed 004 角色管理 数据权限): which records of a doctype a user reads, by where the
record stands in the organisation.

- Own: records whose CRM owner is the user (the lead owner, deal owner, account manager…, not the
  record's creator);
- Department: records of the user's department;
- Department and Below: of the user's department and the departments under it;
- Branch: of the user's branch;
- All: every record.

A user's scope on a doctype is the widest of their roles' scopes on it (a role's scope on a doctype,
else its default scope); a role without a scope set reads all, as in ERPNext. A scoped record
carries the columns its scope is decided on: its owner, and the owner's department and branch
(`SCOPE_FIELDS`), stamped when it is made and when its owner changes.

A doctype joins with one line in `SCOPED`: its owner field, and, where people other than those of
its scope take part in a record (the approvers of a request, a task's assignees), the function that
names them: `participants`, the dotted path of `f(user) -> SQL condition` on the doctype's table. A
record passes when it is in the user's scope or the user takes part in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

OWN = "Own"
DEPARTMENT = "Department"
DEPARTMENT_AND_BELOW = "Department and Below"
BRANCH = "Branch"
ALL = "All"
SCOPES: tuple[str, ...] = (OWN, DEPARTMENT, DEPARTMENT_AND_BELOW, BRANCH, ALL)  # narrow to wide

DEPARTMENT_FIELD = "korus_department"
BRANCH_FIELD = "branch"
SCOPE_FIELDS = (DEPARTMENT_FIELD, BRANCH_FIELD)


@dataclass(frozen=True)
class Scoped:
	owner_field: str  # the record's CRM owner (a User)
	participants: str | None = None  # dotted path: f(user) -> SQL condition of the records they take part in


# The doctypes read by data scope, with the field that holds each record's CRM owner.
SCOPED: dict[str, Scoped] = {
	"Lead": Scoped("lead_owner"),
	"Opportunity": Scoped("opportunity_owner"),
	"Customer": Scoped("account_manager", participants="korus_crm.customers.pool.participants"),
	"Contact": Scoped("korus_owner"),
	"Price Offer": Scoped("offer_owner"),
	"Contract Order": Scoped("contract_owner"),
	"Approval Request": Scoped("requested_by", participants="korus_crm.requests.views.participants"),
	# field service (issue 13): technicians and helpers take part in their jobs; active technicians
	# see the pool's jobs of their branch (to take one)
	"Service Job": Scoped("job_owner", participants="korus_crm.field_service.jobs.participants"),
	# vehicles (issue 14): a mileage log is its driver's (their login, from their Employee)
	"Korus Mileage Log": Scoped("driver_user"),
}


def widest(scopes: Iterable[str]) -> str:
	"""The most permissive of several scopes (a user's roles); none given: All."""
	ranked = [SCOPES.index(s) for s in scopes if s in SCOPES]
	return SCOPES[max(ranked)] if ranked else ALL


def role_scope(default: str | None, per_doctype: dict[str, str], doctype: str) -> str | None:
	"""A role's scope on a doctype: its scope for that doctype, else its default (None: not set)."""
	return per_doctype.get(doctype) or default or None


def user_scope(role_scopes: Iterable[str | None]) -> str:
	"""A user's scope from their roles' scopes: the widest; a role without a scope reads all."""
	scopes = list(role_scopes)
	if not scopes or any(s is None for s in scopes):
		return ALL
	return widest(scopes)


@dataclass(frozen=True)
class Place:
	"""Where a user stands: their department (and the departments under it) and branch."""

	department: str | None = None
	departments_below: tuple[str, ...] = ()  # the department itself and every one under it
	branch: str | None = None


@dataclass(frozen=True)
class Condition:
	"""What a scoped record must satisfy: `field` equal to one of `values` (an empty tuple: no
	record); None for All."""

	field: str
	values: tuple[str, ...]


def condition(scope: str, user: str, place: Place, owner_field: str) -> Condition | None:
	"""The condition a scope puts on a doctype's records. A scope that needs a department or branch
	the user does not have (no Employee, or none set) falls back to the user's own records."""
	if scope == ALL:
		return None
	if scope == BRANCH and place.branch:
		return Condition(BRANCH_FIELD, (place.branch,))
	if scope == DEPARTMENT_AND_BELOW and place.department:
		return Condition(DEPARTMENT_FIELD, place.departments_below or (place.department,))
	if scope == DEPARTMENT and place.department:
		return Condition(DEPARTMENT_FIELD, (place.department,))
	return Condition(owner_field, (user,))


def allows(cond: Condition | None, record: dict) -> bool:
	"""Whether a record (its field values) satisfies the condition."""
	return cond is None or record.get(cond.field) in cond.values
