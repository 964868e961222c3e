"""Duplicate detection (seed 004 查重): the keys under which two leads or customers are the same.

Three keys, each compared by equality on an indexed column (korus_crm.customers.duplicates):

- email: trimmed, lower case (korus_crm.rules.leads.normalize_email);
- phone: digits only, with the country code. "+48 601-234-567", "0048 601 234 567" and, on a site
  whose default country code is 48, "601 234 567" all give "48601234567"; a national number's trunk
  prefix 0 is dropped ("(022) 2345 6789" with 86 -> "862223456789"); an extension ("x12", "ext. 12",
  "#12") is not part of it. Fewer than 6 digits is no key;
- name: the company (or person) name without case, accents, spaces, punctuation and legal-form
  words at its end ("ACME Sp. z o.o.", "Acme, Ltd.", "acme" -> "acme"; "华为技术有限公司" -> "华为技术").
  A name that is nothing but legal-form words keeps them.

Pure functions, no Frappe.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MIN_PHONE_DIGITS = 6

# Legal forms, as token sequences (after lower-casing and splitting on anything not a letter or
# digit), removed from the end of a Latin-script name, repeatedly ("Acme Holding Co., Ltd." keeps
# "acme holding"). Longest first.
_LATIN_LEGAL_FORMS: tuple[str, ...] = (
	"spolka z ograniczona odpowiedzialnoscia",
	"spolka akcyjna",
	"spolka komandytowa",
	"spolka jawna",
	"sp z o o",
	"sp z oo",
	"spzoo",
	"sp k",
	"sp j",
	"s a",
	"s c",
	"s p a",
	"s r l",
	"s a r l",
	"s a s",
	"s l",
	"b v",
	"n v",
	"private limited",
	"pvt ltd",
	"pty ltd",
	"public limited company",
	"limited liability company",
	"limited",
	"ltd",
	"llc",
	"l l c",
	"llp",
	"inc",
	"incorporated",
	"corp",
	"corporation",
	"company",
	"co",
	"plc",
	"gmbh",
	"gmbh co kg",
	"ag",
	"kg",
	"ohg",
	"ug",
	"sa",
	"spa",
	"srl",
	"sarl",
	"sas",
	"bv",
	"nv",
	"oy",
	"ab",
	"as",
	"aps",
	"kft",
	"sro",
	"s r o",
	"pte",
	"pty",
	"pvt",
	"kk",
)
LATIN_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
	sorted({tuple(form.split()) for form in _LATIN_LEGAL_FORMS}, key=len, reverse=True)
)

# Chinese legal forms, removed from the end of the name (longest first), repeatedly.
CJK_LEGAL_FORMS: tuple[str, ...] = (
	"集团股份有限公司",
	"股份有限公司",
	"有限责任公司",
	"有限責任公司",
	"集团有限公司",
	"有限公司",
	"股份公司",
	"分公司",
	"公司",
)

# letters that do not decompose into a base letter and a mark
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
_EXTENSION = re.compile(r"(?:\bext\.?|\bx|#|;|,).*$", re.IGNORECASE)


def fold(text: str) -> str:
	"""Lower case, full-width forms to ASCII, accents removed (CJK characters are kept)."""
	text = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
	decomposed = unicodedata.normalize("NFKD", text)
	return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens(text: str) -> list[str]:
	"""Runs of letters and digits; each CJK run is one token."""
	out, current = [], []
	for char in text:
		if unicodedata.category(char)[0] in "LN":
			current.append(char)
		elif current:
			out.append("".join(current))
			current = []
	if current:
		out.append("".join(current))
	return out


def _strip_latin_forms(tokens: list[str]) -> list[str]:
	changed = True
	while changed and tuple(tokens) not in LATIN_LEGAL_FORMS:
		changed = False
		for form in LATIN_LEGAL_FORMS:
			if len(form) < len(tokens) and tuple(tokens[-len(form) :]) == form:
				tokens = tokens[: -len(form)]
				changed = True
				break
	return tokens


def _strip_cjk_forms(compact: str) -> str:
	changed = True
	while changed and compact not in CJK_LEGAL_FORMS:
		changed = False
		for form in CJK_LEGAL_FORMS:
			if compact.endswith(form) and len(compact) > len(form):
				compact = compact[: -len(form)]
				changed = True
				break
	return compact


def name_key(name: str | None) -> str | None:
	"""The form in which names are compared (None: no key)."""
	if not name:
		return None
	tokens = _tokens(fold(name))
	if not tokens:
		return None
	tokens = _strip_latin_forms(tokens)
	key = _strip_cjk_forms("".join(tokens))
	return key or None


def email_key(email: str | None) -> str | None:
	"""Trimmed, lower case; None when empty or without an @."""
	if not email:
		return None
	value = email.strip().lower()
	return value if "@" in value else None


def country_code_digits(code: str | None) -> str:
	"""A country calling code as digits ("+48", "0048", "48" -> "48"; None -> "")."""
	digits = re.sub(r"\D", "", code or "")
	return digits.lstrip("0")


def phone_key(phone: str | None, default_country_code: str | None = None) -> str | None:
	"""Digits only, with the country code; None when there are too few digits.

	International numbers start with + or 00; any other number is national: its trunk prefix 0 is
	dropped and the default country code put in front. Without a default country code a national
	number is kept as its digits (without the trunk 0)."""
	if not phone:
		return None
	text = unicodedata.normalize("NFKC", phone).strip()
	text = _EXTENSION.sub("", text).strip()
	international = text.startswith("+")
	digits = re.sub(r"\D", "", text)
	if not international and digits.startswith("00"):
		international, digits = True, digits[2:]
	if not international:
		digits = digits.lstrip("0")
		if digits:
			digits = country_code_digits(default_country_code) + digits
	if len(digits) < MIN_PHONE_DIGITS:
		return None
	return digits


def keys_of(
	names: Iterable[str | None] = (),
	emails: Iterable[str | None] = (),
	phones: Iterable[str | None] = (),
	default_country_code: str | None = None,
) -> dict[str, list[str]]:
	"""{"name": [...], "email": [...], "phone": [...]}: the distinct keys of the given values."""

	def distinct(values) -> list[str]:
		return list(dict.fromkeys(v for v in values if v))

	return {
		"name": distinct(name_key(n) for n in names),
		"email": distinct(email_key(e) for e in emails),
		"phone": distinct(phone_key(p, default_country_code) for p in phones),
	}
