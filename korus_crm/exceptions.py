"""Korus CRM's exception classes, in one place.

Each is a frappe.ValidationError (or another 4xx class), so that `frappe.throw(_(...), Cls)` gives
the API a 417/4xx answer, never a 500, and tests can assert the class.
"""

import frappe


class DefaultStatusError(frappe.ValidationError):
	"""The "exactly one default, never final" rule of lead statuses."""


class StatusInUseError(frappe.LinkExistsError):
	"""A status that cannot be deleted."""
