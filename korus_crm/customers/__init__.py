"""Customers (seed 004 客户管理): the profile, the customer pool, follow-ups and scheduled contacts,
followed customers, the recycle bin and duplicate detection (docs/customers.md)."""
