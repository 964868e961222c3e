"""Documents and files (korus_crm.rules.documents has the rules).

- Permissions of Korus Document: `query_conditions` and `has_permission`. A linked document is read
  as its record may be read: the record's own list conditions (roles, data scope, user permissions,
  shares: `knowledge.readable_condition`) as a subquery on the record's primary key, and the
  record's has_permission for a document opened by name. An unlinked one: author, managers, and
  the holders of the roles it is shared with.
- Templates: Jinja checked when a template is saved (syntax, the names and fields it may use) and
  filled in with frappe.render_template in an autoescape block, with the linked record's readable
  fields only.
- Files: attachments of documents and knowledge articles are private and follow their record in
  File lists and single reads (File's own hooks only check the doctype for lists); files attached
  to documents, articles and the CRM records go to folders under Home/Korus in the File manager.
- Tags: Frappe's Tag Link rows (document names and titles, readable by every user) of documents
  and articles are listed only to those who may read the record.
- `get_record_documents`: the "Documents" view of a lead, deal, customer or contract order.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cstr, formatdate, get_fullname, strip_html_tags, today

from korus_crm.boundary import whitelist
from korus_crm.exceptions import DocumentLinkError, DocumentTemplateError, PrivateAttachmentError
from korus_crm.office import knowledge
from korus_crm.rules import documents as rules
from korus_crm.rules.knowledge import MANAGER_ROLES

DOCUMENT = "Korus Document"
TEMPLATE = "Korus Document Template"
STANDARD_FIELDS = frozenset(
	{"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "doctype"}
)


# --- who reads a document ---


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of Korus Document."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	roles = set(frappe.get_roles(user))
	table = f"`tab{DOCUMENT}`"
	unlinked = f"ifnull({table}.`reference_name`, '') = ''"
	if not roles & MANAGER_ROLES:
		unlinked += (
			f" and ({table}.`owner` = {frappe.db.escape(user)} or {table}.`name` in (select `parent`"
			f" from `tabKorus Document Role` where `parenttype` = {frappe.db.escape(DOCUMENT)}"
			f" and `role` in ({', '.join(frappe.db.escape(r) for r in sorted(roles))})))"
		)
	parts = [f"({unlinked})"]
	for doctype_ in rules.LINKABLE:
		try:
			records = knowledge.readable_condition(doctype_, user)
		except frappe.PermissionError:
			records = None
		if records is None:
			continue
		linked = f"{table}.`reference_doctype` = {frappe.db.escape(doctype_)}"
		if records:
			linked += (
				f" and {table}.`reference_name` in (select `tab{doctype_}`.`name` from `tab{doctype_}`"
				f" where {records})"
			)
		parts.append(f"({linked})")
	return "(" + " or ".join(parts) + ")"


def _allowed(target: frappe._dict, ptype: str | None, user: str) -> bool | None:
	"""Whether `user` may do `ptype` with a document as `target` describes it (owner, link, name);
	None when the link is not valid (the controller's validation refuses it)."""
	if target.reference_doctype or target.reference_name:
		if target.reference_doctype not in rules.LINKABLE or not target.reference_name:
			return None
		if not frappe.db.exists(target.reference_doctype, target.reference_name):
			# the record is gone: its documents stay with their author and the managers
			return target.owner == user or bool(set(frappe.get_roles(user)) & MANAGER_ROLES)
		return frappe.has_permission(
			target.reference_doctype, rules.record_ptype(ptype), doc=target.reference_name, user=user
		)
	shared = (
		frappe.get_all(
			"Korus Document Role", filters={"parent": target.name, "parenttype": DOCUMENT}, pluck="role"
		)
		if target.name
		else []
	)
	return rules.unlinked_allows(
		ptype, user, target.owner or user, frozenset(frappe.get_roles(user)), frozenset(shared)
	)


def has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""has_permission of Korus Document: decided on the stored document (its link and author), and,
	for a change, on the link it is being given as well (a document moves only between records the
	user may write)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	stored = None
	if not doc.is_new() and doc.name:
		stored = frappe.db.get_value(
			DOCUMENT, doc.name, ["name", "owner", "reference_doctype", "reference_name"], as_dict=True
		)
	targets = [stored] if stored else []
	if stored is None or rules.record_ptype(ptype) == "write":
		current = frappe._dict(
			name=stored.name if stored else None,
			owner=stored.owner if stored else (doc.owner or user),
			reference_doctype=doc.get("reference_doctype"),
			reference_name=doc.get("reference_name"),
		)
		if stored is None or (current.reference_doctype, current.reference_name) != (
			stored.reference_doctype,
			stored.reference_name,
		):
			targets.append(current)
	for target in targets:
		if _allowed(target, ptype, user) is False:
			return False
	return None


# --- templates ---


def check_template(content: str | None, reference_doctype: str | None = None) -> str:
	"""The template's Jinja source (`content` with the editor's escaping undone), or
	DocumentTemplateError saying what is wrong with it."""
	from jinja2 import TemplateSyntaxError, meta, nodes
	from jinja2.sandbox import SandboxedEnvironment

	source = rules.unescape_jinja(content)
	if ".__" in source:
		frappe.throw(_("A template cannot use names that start with two underscores."), DocumentTemplateError)
	try:
		# parsed without Frappe's globals, so that every name the template reads counts as undeclared
		tree = SandboxedEnvironment().parse(source)
	except TemplateSyntaxError as e:
		frappe.throw(
			_("The template has an error on line {0}: {1}").format(
				e.lineno, frappe.utils.escape_html(e.message or "")
			),
			DocumentTemplateError,
		)
	if next(tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)), None):
		frappe.throw(_("A template cannot include, import or extend other templates."), DocumentTemplateError)
	unknown = rules.unknown_names(meta.find_undeclared_variables(tree))
	if unknown:
		frappe.throw(
			_("A template can use {0} only, not {1}.").format(
				"doc, formatted, user, today", ", ".join(frappe.bold(n) for n in unknown)
			),
			DocumentTemplateError,
		)
	if reference_doctype:
		meta_ = frappe.get_meta(reference_doctype)
		for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
			if not (isinstance(node.node, nodes.Name) and node.node.name in ("doc", "formatted")):
				continue
			field = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
			if isinstance(field, str) and field not in STANDARD_FIELDS and not meta_.has_field(field):
				frappe.throw(
					_("{0} is not a field of {1}.").format(frappe.bold(field), _(reference_doctype)),
					DocumentTemplateError,
				)
	return source


