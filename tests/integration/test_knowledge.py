"""Knowledge base: articles read by role and department (a department's article in the departments
under it), drafts and editing for the author, in lists, counts, by name and over REST; the full-text
search (MariaDB FULLTEXT: committed rows only) shows only what the user may read; the category tree;
bad input answers 4xx."""

from __future__ import annotations

import frappe
import pytest

from korus_crm.exceptions import InvalidInputError, KnowledgeSearchError
from korus_crm.office import knowledge
from tests.integration.factories import unique
from tests.integration.org_setup import make_department, make_employee
from tests.integration.support import make_user

ARTICLE = "Knowledge Article"


def make_category(parent: str | None = None, is_group: int = 1) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Knowledge Category",
				"category_name": unique("KB Category"),
				"parent_knowledge_category": parent,
				"is_group": is_group,
			}
		)
		.insert()
		.name
	)


def make_article(title: str | None = None, content: str = "", roles=(), departments=(), **values):
	return frappe.get_doc(
		{
			"doctype": ARTICLE,
			"title": title or unique("Article"),
			"content": content,
			"visible_to_roles": [{"role": r} for r in roles],
			"visible_to_departments": [{"department": d} for d in departments],
			**values,
		}
	).insert()


def as_user(user: str) -> None:
	frappe.set_user(user)


@pytest.fixture
def world(committed):
	"""Users (committed: REST and has_permission need them) in a department tree made in the test's
	transaction: sales > sales_north; support aside."""
	users = {}
	for key, roles in {
		"author": ["Sales User"],
		"north": ["Sales User"],
		"support": ["Sales User"],
		"manager": ["Sales User", "Sales Manager"],
		"admin": ["Korus Administrator"],
		"outsider": ["Accounts User"],
	}.items():
		user, _password = make_user(roles)
		committed.add("User", user)
		users[key] = user
	sales = make_department()
	north = make_department(sales)
	support = make_department()
	make_employee(users["north"], north, None)
	make_employee(users["support"], support, None)
	return frappe._dict(users=users, sales=sales, north=north, support=support)


def visible(user: str, names: list[str]) -> set[str]:
	as_user(user)
	try:
		return set(frappe.get_list(ARTICLE, filters={"name": ("in", names)}, pluck="name"))
	finally:
		as_user("Administrator")


def readable_by_name(user: str, name: str) -> bool:
	as_user(user)
	try:
		return bool(frappe.has_permission(ARTICLE, "read", doc=name))
	finally:
		as_user("Administrator")


def test_articles_are_read_by_role_and_by_department_and_the_departments_under_it(world):
	u = world.users
	as_user(u["author"])
	public = make_article("Public")
	for_managers = make_article("For managers", roles=["Sales Manager"])
	for_sales = make_article("For sales", departments=[world.sales])
	draft = make_article("Draft", published=0)
	as_user("Administrator")
	names = [public.name, for_managers.name, for_sales.name, draft.name]
	assert (public.restricted, for_managers.restricted, for_sales.restricted) == (0, 1, 1)

	expected = {
		# a member of a department under Sales reads the Sales article
		"north": {public.name, for_sales.name},
		"support": {public.name},
		"manager": {public.name, for_managers.name},
		"author": set(names),
		"admin": set(names),
	}
	for key, names_seen in expected.items():
		assert visible(u[key], names) == names_seen, key
		for name in names:
			assert readable_by_name(u[key], name) == (name in names_seen), (key, name)

	# opened by name: 403 (frappe.PermissionError), not a 500
	as_user(u["support"])
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc(ARTICLE, for_sales.name).check_permission("read")
	# a role without access to the knowledge base reads nothing
	as_user(u["outsider"])
	with pytest.raises(frappe.PermissionError):
		frappe.get_list(ARTICLE)


def test_moving_to_another_department_changes_what_an_employee_reads(world):
	u = world.users
	article = make_article(departments=[world.support])
	assert not readable_by_name(u["north"], article.name)
	employee = frappe.get_doc("Employee", {"user_id": u["north"]})
	employee.department = world.support
	employee.save()
	assert readable_by_name(u["north"], article.name)
	assert visible(u["north"], [article.name]) == {article.name}


