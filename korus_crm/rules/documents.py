"""Documents and files (seed 001 "Dokumenty i pliki"): text documents written in the desk, from
templates, linked to a CRM record or not; files in folders of Frappe's File manager.

Who may do what with a document:

- a document linked to a record follows that record: reading (and printing, mailing, exporting) it
  needs read permission on the record, changing or deleting it write permission (the record's own
  rules decide: roles, data scope, user permissions, shares);
- an unlinked document is its author's: the author reads and changes it, the holders of one of the
  roles it is shared with read it, and so do the managers, who may also change it.

A template is Jinja over the linked record: it may use `doc` (the record's fields the reader may
read), `formatted` (the same fields as the desk shows them), `user` (the reader's full name),
`today` and `_` (translation), and nothing else: no `frappe`, no includes or imports, so a template
reads no data beyond the record.
"""

from __future__ import annotations

import html
import re

from korus_crm.rules.knowledge import MANAGER_ROLES, READ_PTYPES

# The doctypes a document may be linked to, with the folder (under Home/Korus) of their files.
LINKABLE: dict[str, str] = {
	"Lead": "Leads",
	"Opportunity": "Deals",
	"Customer": "Customers",
	"Contract Order": "Contract Orders",
}

KORUS_FOLDER = "Korus"  # Home/Korus in the File manager
# Folders (under Home/Korus) of the files attached to the office doctypes.
OFFICE_FOLDERS: dict[str, str] = {
	"Korus Document": "Documents",
	"Knowledge Article": "Knowledge Base",
}
# Attachments of these doctypes are always private (their readers are decided row by row).
PRIVATE_ATTACHMENTS: frozenset[str] = frozenset(OFFICE_FOLDERS)


def folder_path(attached_to_doctype: str | None) -> tuple[str, ...] | None:
	"""The folder names below Home of a file attached to a record of that doctype (None: Frappe's
	own choice, Home/Attachments)."""
	name = OFFICE_FOLDERS.get(attached_to_doctype or "") or LINKABLE.get(attached_to_doctype or "")
	return (KORUS_FOLDER, name) if name else None


def record_ptype(ptype: str | None) -> str:
	"""The right needed on the linked record for `ptype` on the document."""
	return "read" if (ptype or "read") in READ_PTYPES else "write"


def unlinked_allows(
	ptype: str | None, user: str, owner: str, user_roles: frozenset[str], shared_roles: frozenset[str]
) -> bool:
	if user == "Administrator" or user == owner or user_roles & MANAGER_ROLES:
		return True
	return (ptype or "read") in READ_PTYPES and bool(user_roles & shared_roles)


# --- templates ---

TEMPLATE_NAMES: frozenset[str] = frozenset({"doc", "formatted", "user", "today", "_", "range", "loop"})

_JINJA_TAG = re.compile(r"({{.*?}}|{%.*?%}|{#.*?#})", re.S)
_TAG = re.compile(r"<[^>]*>")


def unescape_jinja(markup: str | None) -> str:
	"""A template written in the rich text editor, with what the editor did to its Jinja tags undone:
	inside `{{ }}`, `{% %}` and `{# #}`, HTML tags are dropped and entities (&gt;, &quot;, &nbsp;)
	are characters again; the text around them stays HTML."""

	def clean(match: re.Match) -> str:
		return html.unescape(_TAG.sub("", match.group(0))).replace("\xa0", " ")

	return _JINJA_TAG.sub(clean, markup or "")


def unknown_names(names: set[str] | frozenset[str]) -> list[str]:
	"""The names a template uses that it may not (sorted)."""
	return sorted(set(names) - TEMPLATE_NAMES)
