"""Custom fields of the recycle bin and duplicate detection (issue 11, docs/recycle-bin-and-duplicates.md).

- Customer and Opportunity: `korus_deleted` (in the bin), when and by whom; a deal binned together
  with its customer names it (`korus_binned_with`), so that restoring the customer restores it.
  Indexed (korus_deleted, modified) for the lists, which hide binned rows, and
  (korus_deleted, korus_deleted_on) for the daily purge, which reads only due rows.
- Lead and Customer: the duplicate keys (korus_crm.rules.duplicates), each indexed, maintained on
  every save. A lead's email key is its existing `email_normalized`.
"""

from __future__ import annotations

BIN_DOCTYPES = ("Customer", "Opportunity")
KEY_DOCTYPES = ("Lead", "Customer")


def _bin_fields(insert_after: str) -> list[dict]:
	common = {"hidden": 1, "read_only": 1, "no_copy": 1, "print_hide": 1, "report_hide": 1}
	return [
		{
			"fieldname": "korus_deleted",
			"label": "In the Recycle Bin",
			"fieldtype": "Check",
			"insert_after": insert_after,
			**common,
		},
		{
			"fieldname": "korus_deleted_on",
			"label": "Moved to the Recycle Bin On",
			"fieldtype": "Datetime",
			"insert_after": "korus_deleted",
			**common,
		},
		{
			"fieldname": "korus_deleted_by",
			"label": "Moved to the Recycle Bin By",
			"fieldtype": "Link",
			"options": "User",
			"insert_after": "korus_deleted_on",
			**common,
		},
	]


def _key_fields(insert_after: str, email: bool) -> list[dict]:
	common = {
		"fieldtype": "Data",
		"hidden": 1,
		"read_only": 1,
		"no_copy": 1,
		"print_hide": 1,
		"report_hide": 1,
		# Frappe's own index: a single-column index made in code is dropped by Frappe's schema
		# sync of a column without search_index
		"search_index": 1,
	}
	fields = [
		{
			"fieldname": "korus_name_key",
			"label": "Name (as compared for duplicates)",
			"insert_after": insert_after,
			**common,
		},
		{
			"fieldname": "korus_phone_key",
			"label": "Phone (as compared for duplicates)",
			"insert_after": "korus_name_key",
			**common,
		},
	]
	if email:
		fields.append(
			{
				"fieldname": "korus_email_key",
				"label": "Email (as compared for duplicates)",
				"insert_after": "korus_phone_key",
				**common,
			}
		)
	return fields


def fields() -> dict[str, list[dict]]:
	return {
		"Customer": [*_bin_fields("disabled"), *_key_fields("korus_deleted_by", email=True)],
		"Opportunity": [
			*_bin_fields("status"),
			{
				"fieldname": "korus_binned_with",
				"label": "Moved to the Recycle Bin With",
				"fieldtype": "Link",
				"options": "Customer",
				"insert_after": "korus_deleted_by",
				"search_index": 1,
				"hidden": 1,
				"read_only": 1,
				"no_copy": 1,
				"print_hide": 1,
				"report_hide": 1,
			},
		],
		"Lead": _key_fields("email_id", email=False),
	}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	*((doctype, ("korus_deleted", "modified"), "korus_deleted_modified") for doctype in BIN_DOCTYPES),
	*((doctype, ("korus_deleted", "korus_deleted_on"), "korus_deleted_on") for doctype in BIN_DOCTYPES),
)
