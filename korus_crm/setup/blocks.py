"""The Custom HTML Blocks the Korus CRM workspace shows (the announcements, the dashboard's recent
activity): made or brought up to date at install and migrate, removed at uninstall. Each feature
keeps its block's HTML, style and script; this module keeps the record."""

from __future__ import annotations

from pathlib import Path

import frappe

DOCTYPE = "Custom HTML Block"


def sync_block(name: str, html: str, style: str, script: Path) -> None:
	"""The block `name` as this version of the app has it (saved only when it differs)."""
	values = {"html": html, "style": style.strip(), "script": script.read_text(), "private": 0}
	if frappe.db.exists(DOCTYPE, name):
		doc = frappe.get_doc(DOCTYPE, name)
		if all(doc.get(field) == value for field, value in values.items()):
			return
		doc.update(values)
		doc.save(ignore_permissions=True)
		return
	doc = frappe.new_doc(DOCTYPE)
	doc.update(values)
	doc.insert(ignore_permissions=True, set_name=name)


def remove_block(name: str) -> None:
	"""before_uninstall: the block goes with the app."""
	if frappe.db.exists(DOCTYPE, name):
		frappe.delete_doc(DOCTYPE, name, ignore_permissions=True, force=True)
