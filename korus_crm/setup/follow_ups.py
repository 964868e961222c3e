"""Custom fields of Follow-ups, scheduled contacts and followed customers (issue 11).

No fields on ERPNext's doctypes: the customer's follow-up timing columns are the customer profile's
(korus_crm.setup.customers). Frappe's Document Follow (followed customers) has single-column indexes
only: the followers of a record and a user's followed records of a doctype get composite ones.
"""

from __future__ import annotations


def fields() -> dict[str, list[dict]]:
	return {}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	("Document Follow", ("ref_doctype", "ref_docname"), "korus_follow_ref"),
	("Document Follow", ("user", "ref_doctype"), "korus_follow_user"),
)
