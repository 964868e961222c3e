"""Invoices (issue 14; docs/invoices.md): ERPNext's Sales Invoice printed through Korus's formats, the
correction invoice (ERPNext's return against an invoice, with a required reason) and the pro forma
invoice of a Sales Order or Contract Order (its own heading and number). No invoice arithmetic:
every figure is ERPNext's."""
