"""Every user-facing string of Korus CRM has a Chinese (zh) and a Polish (pl) translation.

The strings are read from the app's source the way Frappe's own extraction (frappe.translate) finds
them, without Frappe:

- Python: calls `_("...")` / `_lt("...")` / `frappe._("...")` whose first argument is a string
  literal (read with `ast`, so implicit concatenation and multi-line literals are one message);
  `context=` (or the third positional argument) is kept. Frappe's `_` looks a message up with its
  HTML tags stripped and its whitespace trimmed: so is the key here.
- JavaScript (.js, .html, .vue): `__("...")` with a string or template literal (literals joined
  with `+` are one message), and its context (third argument).
- Jinja in print formats: `_("...")` in the print format's HTML.
- Korus's own DocTypes: name, description, field labels, field descriptions, Select options (not
  those of naming series) and the content of HTML fields.
- Reports (name, columns and filters written in the JSON), pages (title), the workspace (label,
  title, cards, links, shortcuts, number cards) and number cards (label).
- The workflow fixtures: states, their messages, actions.
- The custom fields Korus adds to ERPNext's doctypes (dict literals with a "label" in
  korus_crm/setup/): label, description, Select options; Korus's roles (name, description).
- Data Korus seeds that the desk shows translated: lead statuses, the default pipeline and its
  stages, the lost reasons; and the kinds of change of an offer's revision.

Each string must have a row in both CSV files (source, translation[, context]) with a non-empty
translation that keeps the source's `{0}`, `{1}`… placeholders.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "korus_crm"
MODULE = APP / "korus_crm"
TRANSLATIONS = APP / "translations"
LANGUAGES = ("zh", "pl")

# Modules whose dict literals define Korus's custom fields on ERPNext's doctypes.
CUSTOM_FIELD_MODULES = (
	"setup/custom_fields.py",
	"setup/campaigns.py",
	"setup/organisation.py",
	"setup/customers.py",
	"setup/follow_ups.py",
	"setup/recycle_bin.py",
	"setup/calendar.py",
	"setup/analytics.py",
	"setup/analytics_targets.py",
	"setup/rotting.py",
	"setup/analytics_reports.py",
	"setup/field_service.py",
	"setup/vehicles.py",
	"setup/finance.py",
	"setup/invoices.py",
)
ROLE_MODULES = ("setup/roles.py",)
# Seeded records whose names the desk shows through __(): module -> module-level names.
SEED_DATA = {
	"setup/install.py": ("LOST_REASONS",),
	"rules/lead_status.py": ("DEFAULT_STATUSES",),
	"rules/pipelines.py": ("DEFAULT_PIPELINE",),
	"rules/invoices.py": ("PRINT_HEADINGS",),
}
# Calls whose first argument reaches the desk through __(): module -> called names. A revision's
# changes (korus_crm.rules.offers.Change) are listed with __(change.what).
RUNTIME_MESSAGES = {"rules/offers.py": ("Change",)}

HTML_TAGS = re.compile(r"<[^>]*>")  # frappe.utils.strip_html_tags
HTML_TAG = re.compile(r"<[^>]+>")  # frappe.utils.is_html
PLACEHOLDER = re.compile(r"\{\d+\}")
# frappe.gettext.extractors.utils.is_translatable
LETTER = re.compile(r"[a-zA-Z]")

SKIP_DIRS = {"__pycache__", "node_modules", "dist", ".git", "translations"}


def is_translatable(text: str) -> bool:
	return bool(
		LETTER.search(text)
		and not text.startswith("fa fa-")
		and not text.endswith("px")
		and not text.startswith("eval:")
	)


def python_key(text: str) -> str:
	"""What frappe._ looks up: the message without its HTML tags, trimmed."""
	if HTML_TAG.search(text):
		text = HTML_TAGS.sub("", text)
	return text.strip()


class Catalogue:
	"""The messages found: (message, context) -> where each was found."""

	def __init__(self) -> None:
		self.messages: dict[tuple[str, str | None], list[str]] = defaultdict(list)
		self.problems: list[str] = []  # calls whose message cannot be translated as written

	def add(self, text, where: str, context: str | None = None) -> None:
		if isinstance(text, str) and text and is_translatable(text):
			self.messages[(text, context or None)].append(where)


def source_files(*suffixes: str):
	for path in sorted(APP.rglob("*")):
		if path.is_file() and path.suffix in suffixes and not SKIP_DIRS.intersection(path.parts):
			yield path


def rel(path: Path) -> str:
	return str(path.relative_to(ROOT))


# --- Python ---------------------------------------------------------------------------------------


def is_translate_call(node: ast.Call) -> bool:
	func = node.func
	if isinstance(func, ast.Name):
		return func.id in ("_", "_lt")
	return (
		isinstance(func, ast.Attribute)
		and func.attr in ("_", "_lt")
		and isinstance(func.value, ast.Name)
		and func.value.id == "frappe"
	)


def str_constant(node) -> str | None:
	return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract_python(cat: Catalogue) -> None:
	for path in source_files(".py"):
		tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
		for node in ast.walk(tree):
			if not (isinstance(node, ast.Call) and is_translate_call(node) and node.args):
				continue
			where = f"{rel(path)}:{node.lineno}"
			first = node.args[0]
			context = str_constant(node.args[2]) if len(node.args) > 2 else None
			for kw in node.keywords:
				if kw.arg == "context":
					context = str_constant(kw.value)
			text = str_constant(first)
			if text is not None:
				cat.add(python_key(text), where, context)
			elif isinstance(first, ast.JoinedStr):
				cat.problems.append(f"{where}: f-string inside _(): {ast.unparse(first)}")
			elif isinstance(first, ast.BinOp):
				cat.problems.append(f"{where}: expression inside _(): {ast.unparse(first)}")


# --- JavaScript and Jinja -------------------------------------------------------------------------

JS_CALL = re.compile(r"(?<![\w$.])__\(\s*")
JS_STRING = re.compile(
	r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`""",
	re.S,
)
JS_PLUS = re.compile(r"\s*\+\s*")
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
# the rest of the call after the message: (, replacements (, "context")?)? )
JS_CONTEXT = re.compile(
	r"""\s*,\s*(?:null|undefined|\[[^\[\]]*\]|\{[^{}]*\}|[\w$.]+)\s*,\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\)"""
)
JINJA_CALL = re.compile(
	r"""(?<![\w.])_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
	r"""(?:\s*,\s*context\s*=\s*(?:"([^"]*)"|'([^']*)'))?"""
)