def test_only_the_author_and_the_managers_change_an_article(world):
	u = world.users
	as_user(u["author"])
	article = make_article("Mine")
	article.title = "Mine, edited"
	article.save()
	as_user(u["north"])
	theirs = frappe.get_doc(ARTICLE, article.name)  # readable
	theirs.title = "Not mine"
	with pytest.raises(frappe.PermissionError):
		theirs.save()
	with pytest.raises(frappe.PermissionError):
		frappe.delete_doc(ARTICLE, article.name)
	as_user(u["admin"])
	admins = frappe.get_doc(ARTICLE, article.name)
	admins.published = 0
	admins.save()


def test_the_category_tree(world):
	top = make_category()
	child = make_category(top)
	leaf = make_category(child, is_group=0)
	roots = {n["value"] for n in knowledge.get_category_children(parent="All Categories", is_root=True)}
	assert top in roots and child not in roots
	assert [n["value"] for n in knowledge.get_category_children(parent=top)] == [child]
	assert [n["value"] for n in knowledge.get_category_children(parent=child)] == [leaf]
	made = knowledge.add_category(category_name=unique("KB Top"), parent="All Categories", is_root=True)
	assert frappe.db.get_value("Knowledge Category", made, "parent_knowledge_category") is None
	as_user(world.users["north"])
	with pytest.raises(frappe.PermissionError):
		knowledge.add_category(category_name=unique("KB Nope"), parent=top)
	# browsing a category lists the articles of the categories under it
	as_user("Administrator")
	in_leaf = make_article(category=leaf)
	elsewhere = make_article(category=make_category())
	listed = {r.name for r in knowledge.get_articles(category=top, page_length=100)["results"]}
	assert in_leaf.name in listed and elsewhere.name not in listed


def test_articles_are_not_in_frappes_global_search():
	"""Frappe's global search checks only that the user may read the doctype, then shows any row's
	content: no field of an article may go there."""
	meta = frappe.get_meta(ARTICLE)
	assert meta.get_global_search_fields() == []
	assert not meta.show_name_in_global_search


def test_a_search_needs_words_and_known_categories():
	with pytest.raises(KnowledgeSearchError):
		knowledge.search_articles(query="  the  ")
	with pytest.raises(KnowledgeSearchError):
		knowledge.search_articles(query="+-*()")
	with pytest.raises(frappe.DoesNotExistError):
		knowledge.search_articles(query="policy", category="No such category")
	with pytest.raises(InvalidInputError):
		knowledge.search_articles(query="policy", page_length=1000)
	with pytest.raises(InvalidInputError):
		knowledge.search_articles(query={"a": 1})


