"""Korus CRM's business rules as plain functions.

Nothing under this package imports Frappe: controllers call these functions, and tests/unit
exercises them on a bare Python.
"""