def unescape_js(text: str) -> str:
	def replace(m: re.Match) -> str:
		char = m.group(1)
		if char.startswith("u"):
			return chr(int(char[1:], 16))
		return JS_ESCAPES.get(char, char)

	return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", replace, text, flags=re.S)


def line_of(code: str, pos: int) -> int:
	return code.count("\n", 0, pos) + 1


def extract_js_code(cat: Catalogue, code: str, path: Path) -> None:
	for call in JS_CALL.finditer(code):
		pos = call.end()
		where = f"{rel(path)}:{line_of(code, call.start())}"
		parts = []
		while m := JS_STRING.match(code, pos):
			literal = m.group(0)
			if literal.startswith("`") and "${" in literal:
				cat.problems.append(f"{where}: template literal with ${{…}} inside __(): {literal[:80]}")
				parts = []
				break
			parts.append(unescape_js(next(g for g in m.groups() if g is not None)))
			pos = m.end()
			plus = JS_PLUS.match(code, pos)
			if not plus:
				break
			if not JS_STRING.match(code, plus.end()):
				cat.problems.append(
					f"{where}: __() of a string joined with an expression: {code[call.start() : plus.end() + 30]!r}"
				)
				parts = []
				break
			pos = plus.end()
		if not parts:
			continue
		context_match = JS_CONTEXT.match(code, pos)
		context = (context_match.group(1) or context_match.group(2)) if context_match else None
		cat.add("".join(parts), where, context)


def extract_javascript(cat: Catalogue) -> None:
	for path in source_files(".js", ".html", ".vue"):
		extract_js_code(cat, path.read_text(encoding="utf-8"), path)


def extract_jinja(cat: Catalogue, template: str, where: str) -> None:
	for m in JINJA_CALL.finditer(template):
		text = m.group(1) if m.group(1) is not None else m.group(2)
		context = m.group(3) or m.group(4)
		cat.add(python_key(text), f"{where}:{line_of(template, m.start())}", context)


# --- Korus's DocTypes, reports, pages, workspace, print formats, fixtures --------------------------


def load_json(path: Path):
	return json.loads(path.read_text(encoding="utf-8"))


