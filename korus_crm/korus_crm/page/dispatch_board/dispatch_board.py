"""The dispatch board page (/app/dispatch-board): what the page needs to start (the user's branch,
the working hours, whether they may move jobs or take them). Its data and actions are
korus_crm.field_service.dispatch."""

from __future__ import annotations

import frappe

from korus_crm.boundary import whitelist
from korus_crm.field_service.jobs import DOCTYPE, TAKING_ROLES, TECHNICIAN
from korus_crm.rules import field_service as rules


@whitelist()
def get_settings() -> dict:
	frappe.has_permission(DOCTYPE, "read", throw=True)
	from korus_crm.scope import place_of

	user = frappe.session.user
	technician = frappe.db.get_value(
		TECHNICIAN, {"user": user, "active": 1}, ["name", "branch"], as_dict=True
	)
	return {
		"branch": (technician.branch if technician else None) or place_of(user).branch,
		"start_hour": rules.DAY_START_HOUR,
		"end_hour": rules.DAY_END_HOUR,
		"can_move": bool(frappe.has_permission(DOCTYPE, "write"))
		and bool(
			set(frappe.get_roles(user))
			& {"Korus Dispatcher", "Korus Office Staff", "Korus Administrator", "System Manager"}
		),
		"technician": technician.name if technician else None,
		"can_take": bool(technician) and rules.may_take(frappe.get_roles(user), TAKING_ROLES),
		"pool_page": rules.POOL_PAGE,
		# the branch picker's choices: names only (a dispatcher need not read Branch records)
		"branches": frappe.get_all("Branch", pluck="name", order_by="name asc"),
	}
