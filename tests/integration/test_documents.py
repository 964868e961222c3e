"""Documents and files: templates filled in with the linked record (escaped, checked when saved,
failing with a clear 4xx), documents that follow the record they are linked to (data scope
included) or their author and shared roles, print and PDF, files in folders under Home/Korus that
follow their record, the "Documents" view of a record, and bad input over REST."""

from __future__ import annotations

import os

import frappe
import pytest

from korus_crm import scope
from korus_crm.exceptions import DocumentLinkError, DocumentTemplateError, PrivateAttachmentError
from korus_crm.office import documents
from korus_crm.rules.scope import ALL, OWN
from tests.integration.factories import make_customer, make_lead, unique
from tests.integration.support import make_user, set_scope

DOCUMENT = "Korus Document"
TEMPLATE = "Korus Document Template"


def make_template(content: str, reference_doctype: str | None = None, **values):
	return frappe.get_doc(
		{
			"doctype": TEMPLATE,
			"template_name": unique("Template"),
			"reference_doctype": reference_doctype,
			"content": content,
			**values,
		}
	).insert()


def make_document(**values):
	return frappe.get_doc(
		{"doctype": DOCUMENT, "title": values.pop("title", unique("Document")), **values}
	).insert()


def attach(doctype: str, name: str, private: int = 1, file_name: str | None = None):
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name or f"{frappe.generate_hash(length=8)}.txt",
			"attached_to_doctype": doctype,
			"attached_to_name": name,
			"is_private": private,
			"content": frappe.generate_hash(length=20).encode(),
		}
	).insert()


@pytest.fixture
def people(committed):
	made = {}
	for key, roles in {
		"me": ["Sales User"],
		"other": ["Sales User"],
		"manager": ["Sales User", "Sales Manager"],
		"admin": ["Korus Administrator"],
		"dispatcher": ["Korus Dispatcher"],
	}.items():
		user, _password = make_user(roles)
		committed.add("User", user)
		made[key] = user
	return frappe._dict(made)


def as_user(user: str) -> None:
	frappe.set_user(user)


# --- templates ---


def test_a_template_is_filled_in_with_the_records_fields_escaped():
	customer = make_customer(customer_name=unique("Smith & Sons"))
	template = make_template(
		"<p>Dear {{ doc.customer_name }},</p>"
		"<p>{% if doc.customer_type == &quot;Company&quot; %}a company{% endif %}"
		" [{{ doc.tax_id }}] {{ formatted.customer_type }} {{ user }} {{ today }}</p>",
		"Customer",
	)
	doc = make_document(template=template.name, reference_doctype="Customer", reference_name=customer.name)
	assert "Smith &amp; Sons" in doc.content
	assert "a company" in doc.content
	assert "[]" in doc.content  # an empty field is empty, not "None"
	assert "Administrator" in doc.content
	# the form asks for the same text
	assert "Smith &amp; Sons" in documents.render_document(template.name, "Customer", customer.name)
	# a document with its own text keeps it
	own = make_document(
		template=template.name,
		reference_doctype="Customer",
		reference_name=customer.name,
		content="<p>Mine</p>",
	)
	assert "Mine" in own.content


@pytest.mark.parametrize(
	"content, reference_doctype, message",
	[
		("<p>{{ doc.customer_name </p>", None, "line 1"),
		("<p>{{ frappe.db.sql('select 1') }}</p>", None, "frappe"),
		('<p>{% include "templates/print_formats/standard.html" %}</p>', None, "include"),
		("<p>{{ doc.no_such_field }}</p>", "Customer", "no_such_field"),
		("<p>{{ doc.__class__ }}</p>", None, "underscores"),
		("<p>{{ doc.name }}</p>", "User", "not for"),
	],
)
def test_a_malformed_template_is_refused_when_saved(content, reference_doctype, message):
	with pytest.raises(DocumentTemplateError if reference_doctype != "User" else DocumentLinkError) as raised:
		make_template(content, reference_doctype)
	assert message in str(raised.value)


def test_a_template_that_fails_when_filled_in_is_a_clear_error():
	customer = make_customer()
	template = make_template("<p>{{ doc.customer_name / 0 }}</p>", "Customer")
	messages_before = len(frappe.local.message_log)
	with pytest.raises(DocumentTemplateError) as raised:
		make_document(template=template.name, reference_doctype="Customer", reference_name=customer.name)
	assert "could not be filled in" in str(raised.value)
	assert "Traceback" not in str(frappe.local.message_log[messages_before:])


def test_a_template_for_another_kind_of_record_or_disabled_is_refused():
	lead = make_lead()
	for_customers = make_template("<p>{{ doc.customer_name }}</p>", "Customer")
	with pytest.raises(DocumentTemplateError):
		make_document(template=for_customers.name, reference_doctype="Lead", reference_name=lead.name)
	disabled = make_template("<p>x</p>", enabled=0)
	with pytest.raises(DocumentTemplateError):
		documents.render_document(disabled.name)
	with pytest.raises(DocumentTemplateError):
		documents.render_document("No such template")