class TestSearch:
	"""FULLTEXT indexes see committed rows only (InnoDB updates them at commit): these tests commit
	and delete what they made."""

	@pytest.fixture
	def articles(self, committed):
		users = {}
		for key, roles in {"north": ["Sales User"], "support": ["Sales User"]}.items():
			user, _password = make_user(roles)
			committed.add("User", user)
			users[key] = user
		sales = make_department()
		north = make_department(sales)
		support = make_department()
		for name in (sales, north, support):
			committed.add("Department", name)
		committed.add("Employee", make_employee(users["north"], north, None))
		committed.add("Employee", make_employee(users["support"], support, None))
		top = make_category()
		sub = make_category(top)
		committed.add("Knowledge Category", top)
		committed.add("Knowledge Category", sub)
		marker = frappe.generate_hash(length=8).lower()
		made = {
			"public": make_article(
				f"Leave policy {marker}",
				f"<p>How to ask for leave ({marker}): the <b>urlopów</b> form, for HR and QA.</p>",
				category=sub,
			),
			"sales": make_article(
				f"Sales commissions {marker}",
				f"<p>Commission rules {marker} of the sales department. 知识库 和 销售</p>",
				departments=[sales],
			),
			"managers": make_article(
				f"Salary bands {marker}",
				f"<p>Confidential {marker}: salary bands.</p>",
				roles=["Sales Manager"],
			),
			"draft": make_article(f"Draft {marker}", f"<p>Unfinished {marker}</p>", published=0),
		}
		for doc in made.values():
			committed.add(ARTICLE, doc.name)
		frappe.db.commit()
		return frappe._dict(users=users, made=frappe._dict(made), marker=marker, top=top, sub=sub)

	def found(self, user: str, query: str, **kwargs) -> set[str]:
		as_user(user)
		try:
			return {
				r.name for r in knowledge.search_articles(query=query, page_length=100, **kwargs)["results"]
			}
		finally:
			as_user("Administrator")

	def test_a_search_shows_only_articles_the_user_may_read(self, articles):
		m, users, marker = articles.made, articles.users, articles.marker
		assert self.found("Administrator", marker) == {d.name for d in m.values()}
		assert self.found(users["north"], marker) == {m.public.name, m.sales.name}
		assert self.found(users["support"], marker) == {m.public.name}
		assert self.found(users["support"], f"salary {marker}") == set()

	def test_words_prefixes_accents_short_words_and_chinese_are_found(self, articles):
		m, marker = articles.made, articles.marker
		assert self.found("Administrator", f"{marker} commiss") == {m.sales.name}
		assert self.found("Administrator", f"{marker} URLOPOW") == {m.public.name}  # urlopów
		assert self.found("Administrator", f"{marker} qa") == {m.public.name}
		assert self.found("Administrator", f"知识库 {marker}") == {m.sales.name}
		assert self.found("Administrator", f"销 {marker}") == {m.sales.name}
		assert self.found("Administrator", f"{marker} nowhere") == set()

	def test_results_have_an_excerpt_and_a_category_filter(self, articles):
		m, marker = articles.made, articles.marker
		result = knowledge.search_articles(query=f"{marker} form")["results"]
		assert [r.name for r in result] == [m.public.name]
		assert "urlopów" in result[0].excerpt and "<b>" not in result[0].excerpt
		assert "content" not in result[0]
		assert self.found("Administrator", marker, category=articles.top) == {m.public.name}

	def test_over_rest_a_restricted_article_is_403_and_absent_from_lists_counts_and_search(
		self, articles, committed
	):
		from tests.integration.support import ApiClient

		user, password = make_user(["Sales User"])
		committed.add("User", user)
		client = ApiClient(frappe.local.site)
		client.login(user, password)
		m, marker = articles.made, articles.marker
		assert client.get(f"/api/resource/{ARTICLE}/{m.public.name}").status_code == 200
		for key in ("sales", "managers", "draft"):
			response = client.get(f"/api/resource/{ARTICLE}/{m[key].name}")
			assert response.status_code == 403, response
		listed = client.get(
			f"/api/resource/{ARTICLE}",
			{"filters": f'[["title", "like", "%{marker}%"]]', "limit_page_length": 0},
		)
		assert [r["name"] for r in listed.data] == [m.public.name]
		count = client.get(
			"/api/method/frappe.client.get_count",
			{"doctype": ARTICLE, "filters": f'[["title", "like", "%{marker}%"]]'},
		)
		assert count.data == 1, count
		found = client.get("/api/method/korus_crm.office.knowledge.search_articles", {"query": marker})
		assert [r["name"] for r in found.data["results"]] == [m.public.name]
		bad = client.get("/api/method/korus_crm.office.knowledge.search_articles", {"query": "the"})
		assert bad.status_code == 417 and bad.exc_type == "KnowledgeSearchError", bad

	def test_tags_of_restricted_articles_are_not_listed_to_others(self, articles):
		from frappe.desk.doctype.tag.tag import add_tag, get_documents_for_tag

		tag = f"kb-{articles.marker}"
		for doc in articles.made.values():
			add_tag(tag, ARTICLE, doc.name)
		as_user(articles.users["support"])
		listed = {r["name"] for r in get_documents_for_tag(f"#{tag}")}
		assert listed == {articles.made.public.name}
		as_user("Administrator")
		frappe.db.rollback()


def test_bad_input_over_rest_answers_4xx_and_writes_nothing(api):
	client = api("Sales User")
	before = frappe.db.count(ARTICLE)
	for body, exc in (
		({"title": "x", "visible_to_roles": "Sales User"}, "InvalidInputError"),
		({"title": {"a": 1}}, "InvalidInputError"),
		({"title": "x", "visible_to_roles": [{"role": "No Such Role"}]}, "LinkValidationError"),
		({"title": "x", "category": "No Such Category"}, "LinkValidationError"),
		({"title": "   "}, "MandatoryError"),
	):
		response = client.post(f"/api/resource/{ARTICLE}", body)
		assert 400 <= response.status_code < 500, (body, response)
		assert response.exc_type == exc, (body, response)
	frappe.db.rollback()
	assert frappe.db.count(ARTICLE) == before
