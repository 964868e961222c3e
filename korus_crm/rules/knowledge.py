"""The knowledge base (seed 004 办公管理 知识): who reads an article, and how its text is searched.

Visibility. An article without audience rows is read by everyone who may read the knowledge base;
one with audience rows only by the holders of one of its roles and the members of one of its
departments, a department including the departments under it. Its author always reads it, and so
do the knowledge managers; an unpublished article (a draft) only its author and the managers.

Search. MariaDB's FULLTEXT index (InnoDB) splits text at anything that is not a letter, a digit or
`_`, ignores tokens shorter than three characters and a list of English stopwords, and does not
fold accents. So the text is prepared before it is indexed (`index_text`) and the query the same
way (`boolean_query`):

- words are lowercased and folded to ASCII where they have an ASCII form (żółw -> zolw);
- words shorter than three characters are padded with `_` (qa -> qa__), so they are indexed;
- runs of Chinese, Japanese or Korean characters, which have no spaces between words, are indexed
  as overlapping pairs of characters, each marked with a leading `k` and the run's last character
  paired with `_` (知识库 -> k知识 k识库 k库_): a query of two or more characters is the phrase of
  its pairs, a query of one character the prefix of a pair.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

# --- who reads an article ---

# Roles that read and edit every article (and its category tree), whatever its audience.
MANAGER_ROLES: frozenset[str] = frozenset({"System Manager", "Korus Administrator"})

READ_PTYPES: frozenset[str] = frozenset({"read", "select", "print", "email", "export", "report", "share"})


@dataclass(frozen=True)
class Audience:
	"""An article as its visibility is decided: author, published flag, audience rows."""

	owner: str
	published: bool = True
	roles: frozenset[str] = frozenset()
	departments: frozenset[str] = frozenset()

	@property
	def restricted(self) -> bool:
		return bool(self.roles or self.departments)


@dataclass(frozen=True)
class Reader:
	"""A user as visibility sees them: their roles, and their department with the departments
	above it (an article for a department is for the departments under it too)."""

	user: str
	roles: frozenset[str] = frozenset()
	departments: frozenset[str] = field(default_factory=frozenset)

	@property
	def is_manager(self) -> bool:
		return self.user == "Administrator" or bool(self.roles & MANAGER_ROLES)


def may_read(article: Audience, reader: Reader) -> bool:
	if reader.is_manager or article.owner == reader.user:
		return True
	if not article.published:
		return False
	if not article.restricted:
		return True
	return bool(article.roles & reader.roles or article.departments & reader.departments)


def may_change(article: Audience, reader: Reader) -> bool:
	"""Editing and deleting: the author and the managers."""
	return reader.is_manager or article.owner == reader.user


def allows(ptype: str | None, article: Audience, reader: Reader) -> bool:
	if (ptype or "read") in READ_PTYPES:
		return may_read(article, reader)
	return may_change(article, reader)


# --- text ---

_BLOCK_TAGS = frozenset(
	"p div br li ul ol tr td th table h1 h2 h3 h4 h5 h6 blockquote pre section article header footer".split()
)


class _TextCollector(HTMLParser):
	def __init__(self) -> None:
		super().__init__(convert_charrefs=True)
		self.parts: list[str] = []
		self._skip = 0

	def handle_starttag(self, tag, attrs):
		if tag in ("script", "style"):
			self._skip += 1
		elif tag in _BLOCK_TAGS:
			self.parts.append(" ")

	def handle_endtag(self, tag):
		if tag in ("script", "style"):
			self._skip = max(0, self._skip - 1)
		elif tag in _BLOCK_TAGS:
			self.parts.append(" ")

	def handle_data(self, data):
		if not self._skip:
			self.parts.append(data)


_SPACES = re.compile(r"\s+")


def plain_text(markup: str | None) -> str:
	"""The text of an HTML fragment (a Text Editor's content), with blocks apart and spaces collapsed."""
	if not markup:
		return ""
	collector = _TextCollector()
	collector.feed(markup)
	collector.close()
	return _SPACES.sub(" ", html.unescape("".join(collector.parts))).strip()


# letters with no decomposition in Unicode that have a usual ASCII form
_FOLD_SPECIAL = {"ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}


def fold_char(char: str) -> str:
	"""One character, lowercased and without its accents (may become several: ß -> ss)."""
	lower = char.lower()
	if lower in _FOLD_SPECIAL:
		return _FOLD_SPECIAL[lower]
	if lower.isascii():
		return lower
	decomposed = unicodedata.normalize("NFKD", lower)
	base = "".join(c for c in decomposed if not unicodedata.combining(c))
	return base or lower


def fold(text: str) -> str:
	return "".join(fold_char(c) for c in text)


def is_cjk(char: str) -> bool:
	code = ord(char)
	return (
		0x3040 <= code <= 0x30FF  # Hiragana, Katakana
		or 0x3400 <= code <= 0x4DBF  # CJK Extension A
		or 0x4E00 <= code <= 0x9FFF  # CJK Unified Ideographs
		or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
		or 0xF900 <= code <= 0xFAFF  # CJK Compatibility Ideographs
		or 0x20000 <= code <= 0x2FA1F  # Extensions B-F, supplement
	)


_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f"
# a run of CJK characters, or a word of other letters and digits
_TOKEN = re.compile(f"[{_CJK}]+|(?:(?![{_CJK}])[^\\W_])+")

MIN_TOKEN = 3  # innodb_ft_min_token_size
CJK_MARK = "k"
PAD = "_"

# InnoDB's default stopwords (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD): a required stopword
# makes a boolean query match nothing, so they are left out of queries.
STOPWORDS: frozenset[str] = frozenset(
	"a about an are as at be by com de en for from how i in is it la of on or that the this to was what "
	"when where who will with und www".split()
)


@dataclass(frozen=True)
class Token:
	text: str  # folded
	cjk: bool


def tokens(text: str) -> list[Token]:
	out = []
	for match in _TOKEN.finditer(text or ""):
		run = match.group(0)
		if is_cjk(run[0]):
			out.append(Token(run, True))
		else:
			out.append(Token(fold(run), False))
	return out


def _word_term(word: str) -> str:
	return word if len(word) >= MIN_TOKEN else word + PAD * (MIN_TOKEN - len(word) + 1)


def _pairs(run: str) -> list[str]:
	padded = run + PAD
	return [CJK_MARK + padded[i : i + 2] for i in range(len(run))]


def index_text(*texts: str | None) -> str:
	"""What the FULLTEXT index holds for an article: its texts as index terms, space-separated."""
	terms: list[str] = []
	for text in texts:
		for token in tokens(text or ""):
			if token.cjk:
				terms.extend(_pairs(token.text))
			elif not (token.text in STOPWORDS and len(token.text) < MIN_TOKEN):
				terms.append(_word_term(token.text))
	return " ".join(terms)


def query_terms(query: str | None) -> list[str]:
	"""The words of a query as a reader would highlight them (folded, without stopwords)."""
	seen: list[str] = []
	for token in tokens(query or ""):
		if not token.cjk and token.text in STOPWORDS:
			continue
		if token.text not in seen:
			seen.append(token.text)
	return seen


def boolean_query(query: str | None, max_terms: int = 12) -> str:
	"""The query as MariaDB boolean-mode text: every word required, longer words as prefixes, runs
	of CJK characters as the phrase of their pairs. Empty when nothing searchable is left (a query of
	stopwords or punctuation). Only terms made here reach the database: no operator of the caller's."""
	parts: list[str] = []
	for token in tokens(query or "")[: max_terms * 2]:
		if token.cjk:
			if len(token.text) == 1:
				parts.append(f"+{CJK_MARK}{token.text}*")
			else:
				pairs = _pairs(token.text)[:-1]  # the last pair (with the pad) ends a run only in the index
				parts.append(f"+{pairs[0]}" if len(pairs) == 1 else '+"' + " ".join(pairs) + '"')
		elif token.text in STOPWORDS:
			continue
		elif len(token.text) < MIN_TOKEN:
			parts.append(f"+{_word_term(token.text)}")
		else:
			parts.append(f"+{token.text}*")
		if len(parts) >= max_terms:
			break
	return " ".join(dict.fromkeys(parts))


def excerpt(text: str, terms: Iterable[str], width: int = 200) -> str:
	"""About `width` characters of `text` around the first place a term occurs (accents and case
	ignored); the beginning of the text when none does."""
	text = text or ""
	if len(text) <= width:
		return text
	folded_chars: list[str] = []
	offsets: list[int] = []
	for i, char in enumerate(text):
		for c in fold_char(char):
			folded_chars.append(c)
			offsets.append(i)
	folded = "".join(folded_chars)
	positions = [folded.find(t) for t in terms if t and folded.find(t) >= 0]
	if not positions:
		return text[:width].rstrip() + "…"
	at = offsets[min(positions)]
	start = max(0, at - width // 3)
	end = min(len(text), start + width)
	start = max(0, end - width)
	# start and end at a word boundary where one is near
	if start > 0:
		space = text.find(" ", start, at)
		start = space + 1 if space != -1 else start
	if end < len(text):
		space = text.rfind(" ", at, end)
		end = space if space > at else end
	return ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")
