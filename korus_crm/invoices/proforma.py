"""Pro forma invoices (faktura proforma): a print of a Sales Order ("Korus Pro Forma Invoice") or a
Contract Order ("Korus Pro Forma Contract Order") under the "Pro Forma Invoice" Print Heading, with a
number of its own.

The number comes from one naming series for both doctypes (korus_crm.rules.invoices.PROFORMA_SERIES,
PF-YYYY-NNNNN) and is kept in the document's `korus_proforma_number`: given the first time the pro
forma is printed (the print format calls `proforma_number(doc)`) or asked for (`assign_proforma_number`,
the form's button), then every print shows the same one. The document's row is locked while the
number is given, so two first prints at once give one number; the series only counts up, so a number
is never given twice (an amended or duplicated document gets a new one: the field is not copied).
Printing is a GET request, which Frappe rolls back: giving a number asks it to commit
(frappe.local.flags.commit, as Frappe does when it records who saw a document).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.naming import make_autoname

from korus_crm import boundary
from korus_crm.exceptions import ProFormaNumberError
from korus_crm.rules import invoices as rules
from korus_crm.setup.invoices import PROFORMA_FIELD


def proforma_number(doc) -> str:
	"""The document's pro forma number, given now if it has none. An unsaved document (a print
	preview of a new form) has none yet."""
	if doc.doctype not in rules.PROFORMA_FORMATS:
		frappe.throw(_("{0} has no pro forma invoice.").format(_(doc.doctype)), ProFormaNumberError)
	if doc.get(PROFORMA_FIELD):
		return doc.get(PROFORMA_FIELD)
	if doc.is_new() or not doc.name:
		return ""
	# the row lock serialises first prints of the same document; the second reads the first's number
	kept = frappe.db.get_value(doc.doctype, doc.name, PROFORMA_FIELD, for_update=True)
	if kept is None and not frappe.db.exists(doc.doctype, doc.name):
		return ""
	if not kept:
		kept = make_autoname(rules.PROFORMA_SERIES, doc.doctype, doc)
		frappe.db.set_value(doc.doctype, doc.name, PROFORMA_FIELD, kept, update_modified=False)
		frappe.local.flags.commit = True
	doc.set(PROFORMA_FIELD, kept)
	return kept


@boundary.whitelist(methods=["POST"])
def assign_proforma_number(doctype: str, name: str) -> str:
	"""Give the Sales Order's or Contract Order's pro forma number (if it has none) and return it."""
	if doctype not in rules.PROFORMA_FORMATS:
		frappe.throw(_("{0} has no pro forma invoice.").format(_(doctype)), ProFormaNumberError)
	if not frappe.db.exists(doctype, name):
		frappe.throw(_("{0} {1} does not exist.").format(_(doctype), name), ProFormaNumberError)
	doc = frappe.get_doc(doctype, name)
	if not (frappe.has_permission(doctype, "print", doc) or frappe.has_permission(doctype, "read", doc)):
		frappe.throw(_("You may not print {0} {1}.").format(_(doctype), name), frappe.PermissionError)
	return proforma_number(doc)


def proforma_heading() -> frappe._dict:
	"""The "Pro Forma Invoice" Print Heading (its name and description), as the print shows it."""
	return frappe._dict(
		frappe.db.get_value(
			"Print Heading", rules.PROFORMA_HEADING, ["print_heading", "description"], as_dict=True
		)
		or {"print_heading": rules.PROFORMA_HEADING, "description": ""}
	)
