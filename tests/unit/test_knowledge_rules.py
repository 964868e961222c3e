"""Knowledge base rules: who reads an article, and how text and queries are prepared for MariaDB's
FULLTEXT index (korus_crm.rules.knowledge)."""

import pytest

from korus_crm.rules import knowledge as kb

AUTHOR = "author@example.com"
READER = "reader@example.com"


def reader(roles=(), departments=(), user=READER):
	return kb.Reader(user, frozenset({"All", *roles}), frozenset(departments))


def test_an_article_without_audience_is_read_by_everyone_with_access():
	assert kb.may_read(kb.Audience(AUTHOR), reader())


def test_an_article_for_a_role_is_read_only_by_its_holders():
	article = kb.Audience(AUTHOR, roles=frozenset({"Sales Manager"}))
	assert kb.may_read(article, reader(roles=["Sales Manager"]))
	assert not kb.may_read(article, reader(roles=["Sales User"]))


def test_an_article_for_a_department_is_read_in_the_departments_under_it():
	article = kb.Audience(AUTHOR, departments=frozenset({"Sales"}))
	# the reader's departments are their own and those above it: Sales > Sales North
	assert kb.may_read(article, reader(departments=["Sales North", "Sales", "All Departments"]))
	assert not kb.may_read(article, reader(departments=["Support", "All Departments"]))
	assert not kb.may_read(article, reader())


def test_roles_and_departments_widen_each_other():
	article = kb.Audience(AUTHOR, roles=frozenset({"Sales Manager"}), departments=frozenset({"Sales"}))
	assert kb.may_read(article, reader(departments=["Sales"]))
	assert kb.may_read(article, reader(roles=["Sales Manager"]))


def test_a_draft_is_read_by_its_author_and_the_managers_only():
	draft = kb.Audience(AUTHOR, published=False)
	assert kb.may_read(draft, reader(user=AUTHOR))
	assert kb.may_read(draft, reader(roles=["Korus Administrator"]))
	assert not kb.may_read(draft, reader())


def test_the_author_and_the_managers_read_a_restricted_article():
	article = kb.Audience(AUTHOR, roles=frozenset({"Accounts Manager"}))
	assert kb.may_read(article, reader(user=AUTHOR))
	assert kb.may_read(article, reader(roles=["System Manager"]))
	assert kb.may_read(article, reader(user="Administrator"))


@pytest.mark.parametrize("ptype", ["write", "delete", "cancel", "submit"])
def test_only_the_author_and_the_managers_change_an_article(ptype):
	article = kb.Audience(AUTHOR)
	assert kb.allows(ptype, article, reader(user=AUTHOR))
	assert kb.allows(ptype, article, reader(roles=["Korus Administrator"]))
	assert not kb.allows(ptype, article, reader(roles=["Sales Manager"]))


@pytest.mark.parametrize("ptype", ["read", "print", "email", "export", None])
def test_reading_kinds_follow_visibility(ptype):
	article = kb.Audience(AUTHOR, roles=frozenset({"Sales Manager"}))
	assert kb.allows(ptype, article, reader(roles=["Sales Manager"]))
	assert not kb.allows(ptype, article, reader())


def test_plain_text_of_editor_content():
	html = '<div class="ql-editor read-mode"><p>Hello&nbsp;<b>world</b></p><p>A &amp; B</p><script>x()</script></div>'
	assert kb.plain_text(html) == "Hello world A & B"
	assert kb.plain_text(None) == ""


def test_folding_removes_accents_and_case():
	assert kb.fold("Żółw ŁÓDŹ Straße Ærø") == "zolw lodz strasse aero"


def test_index_text_folds_pads_short_words_and_pairs_cjk():
	assert kb.index_text("Wniosek QA", "知识库 ok") == "wniosek qa__ k知识 k识库 k库_ ok__"


def test_index_text_leaves_out_short_stopwords():
	assert kb.index_text("a map of the world") == "map the world"


def test_a_cjk_run_next_to_latin_letters_is_its_own_token():
	assert [t.text for t in kb.tokens("CRM知识")] == ["crm", "知识"]


def test_boolean_query_requires_every_word_as_prefix():
	assert kb.boolean_query("Invoice payments") == "+invoice* +payments*"


def test_boolean_query_drops_stopwords_and_operators():
	# a required stopword would make MariaDB match nothing; the caller's operators never pass
	assert kb.boolean_query('the "policy" -(x) @3 <about> ~*') == "+policy* +x___ +3___"
	assert kb.boolean_query("the of and") == "+and*"
	assert kb.boolean_query('+-<>()~*"@') == ""
	assert kb.boolean_query(None) == ""


def test_boolean_query_of_cjk_text_is_the_phrase_of_its_pairs():
	assert kb.boolean_query("知识库") == '+"k知识 k识库"'
	assert kb.boolean_query("知识") == "+k知识"
	assert kb.boolean_query("库") == "+k库*"


def test_queries_match_how_text_is_indexed():
	"""Every term of a query occurs in the index text of a text that contains the query."""
	text = "Jak złożyć wniosek urlopowy w dziale HR: 知识库 manual"
	indexed = set(kb.index_text(text).split())
	for query in ("zlozyc", "HR", "知识库", "库", "URLOP"):
		for part in kb.boolean_query(query).split():
			term = part.strip('+"*')
			assert any(token.startswith(term) for token in indexed), (query, term)


def test_boolean_query_keeps_at_most_twelve_terms():
	assert len(kb.boolean_query(" ".join(f"word{i}" for i in range(40))).split()) == 12


def test_query_terms_for_highlighting():
	assert kb.query_terms("The Żółw, żółw and 知识") == ["zolw", "and", "知识"]


def test_excerpt_is_around_the_first_term():
	text = "intro " * 100 + "Polityka urlopów w firmie " + "outro " * 100
	snippet = kb.excerpt(text, ["urlopow"], width=120)
	assert "urlopów" in snippet and snippet.startswith("…") and snippet.endswith("…")
	assert len(snippet) <= 124


def test_excerpt_without_a_match_is_the_beginning():
	assert kb.excerpt("short text", ["zzz"]) == "short text"
	assert kb.excerpt("word " * 100, ["zzz"], width=20).endswith("…")
