"""Custom fields of invoices (issue 14; docs/invoices.md).

- Sales Invoice: the reason of a correction invoice (ERPNext's return against an invoice), required
  when the invoice is a return (korus_crm.invoices.correction checks it on the server).
- Sales Order and Contract Order: the pro forma invoice's number, given once from one naming series
  the first time its pro forma is printed or asked for (korus_crm.invoices.proforma), then kept.
"""

from __future__ import annotations

PROFORMA_FIELD = "korus_proforma_number"
REASON_FIELD = "korus_correction_reason"


def _proforma_field(insert_after: str) -> dict:
	return {
		"fieldname": PROFORMA_FIELD,
		"label": "Pro Forma Number",
		"fieldtype": "Data",
		"insert_after": insert_after,
		"read_only": 1,
		"no_copy": 1,
		"allow_on_submit": 1,
		"description": "Given the first time the pro forma invoice is printed; kept for every later print.",
	}


def fields() -> dict[str, list[dict]]:
	return {
		"Sales Invoice": [
			{
				"fieldname": REASON_FIELD,
				"label": "Correction Reason",
				"fieldtype": "Small Text",
				"insert_after": "return_against",
				"depends_on": "eval:doc.is_return",
				"mandatory_depends_on": "eval:doc.is_return",
				"no_copy": 1,
				"translatable": 0,
				"description": "Why this correction invoice is issued; printed on it.",
			}
		],
		"Sales Order": [_proforma_field("po_date")],
		"Contract Order": [_proforma_field("price_offer")],
	}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES: a pro forma number is found
# from its document (the document's name); nothing reads by number in bulk.
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = ()
