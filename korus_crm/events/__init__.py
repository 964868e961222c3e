"""doc_events of ERPNext and Frappe doctypes (hooks.py wires them); one module per doctype.

Each handler only calls small named functions; the rules themselves are in korus_crm.rules.
"""
