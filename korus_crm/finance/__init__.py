"""Costs and revenues booked through ERPNext's Journal Entry, and the commission of ERPNext's Sales
Team (issue 14; docs/finance.md)."""
