"""Rules of duplicate detection: the name, email and phone keys two records are compared by."""

import pytest

from korus_crm.rules import duplicates as rules


@pytest.mark.parametrize(
	("raw", "key"),
	[
		("Acme", "acme"),
		("ACME", "acme"),
		("  Acme  ", "acme"),
		("Acme Ltd", "acme"),
		("Acme Ltd.", "acme"),
		("Acme Limited", "acme"),
		("Acme, LLC", "acme"),
		("Acme L.L.C.", "acme"),
		("Acme Inc.", "acme"),
		("Acme Corp", "acme"),
		("Acme GmbH", "acme"),
		("Acme GmbH & Co. KG", "acme"),
		("Acme AG", "acme"),
		("Acme S.A.", "acme"),
		("Acme SA", "acme"),
		("Acme Sp. z o.o.", "acme"),
		("ACME SP. Z O.O.", "acme"),
		("Acme Spółka z ograniczoną odpowiedzialnością", "acme"),
		("Acme sp.k.", "acme"),
		("Acme S.p.A.", "acme"),
		("Acme Co., Ltd.", "acme"),
		("Acme Pvt. Ltd.", "acme"),
		("Acme plc", "acme"),
		("Acme B.V.", "acme"),
		("ＡＣＭＥ", "acme"),  # full-width
		("Acme-Works", "acmeworks"),
		("Acme Works", "acmeworks"),
		("Zakład Łódź", "zakladlodz"),
		("Société Générale S.A.", "societegenerale"),
		("华为技术有限公司", "华为技术"),
		("华为技术 有限公司", "华为技术"),
		("华为技术股份有限公司", "华为技术"),
		("华为技术有限责任公司", "华为技术"),
		("腾讯公司", "腾讯"),
		("（深圳）华为技术有限公司", "深圳华为技术"),
	],
)
def test_names_compare_without_case_spaces_punctuation_and_legal_forms(raw, key):
	assert rules.name_key(raw) == key


@pytest.mark.parametrize("raw", [None, "", "   ", "...", "-"])
def test_an_empty_name_has_no_key(raw):
	assert rules.name_key(raw) is None


def test_a_name_that_is_only_a_legal_form_keeps_it():
	assert rules.name_key("Ltd") == "ltd"
	assert rules.name_key("有限公司") == "有限公司"
	assert rules.name_key("Sp. z o.o.") is not None


def test_legal_form_words_inside_a_name_are_kept():
	assert rules.name_key("Limited Editions Studio") == "limitededitionsstudio"
	assert rules.name_key("AG Barr plc") == "agbarr"


def test_different_companies_keep_different_keys():
	assert rules.name_key("Acme Poland") != rules.name_key("Acme Germany")


@pytest.mark.parametrize(
	("raw", "key"),
	[
		("  Ada@Example.COM ", "ada@example.com"),
		("ada@example.com", "ada@example.com"),
		("", None),
		("  ", None),
		(None, None),
		("not-an-email", None),
	],
)
def test_emails_compare_trimmed_and_lower_case(raw, key):
	assert rules.email_key(raw) == key


@pytest.mark.parametrize(
	("raw", "default", "key"),
	[
		("+48 601 234 567", None, "48601234567"),
		("+48 601-234-567", "86", "48601234567"),
		("0048 601 234 567", "86", "48601234567"),
		("601 234 567", "48", "48601234567"),
		("601234567", "+48", "48601234567"),
		("601234567", "0048", "48601234567"),
		("(022) 2345 6789", "86", "862223456789"),
		("138 1234 5678", "86", "8613812345678"),
		("+86 138-1234-5678", "48", "8613812345678"),
		("+1 (555) 123-4567 x12", None, "15551234567"),
		("+1 555 123 4567 ext. 99", None, "15551234567"),
		("+1 555 123 4567, +1 555 000 0000", None, "15551234567"),
		("＋４８ ６０１ ２３４ ５６７", None, "48601234567"),  # full-width
		("601 234 567", None, "601234567"),
		("601 234 567", "", "601234567"),
	],
)
def test_phones_compare_as_digits_with_the_country_code(raw, default, key):
	assert rules.phone_key(raw, default) == key


@pytest.mark.parametrize("raw", [None, "", "  ", "n/a", "123", "+48 12"])
def test_a_phone_with_too_few_digits_has_no_key(raw):
	assert rules.phone_key(raw, "48") is None


def test_the_same_number_written_three_ways_is_one_key():
	forms = ["+48 601 234 567", "0048601234567", "601-234-567"]
	assert len({rules.phone_key(p, "48") for p in forms}) == 1


@pytest.mark.parametrize(
	("raw", "digits"), [("+48", "48"), ("0048", "48"), ("48", "48"), (None, ""), ("", "")]
)
def test_country_codes_are_digits(raw, digits):
	assert rules.country_code_digits(raw) == digits


def test_keys_of_several_values_are_distinct_and_skip_empty_ones():
	keys = rules.keys_of(
		names=["Acme Ltd", "ACME", None],
		emails=["A@x.com", "a@x.com ", ""],
		phones=["601 234 567", "+48601234567", "12"],
		default_country_code="48",
	)
	assert keys == {"name": ["acme"], "email": ["a@x.com"], "phone": ["48601234567"]}