def extract_doctypes(cat: Catalogue) -> None:
	for path in sorted(MODULE.glob("doctype/*/*.json")):
		doc = load_json(path)
		if doc.get("doctype") != "DocType":
			continue
		where = rel(path)
		cat.add(doc.get("name"), where)
		cat.add(doc.get("module"), where)
		cat.add(doc.get("description"), where)
		for df in doc.get("fields", []):
			cat.add(df.get("label"), f"{where} ({df.get('fieldname')}.label)")
			cat.add(df.get("description"), f"{where} ({df.get('fieldname')}.description)")
			options = df.get("options") or ""
			if df.get("fieldname") == "naming_series":
				continue  # series codes (KOR-OFR-.YYYY.-) are not words
			if df.get("fieldtype") == "Select" and options and "icon" not in options.split("\n")[0]:
				for option in options.split("\n"):
					cat.add(option, f"{where} ({df.get('fieldname')}.options)")
			if df.get("fieldtype") == "HTML" and options:
				cat.add(options, f"{where} ({df.get('fieldname')}.options)")


def extract_reports_pages_workspaces(cat: Catalogue) -> None:
	for path in sorted(MODULE.glob("report/*/*.json")):
		doc = load_json(path)
		where = rel(path)
		cat.add(doc.get("name"), where)
		cat.add(doc.get("report_name"), where)
		for column in doc.get("columns") or []:
			cat.add(column.get("label"), where)
		for report_filter in doc.get("filters") or []:
			cat.add(report_filter.get("label"), where)
	for path in sorted(MODULE.glob("page/*/*.json")):
		doc = load_json(path)
		cat.add(doc.get("title") or doc.get("name"), rel(path))
	for path in sorted(MODULE.glob("number_card/*/*.json")):
		cat.add(load_json(path).get("label"), rel(path))
	for path in sorted(MODULE.glob("workspace/*/*.json")):
		doc = load_json(path)
		where = rel(path)
		cat.add(doc.get("label"), where)
		cat.add(doc.get("title"), where)
		for table in ("links", "shortcuts", "number_cards", "charts", "quick_lists", "custom_blocks"):
			for row in doc.get(table) or []:
				cat.add(row.get("label"), f"{where} ({table})")
	for path in sorted(MODULE.glob("print_format/*/*.json")):
		doc = load_json(path)
		extract_jinja(cat, doc.get("html") or "", rel(path))


def extract_workflows(cat: Catalogue) -> None:
	fixtures = APP / "fixtures"
	for path in sorted(fixtures.glob("*.json")):
		where = rel(path)
		for doc in load_json(path):
			doctype = doc.get("doctype")
			if doctype == "Workflow":
				for state in doc.get("states", []):
					cat.add(state.get("state"), where)
					cat.add(state.get("message"), where)
				for transition in doc.get("transitions", []):
					cat.add(transition.get("action"), where)
			elif doctype == "Workflow State":
				cat.add(doc.get("workflow_state_name") or doc.get("name"), where)
			elif doctype == "Workflow Action Master":
				cat.add(doc.get("workflow_action_name") or doc.get("name"), where)


# --- Custom fields, roles and seed data defined in code ---------------------------------------------


def module_constants(tree: ast.Module) -> dict[str, str]:
	constants = {}
	for node in tree.body:
		if isinstance(node, ast.Assign | ast.AnnAssign) and (value := str_constant(node.value)):
			targets = node.targets if isinstance(node, ast.Assign) else [node.target]
			for target in targets:
				if isinstance(target, ast.Name):
					constants[target.id] = value
	return constants


def dict_literals(module: str):
	"""(dict of the literal's string-valued keys, line) for every dict literal in `module`."""
	path = APP / module
	tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
	constants = module_constants(tree)
	for node in ast.walk(tree):
		if not isinstance(node, ast.Dict):
			continue
		values = {}
		for key, value in zip(node.keys, node.values, strict=True):
			key = str_constant(key)
			if key is None:
				continue
			text = str_constant(value)
			if text is None and isinstance(value, ast.Name):
				text = constants.get(value.id)
			if text is not None:
				values[key] = text
		yield values, f"{rel(path)}:{node.lineno}"


def extract_custom_fields(cat: Catalogue) -> None:
	for module in CUSTOM_FIELD_MODULES:
		for df, where in dict_literals(module):
			if "label" not in df:
				continue
			cat.add(df["label"], where)
			cat.add(df.get("description"), where)
			if df.get("fieldtype") == "Select":
				for option in df.get("options", "").split("\n"):
					cat.add(option, where)
	for module in ROLE_MODULES:
		for role, where in dict_literals(module):
			if "role_name" in role:
				cat.add(role["role_name"], where)
				cat.add(role.get("description"), where)


