"""Korus CRM: a complete, configurable CRM on ERPNext v15."""

__version__ = "0.1.0"
