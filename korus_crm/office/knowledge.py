"""The knowledge base (korus_crm.rules.knowledge has the rules): who reads an article, the search,
the category tree.

Reads go through Frappe's permission engine: `query_conditions` (permission_query_conditions: lists,
REST, link search, reports, counts) and `has_permission` (an article opened by name, printed or
exported) say the same thing, from the same rule. An article's audience is decided on indexed
columns: `published` and `restricted` on the article, the audience tables by `parent` and by
`role` / `department`; the reader's departments are their own and those above it (one nested-set
query on Department, memoised for the request).

The search is MariaDB's FULLTEXT index on the article's prepared text (`search_text`), queried in
boolean mode and filtered, in the same query, by the conditions Frappe's list query applies to the
user (`DatabaseQuery.build_match_conditions`); the page of names found is then read with
frappe.get_list, so a search shows nothing a list would not. Frappe's global search is not used:
it only checks that the user may read the doctype, then returns any row's content
(frappe.utils.global_search.search), so no field of an article is marked `in_global_search`.
"""

from __future__ import annotations

from typing import Annotated

import frappe
from frappe import _
from frappe.model.db_query import DatabaseQuery

from korus_crm import people
from korus_crm.boundary import Between, whitelist
from korus_crm.exceptions import KnowledgeSearchError
from korus_crm.rules import knowledge as rules

ARTICLE = "Knowledge Article"
CATEGORY = "Knowledge Category"
SEARCH_PAGE = 100  # most results of one search call
EXCERPT_SOURCE = 20000  # characters of an article's text an excerpt is looked for in


# --- who reads an article ---


def departments_above(user: str) -> frozenset[str]:
	"""The user's department and the departments above it (an article for a department is for the
	departments under it)."""
	employee = people.employee_of(user)
	if not employee or not employee.department:
		return frozenset()
	bounds = people.department_range(employee.department)
	if not bounds:
		return frozenset({employee.department})
	table = frappe.qb.DocType("Department")
	names = (
		frappe.qb.from_(table)
		.select(table.name)
		.where((table.lft <= bounds[0]) & (table.rgt >= bounds[1]))
		.run(pluck=True)
	)
	return frozenset(names) | {employee.department}


def reader(user: str | None = None) -> rules.Reader:
	"""The user as visibility sees them: roles (Frappe caches them) and departments."""
	user = user or frappe.session.user
	return rules.Reader(user, frozenset(frappe.get_roles(user)), departments_above(user))


def _in(values) -> str:
	return ", ".join(frappe.db.escape(v) for v in sorted(values))


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of Knowledge Article."""
	who = reader(user)
	if who.is_manager:
		return ""
	table = f"`tab{ARTICLE}`"
	audience = [f"{table}.`restricted` = 0"]
	if who.roles:
		audience.append(
			f"{table}.`name` in (select `parent` from `tabKnowledge Article Role`"
			f" where `parenttype` = {frappe.db.escape(ARTICLE)} and `role` in ({_in(who.roles)}))"
		)
	if who.departments:
		audience.append(
			f"{table}.`name` in (select `parent` from `tabKnowledge Article Department`"
			f" where `parenttype` = {frappe.db.escape(ARTICLE)} and `department` in ({_in(who.departments)}))"
		)
	return (
		f"({table}.`owner` = {frappe.db.escape(who.user)}"
		f" or ({table}.`published` = 1 and ({' or '.join(audience)})))"
	)


def stored_audience(name: str) -> rules.Audience | None:
	row = frappe.db.get_value(ARTICLE, name, ["owner", "published"], as_dict=True)
	if not row:
		return None
	roles = frappe.get_all(
		"Knowledge Article Role", filters={"parent": name, "parenttype": ARTICLE}, pluck="role"
	)
	departments = frappe.get_all(
		"Knowledge Article Department", filters={"parent": name, "parenttype": ARTICLE}, pluck="department"
	)
	return rules.Audience(row.owner, bool(row.published), frozenset(roles), frozenset(departments))


def has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""has_permission of Knowledge Article: an article outside the user's audience is refused
	(403), whatever their roles allow; editing is for its author and the managers. Decided on the
	stored article (a change being saved cannot widen who may save it)."""
	if ptype == "create" or doc.is_new():
		return None
	who = reader(user)
	if who.is_manager:
		return None
	article = stored_audience(doc.name)
	if article is None:
		return None
	return None if rules.allows(ptype, article, who) else False


def readable_condition(doctype: str, user: str | None = None) -> str | None:
	"""The SQL condition on `tab{doctype}` that frappe.get_list applies for `user` when reading
	(role permissions, user permissions, permission query hooks, shares): "" when the user reads every
	record, None when none."""
	from frappe.permissions import get_role_permissions

	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	if not get_role_permissions(frappe.get_meta(doctype), user=user).get("read"):
		shared = frappe.share.get_shared(doctype, user, rights=["read"])
		if not shared:
			return None
		return f"`tab{doctype}`.`name` in ({_in(shared)})"
	return DatabaseQuery(doctype, user=user).build_match_conditions(as_condition=True)


