"""Documents and files rules (korus_crm.rules.documents)."""

import pytest

from korus_crm.rules import documents as rules

OWNER = "owner@example.com"
OTHER = "other@example.com"


def test_files_of_records_go_to_folders_under_korus():
	assert rules.folder_path("Lead") == ("Korus", "Leads")
	assert rules.folder_path("Opportunity") == ("Korus", "Deals")
	assert rules.folder_path("Korus Document") == ("Korus", "Documents")
	assert rules.folder_path("Knowledge Article") == ("Korus", "Knowledge Base")
	assert rules.folder_path("Item") is None
	assert rules.folder_path(None) is None


def test_attachments_of_office_records_are_private():
	assert rules.PRIVATE_ATTACHMENTS == {"Korus Document", "Knowledge Article"}


@pytest.mark.parametrize(
	"ptype, needed",
	[("read", "read"), ("print", "read"), ("email", "read"), ("export", "read"), (None, "read"),
	 ("write", "write"), ("create", "write"), ("delete", "write")],
)  # fmt: skip
def test_a_linked_document_needs_the_matching_right_on_its_record(ptype, needed):
	assert rules.record_ptype(ptype) == needed


def test_an_unlinked_document_is_its_authors():
	none = frozenset()
	assert rules.unlinked_allows("read", OWNER, OWNER, frozenset({"Sales User"}), none)
	assert rules.unlinked_allows("write", OWNER, OWNER, frozenset({"Sales User"}), none)
	assert not rules.unlinked_allows("read", OTHER, OWNER, frozenset({"Sales User"}), none)


def test_an_unlinked_document_is_read_by_the_roles_it_is_shared_with():
	shared = frozenset({"Sales Manager"})
	assert rules.unlinked_allows("read", OTHER, OWNER, frozenset({"Sales Manager"}), shared)
	assert rules.unlinked_allows("print", OTHER, OWNER, frozenset({"Sales Manager"}), shared)
	assert not rules.unlinked_allows("write", OTHER, OWNER, frozenset({"Sales Manager"}), shared)
	assert not rules.unlinked_allows("read", OTHER, OWNER, frozenset({"Sales User"}), shared)


def test_managers_read_and_change_unlinked_documents():
	for role in ("System Manager", "Korus Administrator"):
		assert rules.unlinked_allows("write", OTHER, OWNER, frozenset({role}), frozenset())
	assert rules.unlinked_allows("delete", "Administrator", OWNER, frozenset(), frozenset())


def test_unescape_jinja_undoes_the_editors_escaping_inside_tags_only():
	html = (
		"<p>Dear {{ doc.get(&quot;first_name&quot;) }},</p>"
		"<p>{% if doc.amount &gt; 10 %}Big{%&nbsp;endif %} &amp; more</p>"
		"<p>{{ <span>doc</span>.name }}</p>"
	)
	assert rules.unescape_jinja(html) == (
		'<p>Dear {{ doc.get("first_name") }},</p>'
		"<p>{% if doc.amount > 10 %}Big{% endif %} &amp; more</p>"
		"<p>{{ doc.name }}</p>"
	)
	assert rules.unescape_jinja(None) == ""


def test_templates_may_use_the_record_user_and_date_only():
	assert rules.unknown_names({"doc", "formatted", "user", "today"}) == []
	assert rules.unknown_names({"doc", "frappe", "range", "__import__"}) == ["__import__", "frappe"]
