"""Row permissions of the records Korus derives from others: a deal's stage history and a lead's
conversion are read as their deal or lead may be read (ERPNext's role permissions, user permissions,
"if owner" and any permission query of the parent), in lists, reports, counts and single reads.

`DERIVED` says which field points at the parent; a new derived doctype joins with one line here and
its two hooks in hooks.py.
"""

from __future__ import annotations

import frappe
from frappe.model.db_query import DatabaseQuery

DERIVED: dict[str, tuple[str, str]] = {
	# doctype: (field holding the parent's name, parent doctype)
	"Deal Stage History": ("deal", "Opportunity"),
	"Lead Conversion": ("lead", "Lead"),
}


def parent_conditions(doctype: str, user: str | None = None) -> str:
	"""The parent doctype's permission conditions for `user`, as SQL on the parent's table ("" when
	the user reads every parent record)."""
	return DatabaseQuery(doctype, user=user or frappe.session.user).build_match_conditions(as_condition=True)


def query_conditions(doctype: str, user: str | None = None) -> str:
	field, parent = DERIVED[doctype]
	conditions = parent_conditions(parent, user)
	if not conditions:
		return ""
	return f"`tab{doctype}`.`{field}` in (select `tab{parent}`.`name` from `tab{parent}` where {conditions})"


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	field, parent = DERIVED[doc.doctype]
	name = doc.get(field)
	return not name or frappe.has_permission(parent, "read", doc=name, user=user)


def deal_stage_history_conditions(user: str | None = None) -> str:
	return query_conditions("Deal Stage History", user)


def lead_conversion_conditions(user: str | None = None) -> str:
	return query_conditions("Lead Conversion", user)