# --- search ---


def _category_bounds(category: str) -> tuple[int, int]:
	bounds = frappe.db.get_value(CATEGORY, category, ["lft", "rgt"])
	if not bounds:
		frappe.throw(
			_("Knowledge category {0} does not exist.").format(frappe.bold(category)),
			frappe.DoesNotExistError,
		)
	return bounds


@whitelist()
def search_articles(
	query: str,
	category: str | None = None,
	start: Annotated[int, Between(0, 100000)] = 0,
	page_length: Annotated[int, Between(1, SEARCH_PAGE)] = 20,
) -> dict:
	"""The articles the user may read whose title or text has every word of `query` (a word as a
	prefix: "invoic" finds "invoices"; accents and case ignored; Chinese, Japanese and Korean text
	too), best match first, optionally in a category and the categories under it. Each result has an
	excerpt of the text around the first word found."""
	frappe.has_permission(ARTICLE, "read", throw=True)
	boolean = rules.boolean_query(query)
	if not boolean:
		frappe.throw(
			_('Type a word to search for (common words such as "the" or "and" are not searched).'),
			KnowledgeSearchError,
		)
	values = {"query": boolean, "limit": page_length + 1, "start": start}
	where = ["match(`search_text`) against (%(query)s in boolean mode)"]
	if category:
		values["lft"], values["rgt"] = _category_bounds(category)
		where.append(
			f"`category` in (select `name` from `tab{CATEGORY}` where `lft` >= %(lft)s and `rgt` <= %(rgt)s)"
		)
	permitted = readable_condition(ARTICLE)
	if permitted is None:
		return {"results": [], "terms": rules.query_terms(query), "has_more": False, "start": start}
	if permitted:
		where.append(f"({permitted})")
	found = frappe.db.sql(
		f"""select `tab{ARTICLE}`.`name`, match(`search_text`) against (%(query)s in boolean mode) as `score`
		from `tab{ARTICLE}` where {" and ".join(where)}
		order by `score` desc, `tab{ARTICLE}`.`modified` desc
		limit %(limit)s offset %(start)s""",
		values,
		as_dict=True,
	)
	has_more = len(found) > page_length
	names = [row.name for row in found[:page_length]]
	rows = {
		row.name: row
		for row in frappe.get_list(
			ARTICLE,
			filters={"name": ("in", names)},
			fields=["name", "title", "category", "content", "published", "owner", "modified"],
			limit_page_length=0,
		)
	}
	terms = rules.query_terms(query)
	results = []
	for name in names:
		row = rows.get(name)
		if not row:
			continue  # not readable after all: never shown
		text = rules.plain_text((row.pop("content") or "")[: EXCERPT_SOURCE * 2])[:EXCERPT_SOURCE]
		row.excerpt = rules.excerpt(text, terms)
		results.append(row)
	return {"results": results, "terms": terms, "has_more": has_more, "start": start}


@whitelist()
def get_articles(
	category: str | None = None,
	start: Annotated[int, Between(0, 100000)] = 0,
	page_length: Annotated[int, Between(1, SEARCH_PAGE)] = 20,
) -> dict:
	"""The newest articles the user may read, optionally of a category and those under it."""
	filters = [["category", "descendants of (inclusive)", category]] if category else []
	if category:
		_category_bounds(category)
	rows = frappe.get_list(
		ARTICLE,
		filters=filters,
		fields=["name", "title", "category", "published", "owner", "modified"],
		order_by="modified desc",
		limit_start=start,
		limit_page_length=page_length + 1,
	)
	return {"results": rows[:page_length], "has_more": len(rows) > page_length, "start": start}


# --- the category tree ---


@whitelist()
def get_category_children(
	doctype: str = CATEGORY, parent: str | None = None, is_root: bool = False, **filters
) -> list[dict]:
	"""The tree view's nodes: the top-level categories under the root, else a category's children."""
	if doctype != CATEGORY:
		frappe.throw(_("This tree shows knowledge categories only."), frappe.PermissionError)
	top = is_root or not parent or not frappe.db.exists(CATEGORY, parent)
	return frappe.get_list(
		CATEGORY,
		fields=["name as value", "category_name as title", "is_group as expandable"],
		filters=[["ifnull(`parent_knowledge_category`, '')", "=", "" if top else parent]],
		order_by="lft asc",
	)


@whitelist(methods=["POST"])
def add_category(
	category_name: str,
	parent: str | None = None,
	is_root: bool = False,
	is_group: bool = False,
	description: str | None = None,
	**ignored,
) -> str:
	"""The tree view's "Add Child": a category under `parent` (at the top under the root)."""
	doc = frappe.get_doc(
		{
			"doctype": CATEGORY,
			"category_name": category_name,
			"parent_knowledge_category": None if is_root or not parent else parent,
			"is_group": 1 if is_group else 0,
			"description": description,
		}
	)
	doc.insert()
	return doc.name


# --- counts ---