def _plain(value):
	"""A record's value as a template sees it: None is empty, rows are dicts of plain values."""
	if value is None:
		return ""
	if isinstance(value, list):
		return [_plain(v) for v in value]
	if isinstance(value, dict):
		return frappe._dict({k: _plain(v) for k, v in value.items()})
	return value


def template_context(reference_doctype: str | None, reference_name: str | None) -> dict:
	"""`doc` and `formatted`: the fields of the linked record the user may read (the record is read
	with the user's permissions); `user` and `today`."""
	context = {
		"doc": frappe._dict(),
		"formatted": frappe._dict(),
		"user": get_fullname(frappe.session.user),
		"today": formatdate(today()),
	}
	if reference_doctype and reference_name:
		record = frappe.get_doc(reference_doctype, reference_name)
		record.check_permission("read")
		record.apply_fieldlevel_read_permissions()
		context["doc"] = _plain(record.as_dict())
		context["formatted"] = frappe._dict(
			{
				# Frappe formats some types (a checked Check) as a number
				df.fieldname: strip_html_tags(cstr(frappe.format(record.get(df.fieldname), df, record)))
				for df in record.meta.fields
				if df.fieldtype not in frappe.model.no_value_fields
				and df.fieldtype not in frappe.model.table_fields
				and record.get(df.fieldname) not in (None, "")
			}
		)
	return context


