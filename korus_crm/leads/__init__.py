"""Leads: what makes a lead converted (conversion.py)."""