def seed_names(node) -> list[str]:
	"""The names in a seed literal: strings of tuples/lists, and each call's first argument."""
	if (text := str_constant(node)) is not None:
		return [text]
	if isinstance(node, ast.Tuple | ast.List | ast.Set):
		return [name for element in node.elts for name in seed_names(element)]
	if isinstance(node, ast.Call) and node.args:
		return seed_names(node.args[0])
	return []


def extract_seed_data(cat: Catalogue) -> None:
	for module, names in SEED_DATA.items():
		path = APP / module
		tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
		found = set()
		for node in tree.body:
			if isinstance(node, ast.Assign):
				targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
			elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
				targets = [node.target.id]
			else:
				continue
			for target in set(targets).intersection(names):
				found.add(target)
				for name in seed_names(node.value):
					cat.add(name, f"{rel(path)}:{node.lineno} ({target})")
		assert found == set(names), f"{module}: seed data {sorted(set(names) - found)} not found"
	for module, functions in RUNTIME_MESSAGES.items():
		path = APP / module
		tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
		for node in ast.walk(tree):
			if (
				isinstance(node, ast.Call)
				and isinstance(node.func, ast.Name)
				and node.func.id in functions
				and node.args
			):
				cat.add(str_constant(node.args[0]), f"{rel(path)}:{node.lineno} ({node.func.id})")


# --- Catalogue and CSV files -----------------------------------------------------------------------


def collect() -> Catalogue:
	cat = Catalogue()
	extract_python(cat)
	extract_javascript(cat)
	extract_doctypes(cat)
	extract_reports_pages_workspaces(cat)
	extract_workflows(cat)
	extract_custom_fields(cat)
	extract_seed_data(cat)
	return cat


def csv_rows(lang: str) -> list[list[str]]:
	with open(TRANSLATIONS / f"{lang}.csv", encoding="utf-8", newline="") as f:
		return list(csv.reader(f))


def read_translations(lang: str) -> dict[tuple[str, str | None], str]:
	"""(source, context) -> translation, as frappe.translate.get_translation_dict_from_file reads it."""
	return {
		(row[0], (row[2] if len(row) == 3 else "") or None): row[1].strip()
		for row in csv_rows(lang)
		if len(row) in (2, 3)
	}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
	return collect()


def test_extraction_finds_the_app_strings(catalogue):
	"""A guard against an extractor that silently finds nothing."""
	texts = {text for text, _context in catalogue.messages}
	assert len(texts) > 300
	assert {"Price Offer", "Lead Board", "Submit for Approval", "Branch", "Price too high"} <= texts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_translated(catalogue, lang):
	translations = read_translations(lang)
	missing = []
	for (text, context), where in sorted(catalogue.messages.items(), key=lambda i: (i[0][0], i[0][1] or "")):
		# frappe looks up "text:context" first and falls back to the bare text
		if not (translations.get((text, context)) or translations.get((text, None))):
			missing.append(f"  {text!r}{f' (context {context!r})' if context else ''}  <- {where[0]}")
	assert not missing, (
		f"{len(missing)} strings have no {lang} translation: add a row source,translation[,context] for each "
		f"to korus_crm/translations/{lang}.csv:\n" + "\n".join(missing)
	)


def test_translated_messages_are_literals(catalogue):
	"""_(f"...") or __("..." + x) cannot be looked up: pass the values as {0}, {1}… with .format()."""
	assert not catalogue.problems, "Messages that cannot be translated:\n" + "\n".join(catalogue.problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_placeholders_and_tags(lang):
	wrong = []
	seen: dict[tuple[str, str], str] = {}
	for number, row in enumerate(csv_rows(lang), start=1):
		if len(row) not in (2, 3):
			wrong.append(
				f"  row {number}: {len(row)} columns instead of source,translation[,context]: {row!r}"
			)
			continue
		text, translation = row[0], row[1].strip()
		key = (text, row[2] if len(row) == 3 else "")
		if not translation:
			wrong.append(f"  row {number}: {text!r} has an empty translation")
		elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(translation)):
			wrong.append(f"  row {number}: {text!r} -> {translation!r}: placeholders differ")
		elif sorted(HTML_TAGS.findall(text)) != sorted(HTML_TAGS.findall(translation)):
			wrong.append(f"  row {number}: {text!r} -> {translation!r}: HTML tags differ")
		if key in seen and seen[key] != translation:
			wrong.append(f"  row {number}: {text!r} is translated twice ({seen[key]!r}, {translation!r})")
		seen[key] = translation
	assert not wrong, f"korus_crm/translations/{lang}.csv:\n" + "\n".join(wrong)