def fill_in(content: str | None, context: dict) -> str:
	"""The template filled in: every value escaped (an autoescape block), through
	frappe.render_template's sandbox. A value that fails (a wrong operation on a field) is a
	DocumentTemplateError, never a server error."""
	source = check_template(content)
	if not source.strip():
		return ""
	wrapped = "{% autoescape true %}" + source + "{% endautoescape %}\n"  # \n: never taken for a path
	try:
		return frappe.render_template(wrapped, context).strip()
	except frappe.ValidationError as e:
		# frappe.render_template's own message shows the template and a traceback: not for the user
		frappe.clear_last_message()
		problem = str(e.__context__ or e)
	except Exception as e:
		problem = str(e)
	frappe.throw(
		_("The template could not be filled in: {0}").format(frappe.utils.escape_html(problem)[:300]),
		DocumentTemplateError,
	)


def template_for(template: str, reference_doctype: str | None) -> frappe._dict:
	row = frappe.db.get_value(
		TEMPLATE, template, ["name", "reference_doctype", "enabled", "content"], as_dict=True
	)
	if not row:
		frappe.throw(
			_("Document template {0} does not exist.").format(frappe.bold(template)), DocumentTemplateError
		)
	frappe.has_permission(TEMPLATE, "read", doc=template, throw=True)
	if not row.enabled:
		frappe.throw(
			_("Document template {0} is disabled.").format(frappe.bold(template)), DocumentTemplateError
		)
	if row.reference_doctype and row.reference_doctype != reference_doctype:
		frappe.throw(
			_("Template {0} is for documents linked to a {1}.").format(
				frappe.bold(template), _(row.reference_doctype)
			),
			DocumentTemplateError,
		)
	return row


@whitelist()
def render_document(
	template: str, reference_doctype: str | None = None, reference_name: str | None = None
) -> str:
	"""The text of a new document from `template` and the linked record (the form's Template field)."""
	check_link(reference_doctype, reference_name)
	row = template_for(template, reference_doctype)
	return fill_in(row.content, template_context(reference_doctype, reference_name))


def check_link(reference_doctype: str | None, reference_name: str | None) -> None:
	if not reference_doctype and not reference_name:
		return
	if reference_doctype not in rules.LINKABLE:
		frappe.throw(
			_("A document can be linked to a lead, deal, customer or contract order, not to {0}.").format(
				frappe.bold(_(reference_doctype or ""))
			),
			DocumentLinkError,
		)
	if not reference_name:
		frappe.throw(
			_("Choose the {0} the document is linked to.").format(_(reference_doctype)), DocumentLinkError
		)
	if not frappe.db.exists(reference_doctype, reference_name):
		frappe.throw(
			_("{0} {1} does not exist.").format(_(reference_doctype), frappe.bold(reference_name)),
			DocumentLinkError,
		)


# --- the Documents view of a record ---


@whitelist()
def get_record_documents(doctype: str, name: str) -> dict:
	"""The documents linked to a lead, deal, customer or contract order and the files attached to it
	and to those documents, as the user may read them."""
	check_link(doctype, name)
	frappe.has_permission(doctype, "read", doc=name, throw=True)
	documents = frappe.get_list(
		DOCUMENT,
		filters={"reference_doctype": doctype, "reference_name": name},
		fields=["name", "title", "template", "owner", "modified"],
		order_by="modified desc",
		limit_page_length=500,
	)
	file_fields = ["name", "file_name", "file_url", "file_size", "is_private", "folder", "owner", "creation",
		"attached_to_doctype", "attached_to_name"]  # fmt: skip
	files = frappe.get_list(
		"File",
		filters={"attached_to_doctype": doctype, "attached_to_name": name, "is_folder": 0},
		fields=file_fields,
		order_by="creation desc",
		limit_page_length=500,
	)
	if documents:
		files += frappe.get_list(
			"File",
			filters={
				"attached_to_doctype": DOCUMENT,
				"attached_to_name": ("in", [d.name for d in documents]),
				"is_folder": 0,
			},
			fields=file_fields,
			order_by="creation desc",
			limit_page_length=500,
		)
	folder = rules.folder_path(doctype)
	return {
		"documents": documents,
		"files": files,
		"folder": "/".join(("Home", *folder)) if folder else None,
		"can_create": frappe.has_permission(DOCUMENT, "create")
		and frappe.has_permission(doctype, "write", doc=name),
	}