def test_a_document_is_linked_to_a_crm_record_or_nothing():
	with pytest.raises(DocumentLinkError):
		make_document(reference_doctype="User", reference_name="Administrator")
	with pytest.raises(frappe.LinkValidationError):  # Frappe's link check comes first
		make_document(reference_doctype="Lead", reference_name="No such lead")
	with pytest.raises(DocumentLinkError):
		make_document(reference_doctype="Lead")
	with pytest.raises(frappe.ValidationError):  # Frappe: "Linked Record Type must be set first"
		make_document(reference_name="Administrator")
	assert make_document().reference_doctype is None


# --- who reads a document ---


def test_a_linked_document_follows_its_records_data_scope(people):
	set_scope("Sales User", OWN)
	mine = make_lead(lead_owner=people.me)
	theirs = make_lead(lead_owner=people.other)
	my_doc = make_document(reference_doctype="Lead", reference_name=mine.name, content="<p>About mine</p>")
	their_doc = make_document(reference_doctype="Lead", reference_name=theirs.name)
	names = [my_doc.name, their_doc.name]

	as_user(people.me)
	assert set(frappe.get_list(DOCUMENT, filters={"name": ("in", names)}, pluck="name")) == {my_doc.name}
	assert scope.get_count(DOCUMENT, filters={"name": ("in", names)}) == 1
	assert frappe.has_permission(DOCUMENT, "read", doc=my_doc.name)
	assert not frappe.has_permission(DOCUMENT, "read", doc=their_doc.name)
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc(DOCUMENT, their_doc.name).check_permission("read")
	# print and PDF
	from frappe.utils.print_format import download_pdf
	from frappe.www.printview import get_html_and_style

	html = get_html_and_style(DOCUMENT, my_doc.name, print_format="Korus Document")["html"]
	assert my_doc.title in html and "About mine" in html
	with pytest.raises(frappe.PermissionError):
		get_html_and_style(DOCUMENT, their_doc.name, print_format="Korus Document")
	with pytest.raises(frappe.PermissionError):
		download_pdf(DOCUMENT, their_doc.name, format="Korus Document")
	# the Documents view of a record
	view = documents.get_record_documents("Lead", mine.name)
	assert [d.name for d in view["documents"]] == [my_doc.name] and view["can_create"]
	with pytest.raises(frappe.PermissionError):
		documents.get_record_documents("Lead", theirs.name)
	# no document for, or moved to, a record the user may not write
	with pytest.raises(frappe.PermissionError):
		make_document(reference_doctype="Lead", reference_name=theirs.name)
	moving = frappe.get_doc(DOCUMENT, my_doc.name)
	moving.reference_name = theirs.name
	with pytest.raises(frappe.PermissionError):
		moving.save()


def test_reading_a_record_reads_its_documents_writing_it_changes_them(people):
	set_scope("Korus Dispatcher", ALL)  # dispatch reads leads, writes none
	lead = make_lead()
	doc = make_document(reference_doctype="Lead", reference_name=lead.name)
	as_user(people.dispatcher)
	assert frappe.has_permission(DOCUMENT, "read", doc=doc.name)
	assert not frappe.has_permission(DOCUMENT, "write", doc=doc.name)
	assert not frappe.has_permission(DOCUMENT, "delete", doc=doc.name)
	with pytest.raises(frappe.PermissionError):
		make_document(reference_doctype="Lead", reference_name=lead.name)
	assert not documents.get_record_documents("Lead", lead.name)["can_create"]


def test_an_unlinked_document_is_read_by_its_author_the_shared_roles_and_the_managers(people):
	as_user(people.me)
	doc = make_document(shared_with_roles=[{"role": "Sales Manager"}])
	private = make_document()
	names = [doc.name, private.name]
	readers = {
		people.me: {doc.name, private.name},
		people.manager: {doc.name},
		people.other: set(),
		people.admin: {doc.name, private.name},
	}
	for user, expected in readers.items():
		as_user(user)
		assert set(frappe.get_list(DOCUMENT, filters={"name": ("in", names)}, pluck="name")) == expected
		for name in names:
			assert bool(frappe.has_permission(DOCUMENT, "read", doc=name)) == (name in expected)
	as_user(people.manager)
	assert not frappe.has_permission(DOCUMENT, "write", doc=doc.name)
	as_user(people.admin)
	assert frappe.has_permission(DOCUMENT, "write", doc=doc.name)


@pytest.mark.skipif(
	not os.environ.get("KORUS_TEST_URL"),
	reason="a PDF needs the served site (wkhtmltopdf loads the print stylesheet from it): set KORUS_TEST_URL",
)
def test_a_document_downloads_as_pdf(people, monkeypatch):
	from urllib.parse import urlparse

	from frappe.utils.print_format import download_pdf

	# wkhtmltopdf resolves no *.localhost name: the served site's stylesheet from its loopback address
	served = urlparse(os.environ["KORUS_TEST_URL"])
	monkeypatch.setitem(frappe.local.conf, "host_name", f"{served.scheme}://127.0.0.1:{served.port or 80}")
	lead = make_lead(lead_owner=people.me)
	as_user(people.me)
	doc = make_document(reference_doctype="Lead", reference_name=lead.name, content="<p>Printed</p>")
	download_pdf(DOCUMENT, doc.name, format="Korus Document")
	assert frappe.local.response.filecontent.startswith(b"%PDF")
	assert frappe.local.response.filename == f"{doc.name}.pdf"


