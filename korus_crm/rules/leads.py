"""Rules of leads on ERPNext's Lead (seed 002 "Leads", seed 004 客户)."""

from __future__ import annotations


def normalize_email(email: str | None) -> str | None:
	"""The form in which contact emails are compared: trimmed and case-insensitive.
	An empty email is None (never a duplicate of another empty one)."""
	if email is None:
		return None
	value = email.strip().lower()
	return value or None


def pick_initial_status(current: str | None, default_status: str | None) -> str | None:
	"""A new lead gets the default status unless one was given."""
	return current or default_status


ERPNEXT_CONVERTED = "Converted"


def coherent_statuses(
	korus_status: str | None,
	korus_changed: bool,
	erpnext_status: str | None,
	converted: bool,
	korus_to_erpnext: dict[str, str],
	converted_status: str | None,
) -> tuple[str | None, str | None]:
	"""Keep Korus's configurable status and ERPNext's own status telling the same story.

	- the lead became a customer (ERPNext then says Converted): Korus shows its converted status;
	- otherwise a Korus status that was just chosen and maps to an ERPNext status sets that status;
	- otherwise both stay as they are (ERPNext derives Opportunity/Quotation itself).
	Returns (korus_status, erpnext_status).
	"""
	if converted and converted_status:
		return converted_status, ERPNEXT_CONVERTED
	if korus_changed and korus_status and korus_to_erpnext.get(korus_status):
		return korus_status, korus_to_erpnext[korus_status]
	return korus_status, erpnext_status


def leaves_converted(
	old_status: str | None, new_status: str | None, converted_status: str | None, converted: bool
) -> bool:
	"""A lead that became a customer stays converted: it cannot be moved to another status."""
	return bool(
		converted and converted_status and old_status == converted_status and new_status != converted_status
	)