# --- files ---


def ensure_folder(path: tuple[str, ...]) -> str:
	"""The File manager folder Home/<path...>, made where missing; returns its name."""
	parent = "Home"
	for part in path:
		name = f"{parent}/{part}"
		if not frappe.db.exists("File", {"name": name, "is_folder": 1}):
			folder = frappe.get_doc({"doctype": "File", "file_name": part, "is_folder": 1, "folder": parent})
			folder.flags.ignore_permissions = True
			folder.insert()
			name = folder.name
		parent = name
	return parent


def file_before_validate(doc, method=None) -> None:
	"""File before_validate: a new attachment of a document, article or CRM record goes to its folder
	under Home/Korus (unless the uploader chose a folder other than Frappe's Home/Attachments); an
	attachment of a document or article must be private."""
	if doc.is_folder or not doc.attached_to_doctype:
		return
	if doc.attached_to_doctype in rules.PRIVATE_ATTACHMENTS and not doc.is_private:
		frappe.throw(
			_("Files of knowledge articles and documents are private: upload the file with Private checked."),
			PrivateAttachmentError,
		)
	if doc.is_new():
		path = rules.folder_path(doc.attached_to_doctype)
		attachments = frappe.db.get_value("File", {"is_attachments_folder": 1}, "name")
		if path and doc.folder in (None, "", attachments):
			doc.folder = ensure_folder(path)


def _office_condition(doctype_column: str, name_column: str, user: str | None) -> str:
	"""A condition on a table that points at office records (`doctype_column`, `name_column`): the
	row passes unless it points at a document or article the user may not read."""
	parts = [
		f"ifnull({doctype_column}, '') not in ({', '.join(frappe.db.escape(d) for d in rules.PRIVATE_ATTACHMENTS)})"
	]
	for doctype, conditions in (
		(DOCUMENT, query_conditions(user)),
		(knowledge.ARTICLE, knowledge.query_conditions(user)),
	):
		kind = f"{doctype_column} = {frappe.db.escape(doctype)}"
		parts.append(
			f"({kind} and {name_column} in (select `name` from `tab{doctype}` where {conditions}))"
			if conditions
			else f"({kind})"
		)
	return "(" + " or ".join(parts) + ")"


def file_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of File (with Frappe's own): the attachments of documents and
	articles are listed to those who may read the record, and to their uploader."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	return (
		f"(`tabFile`.`owner` = {frappe.db.escape(user)} or "
		+ _office_condition("`tabFile`.`attached_to_doctype`", "`tabFile`.`attached_to_name`", user)
		+ ")"
	)


def file_has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""has_permission of File (before Frappe's own): an attachment of a document or article follows
	its record (its uploader keeps it)."""
	user = user or frappe.session.user
	if (
		user == "Administrator"
		or doc.attached_to_doctype not in rules.PRIVATE_ATTACHMENTS
		or not doc.attached_to_name
		or doc.owner == user
	):
		return None
	if ptype == "create":
		ptype = "write"
	if not frappe.db.exists(doc.attached_to_doctype, doc.attached_to_name):
		return None
	allowed = frappe.has_permission(
		doc.attached_to_doctype, rules.record_ptype(ptype), doc=doc.attached_to_name, user=user
	)
	return None if allowed else False


def tag_link_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of Tag Link (every user reads Tag Link, which names each tagged
	record and its title; the desk's tag search lists them): tags of documents and articles are
	listed to those who may read the record."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	return _office_condition("`tabTag Link`.`document_type`", "`tabTag Link`.`document_name`", user)


def tag_link_has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	user = user or frappe.session.user
	if user == "Administrator" or doc.get("document_type") not in rules.PRIVATE_ATTACHMENTS:
		return None
	if not doc.get("document_name") or not frappe.db.exists(doc.document_type, doc.document_name):
		return None
	return (
		None if frappe.has_permission(doc.document_type, "read", doc=doc.document_name, user=user) else False
	)