# --- files ---


def test_files_go_to_folders_under_korus_and_follow_their_document(people):
	lead = make_lead(lead_owner=people.me)
	as_user(people.me)
	doc = make_document(title="Offer letter")
	as_user("Administrator")
	lead_file = attach("Lead", lead.name, private=0)
	assert lead_file.folder == "Home/Korus/Leads"
	doc_file = attach(DOCUMENT, doc.name)
	assert doc_file.folder == "Home/Korus/Documents" and doc_file.is_private
	assert frappe.db.get_value("File", "Home/Korus", "is_folder") == 1
	with pytest.raises(PrivateAttachmentError):
		attach(DOCUMENT, doc.name, private=0)

	as_user(people.other)
	listed = set(
		frappe.get_list("File", filters={"name": ("in", [doc_file.name, lead_file.name])}, pluck="name")
	)
	assert doc_file.name not in listed
	assert not frappe.has_permission("File", "read", doc=frappe.get_doc("File", doc_file.name))
	as_user(people.me)
	assert doc_file.name in frappe.get_list("File", filters={"name": doc_file.name}, pluck="name")
	assert frappe.has_permission("File", "read", doc=frappe.get_doc("File", doc_file.name))


def test_the_documents_view_lists_a_records_documents_and_files(people):
	customer = make_customer()
	doc = make_document(reference_doctype="Customer", reference_name=customer.name)
	customer_file = attach("Customer", customer.name)
	doc_file = attach(DOCUMENT, doc.name)
	view = documents.get_record_documents("Customer", customer.name)
	assert [d.name for d in view["documents"]] == [doc.name]
	assert {f.name for f in view["files"]} == {customer_file.name, doc_file.name}
	assert view["folder"] == "Home/Korus/Customers"
	with pytest.raises(DocumentLinkError):
		documents.get_record_documents("User", "Administrator")


def test_tags_of_a_document_are_listed_only_to_its_readers(people):
	from frappe.desk.doctype.tag.tag import add_tag, get_documents_for_tag

	as_user(people.me)
	doc = make_document()
	tag = unique("doc-tag").replace(" ", "-")
	add_tag(tag, DOCUMENT, doc.name)
	assert [r["name"] for r in get_documents_for_tag(f"#{tag}")] == [doc.name]
	as_user(people.other)
	assert get_documents_for_tag(f"#{tag}") == []


# --- over REST ---


def test_over_rest_another_users_document_is_403_and_bad_input_is_4xx(api, committed):
	author, reader = api("Sales User"), api("Sales User")
	made = author.post(f"/api/resource/{DOCUMENT}", {"title": "Private notes", "content": "<p>secret</p>"})
	assert made.status_code == 200, made
	committed.add(DOCUMENT, made.data["name"])
	name = made.data["name"]
	assert author.get(f"/api/resource/{DOCUMENT}/{name}").status_code == 200
	assert reader.get(f"/api/resource/{DOCUMENT}/{name}").status_code == 403
	listed = reader.get(f"/api/resource/{DOCUMENT}", {"filters": f'[["name", "=", "{name}"]]'})
	assert listed.data == []
	count = reader.get(
		"/api/method/frappe.client.get_count", {"doctype": DOCUMENT, "filters": f'{{"name": "{name}"}}'}
	)
	assert count.data == 0
	pdf = reader.get(
		"/api/method/frappe.utils.print_format.download_pdf",
		{"doctype": DOCUMENT, "name": name, "format": "Korus Document"},
	)
	assert pdf.status_code == 403, pdf
	before = frappe.db.count(DOCUMENT)
	for body, exc in (
		({"title": "x", "reference_doctype": "User", "reference_name": "Administrator"}, "DocumentLinkError"),
		(
			{"title": "x", "reference_doctype": "Lead", "reference_name": "No such lead"},
			"LinkValidationError",
		),
		({"title": "x", "template": "No such template"}, "LinkValidationError"),
		({"title": "x", "shared_with_roles": "Sales User"}, "InvalidInputError"),
		({"title": ["x"]}, "InvalidInputError"),
	):
		response = author.post(f"/api/resource/{DOCUMENT}", body)
		assert 400 <= response.status_code < 500 and response.exc_type == exc, (body, response)
	bad = author.get(
		"/api/method/korus_crm.office.documents.render_document", {"template": "No such template"}
	)
	assert bad.status_code == 417 and bad.exc_type == "DocumentTemplateError", bad
	frappe.db.rollback()
	assert frappe.db.count(DOCUMENT) == before
