"""The boundary of Korus CRM: what a caller may hand to it, checked once, where it comes in.

- Whitelisted methods are declared with `korus_crm.boundary.whitelist` (instead of
  `frappe.whitelist`): each argument is checked against the method's type hints before the method
  runs: a name is a string (never a JSON object, which `frappe.get_doc` would take as filters), a
  number is a finite number in range, a `Literal` is one of its values, a dict or list may come as
  JSON text, a required argument is there. A wrong value answers HTTP 417 (InvalidInputError) with
  a translated message naming the argument; nothing has been read or written yet.
- Korus's doctypes take their input through `CheckedDocument.update` (every path: REST, the desk's
  save, imports, `frappe.get_doc(dict)`): each field's value must suit its field type (a child
  table is a list of rows, a link is a name, a number is finite and fits its column, a date
  parses); the rows of child tables are checked the same way.
- Korus's own fields on ERPNext's doctypes are checked in those doctypes' before_validate hooks
  (`check_fields`), and, for REST bodies, before the request reaches Frappe's link validation
  (`before_request`), which would otherwise take a JSON object in a link field as filters.

Frappe v15 also validates whitelisted arguments against type hints, but skips string annotations
(every annotation of a module with `from __future__ import annotations`) and answers in English:
the hints are checked here instead (the wrapper shows Frappe none).
"""

from __future__ import annotations

import datetime
import decimal
import functools
import importlib
import inspect
import json
import math
import re
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.model import table_fields
from frappe.model.document import BaseDocument, Document
from frappe.utils import escape_html

from korus_crm.exceptions import InvalidInputError

# Values a database column can hold: Frappe's Int is int(11); Float, Currency and Percent are
# decimal(21,9), so below 10^12.
INT_LIMIT = 2**31 - 1
DECIMAL_LIMIT = 10**12


@dataclass(frozen=True)
class Between:
	"""`Annotated[int, Between(1, 100)]`: a number from `low` to `high`, both included."""

	low: float
	high: float


_EMPTY = inspect.Parameter.empty


# --- whitelisted methods ---


def whitelist(methods: list[str] | None = None, allow_guest: bool = False):
	"""`frappe.whitelist`, with every argument checked against the method's type hints first."""

	def decorate(fn):
		signature = inspect.signature(fn)

		@functools.wraps(fn)
		def checked(*args, **kwargs):
			return fn(**check_arguments(fn, signature, args, kwargs))

		# the hints are checked above, with translated messages; Frappe's own check would run first
		checked.__annotations__ = {}
		return frappe.whitelist(allow_guest=allow_guest, methods=methods)(checked)

	return decorate


@functools.cache
def _hints(fn) -> dict[str, Any]:
	return typing.get_type_hints(fn, include_extras=True)


def check_arguments(fn, signature: inspect.Signature, args: tuple, kwargs: dict) -> dict:
	try:
		bound = signature.bind_partial(*args, **kwargs)
	except TypeError as e:
		frappe.throw(_("Invalid arguments: {0}").format(str(e)), InvalidInputError)
	hints = _hints(fn)
	values = {}
	for name, param in signature.parameters.items():
		if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
			continue
		raw = bound.arguments.get(name, _EMPTY)
		values[name] = check_value(name, hints.get(name, Any), raw, param.default)
	return values


def check_value(name: str, hint: Any, raw: Any, default: Any = _EMPTY) -> Any:
	"""`raw` as the value `hint` describes, or InvalidInputError. Missing or empty: the default."""
	base, limits = _unwrap(hint)
	options = _union_members(base)
	optional = type(None) in options
	if raw is _EMPTY or raw is None or (isinstance(raw, str) and not raw.strip()):
		if default is not _EMPTY:
			return default
		if optional:
			return None
		frappe.throw(_("{0} is required.").format(frappe.bold(name)), InvalidInputError)
	members = [m for m in options if m is not type(None)]
	errors = []
	for member in members:
		member_base, member_limits = _unwrap(member)
		try:
			return _convert(name, member_base, raw, member_limits or limits)
		except _Refused as refused:
			errors.append(refused.message)
	frappe.throw(
		errors[0]
		if len(errors) == 1
		else _("{0} has a value of the wrong kind ({1}).").format(frappe.bold(name), describe(raw)),
		InvalidInputError,
	)


class _Refused(Exception):
	def __init__(self, message: str) -> None:
		self.message = message


def _unwrap(hint: Any) -> tuple[Any, Between | None]:
	if get_origin(hint) is Annotated:
		base, *extras = get_args(hint)
		return base, next((e for e in extras if isinstance(e, Between)), None)
	return hint, None


def _union_members(hint: Any) -> list:
	if get_origin(hint) in (Union, types.UnionType):
		return list(get_args(hint))
	return [hint]


def _convert(name: str, base: Any, raw: Any, limits: Between | None) -> Any:
	origin = get_origin(base)
	if base is Any:
		return raw
	if origin is Literal:
		choices = get_args(base)
		if isinstance(raw, str | int) and raw in choices:
			return raw
		raise _Refused(
			_("{0} must be one of {1}, not {2}.").format(
				frappe.bold(name), ", ".join(str(c) for c in choices), describe(raw)
			)
		)
	if base is str:
		if isinstance(raw, str):
			return raw
		if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw):
			return str(raw)
		raise _Refused(_("{0} must be a name or text, not {1}.").format(frappe.bold(name), describe(raw)))
	if base is bool:
		return _to_bool(name, raw)
	if base is int:
		return _in_range(name, _to_int(name, raw), limits or Between(-INT_LIMIT, INT_LIMIT))
	if base is float:
		return _in_range(name, _to_float(name, raw), limits or Between(-DECIMAL_LIMIT, DECIMAL_LIMIT))
	if base is datetime.date:
		return _to_date(name, raw)
	if base is dict or origin is dict:
		value = _from_json(name, raw, dict)
		return value
	if base is list or origin is list:
		value = _from_json(name, raw, list)
		item = get_args(base)[0] if get_args(base) else Any
		return [_convert(f"{name}[{i}]", _unwrap(item)[0], v, None) for i, v in enumerate(value)]
	return raw


def _to_bool(name: str, raw: Any) -> bool:
	if isinstance(raw, bool):
		return raw
	if isinstance(raw, int | float) and raw in (0, 1):
		return bool(raw)
	if isinstance(raw, str) and raw.strip().lower() in ("0", "1", "true", "false", "yes", "no"):
		return raw.strip().lower() in ("1", "true", "yes")
	raise _Refused(_("{0} must be 0 or 1, not {1}.").format(frappe.bold(name), describe(raw)))


def _to_int(name: str, raw: Any) -> int:
	if isinstance(raw, bool) or not isinstance(raw, int | float | str | decimal.Decimal):
		raise _Refused(_("{0} must be a whole number, not {1}.").format(frappe.bold(name), describe(raw)))
	try:
		value = float(raw)
	except ValueError:
		raise _Refused(_("{0} must be a whole number, not {1}.").format(frappe.bold(name), describe(raw)))
	if not math.isfinite(value) or value != int(value):
		raise _Refused(_("{0} must be a whole number, not {1}.").format(frappe.bold(name), describe(raw)))
	return int(value)


def _to_float(name: str, raw: Any) -> float:
	if isinstance(raw, bool) or not isinstance(raw, int | float | str | decimal.Decimal):
		raise _Refused(_("{0} must be a number, not {1}.").format(frappe.bold(name), describe(raw)))
	try:
		value = float(raw)
	except ValueError:
		raise _Refused(_("{0} must be a number, not {1}.").format(frappe.bold(name), describe(raw)))
	if not math.isfinite(value):
		raise _Refused(_("{0} must be a finite number, not {1}.").format(frappe.bold(name), describe(raw)))
	return value


def _in_range(name: str, value: float, limits: Between) -> float:
	if not limits.low <= value <= limits.high:
		raise _Refused(
			_("{0} must be between {1} and {2}, not {3}.").format(
				frappe.bold(name), _number(limits.low), _number(limits.high), _number(value)
			)
		)
	return value


def _number(value: float) -> str:
	return str(int(value)) if float(value).is_integer() else str(value)


def _to_date(name: str, raw: Any) -> datetime.date:
	if isinstance(raw, datetime.datetime):
		return raw.date()
	if isinstance(raw, datetime.date):
		return raw
	if isinstance(raw, str):
		try:
			return datetime.date.fromisoformat(raw.strip()[:10])
		except ValueError:
			pass
	raise _Refused(_("{0} must be a date (YYYY-MM-DD), not {1}.").format(frappe.bold(name), describe(raw)))


def _from_json(name: str, raw: Any, kind: type) -> Any:
	value = raw
	if isinstance(raw, str):
		try:
			value = json.loads(raw)
		except ValueError:
			raise _Refused(_("{0} is not valid JSON.").format(frappe.bold(name)))
	if not isinstance(value, kind):
		what = _("a JSON object") if kind is dict else _("a list")
		raise _Refused(_("{0} must be {1}, not {2}.").format(frappe.bold(name), what, describe(raw)))
	return value


def describe(raw: Any) -> str:
	"""A short, safe description of a wrong value for a message."""
	if isinstance(raw, dict):
		return _("a JSON object")
	if isinstance(raw, list | tuple):
		return _("a list")
	if isinstance(raw, bool):
		return _("true/false")
	text = str(raw)
	return frappe.bold(frappe.utils.escape_html(text[:40] + ("…" if len(text) > 40 else "")))


def report_filters(filters: Any, **hints: Any) -> frappe._dict:
	"""A script report's filters (a JSON object: Frappe's query_report.run passes them as sent),
	each checked against its hint; unknown filters are dropped."""
	if isinstance(filters, str):
		try:
			filters = _from_json("filters", filters, dict) if filters.strip() else {}
		except _Refused as refused:
			frappe.throw(refused.message, InvalidInputError)
	if filters is None:
		filters = {}
	if not isinstance(filters, dict):
		frappe.throw(_("{0} must be a JSON object.").format(frappe.bold("filters")), InvalidInputError)
	return frappe._dict(
		{name: check_value(name, hint, filters.get(name, _EMPTY), None) for name, hint in hints.items()}
	)


STANDARD_FIELDS = {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "parent"}


def check_filters(doctype: str, filters: dict | list | None) -> dict | list | None:
	"""Filters a caller gives for a list or a count of `doctype`: {field: value or [operator, value]}
	or [[field, operator, value], …] (optionally with the doctype first), on the doctype's own fields."""
	if not filters:
		return filters
	meta = frappe.get_meta(doctype)
	rows = (
		[
			[field, *(value if isinstance(value, list | tuple) else ["=", value])]
			for field, value in filters.items()
		]
		if isinstance(filters, dict)
		else filters
	)
	for row in rows:
		if not isinstance(row, list | tuple) or not 2 <= len(row) <= 4:
			frappe.throw(_("Each filter must be [field, operator, value]."), InvalidInputError)
		parts = list(row)
		if len(parts) == 4:
			if parts[0] != doctype:
				frappe.throw(
					_("A filter is on {0}, not {1}.").format(describe(parts[0]), doctype), InvalidInputError
				)
			parts = parts[1:]
		field, value = parts[0], parts[-1]
		if not isinstance(field, str) or not (field in STANDARD_FIELDS or meta.has_field(field)):
			frappe.throw(
				_("{0} is not a field of {1}.").format(describe(field), _(doctype)), InvalidInputError
			)
		values = value if isinstance(value, list | tuple) else [value]
		if any(isinstance(v, dict | list | tuple) for v in values):
			frappe.throw(
				_("The value of filter {0} is not a plain value.").format(frappe.bold(field)),
				InvalidInputError,
			)
	return filters


# --- documents ---

TEXT_TYPES = {
	"Data", "Link", "Dynamic Link", "Select", "Small Text", "Text", "Long Text", "Text Editor", "HTML Editor",
	"Markdown Editor", "Code", "Password", "Read Only", "Color", "Phone", "Autocomplete", "Attach",
	"Attach Image", "Signature", "Barcode", "Icon", "HTML", "Heading",
}  # fmt: skip
WHOLE_TYPES = {"Int", "Check", "Duration"}
DECIMAL_TYPES = {"Float", "Currency", "Percent", "Rating"}
DATE_TYPES = {"Date", "Datetime", "Time"}
STANDARD_TEXT = {"name", "owner", "modified_by", "parent", "parentfield", "parenttype", "doctype"}


def check_document_input(doctype: str, data: dict, fields: set[str] | None = None) -> None:
	"""Each value of `data` (a record of `doctype` as it comes in) suits its field; `fields`: only
	these fields (Korus's own on an ERPNext doctype)."""
	problems = document_problems(doctype, data, fields)
	if problems:
		frappe.throw("<br>".join(problems[:10]), InvalidInputError, title=_("Invalid values"))


def document_problems(doctype: str, data: Any, fields: set[str] | None = None, prefix: str = "") -> list[str]:
	if not isinstance(data, dict):
		return [
			_("{0} must be a JSON object, not {1}.").format(frappe.bold(prefix or doctype), describe(data))
		]
	meta = frappe.get_meta(doctype)
	problems: list[str] = []
	for key, value in data.items():
		if not isinstance(key, str) or key.startswith("__") or (fields is not None and key not in fields):
			continue
		label = f"{prefix}{key}"
		if key in STANDARD_TEXT:
			if value is not None and not isinstance(value, str | int):
				problems.append(_("{0} must be a name, not {1}.").format(frappe.bold(label), describe(value)))
			continue
		if key == "docstatus":
			if value is not None and str(value).strip() not in ("0", "1", "2"):
				problems.append(_("{0} must be 0, 1 or 2.").format(frappe.bold(label)))
			continue
		df = meta.get_field(key)
		if df is None:
			continue
		problems.extend(field_problems(df, value, label))
	return problems


def field_problems(df, value: Any, label: str) -> list[str]:
	if value is None or isinstance(value, BaseDocument):
		return []
	fieldtype = df.fieldtype
	name = frappe.bold(label)
	if fieldtype in table_fields:
		if not isinstance(value, list):
			return [_("{0} must be a list of rows, not {1}.").format(name, describe(value))]
		problems = []
		for i, row in enumerate(value):
			if isinstance(row, BaseDocument):
				continue
			problems.extend(document_problems(df.options, row, prefix=f"{label}[{i}]."))
		return problems
	if fieldtype in TEXT_TYPES:
		if isinstance(value, dict | list | tuple | set):
			return [_("{0} must be text or a name, not {1}.").format(name, describe(value))]
		if isinstance(value, float) and not math.isfinite(value):
			return [_("{0} must be text or a name, not {1}.").format(name, describe(value))]
		return []
	try:
		if fieldtype in WHOLE_TYPES:
			number = _in_range(label, _to_int(label, value), Between(-INT_LIMIT, INT_LIMIT))
			if fieldtype == "Check" and number not in (0, 1):
				return [_("{0} must be 0 or 1, not {1}.").format(name, describe(value))]
		elif fieldtype in DECIMAL_TYPES:
			_in_range(label, _to_float(label, value), Between(-DECIMAL_LIMIT + 1, DECIMAL_LIMIT - 1))
		elif fieldtype in DATE_TYPES:
			_check_date(label, fieldtype, value)
	except _Refused as refused:
		return [refused.message]
	return []


_TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _check_date(label: str, fieldtype: str, value: Any) -> None:
	if isinstance(value, datetime.date | datetime.datetime | datetime.time | datetime.timedelta):
		return
	if isinstance(value, str):
		text = value.strip()
		if not text:
			return
		try:
			if fieldtype == "Time":
				if _TIME.match(text):
					return
			elif fieldtype == "Date":
				datetime.date.fromisoformat(text[:10])
				return
			else:
				datetime.datetime.fromisoformat(text)
				return
		except ValueError:
			pass
	raise _Refused(
		_("{0} must be a {1}, not {2}.").format(frappe.bold(label), _(fieldtype).lower(), describe(value))
	)


class CheckedDocument(Document):
	"""A Korus doctype's controller base: what comes in through `update` (a new record, a REST PUT,
	the desk's save) is checked field by field first."""

	def update(self, d: dict):
		if isinstance(d, dict) and not isinstance(d, BaseDocument):
			check_document_input(self.doctype, d)
		return super().update(d)

	def _validate_links(self):
		super()._validate_links()
		if not (self.flags.ignore_links or self._action == "cancel"):
			check_fetched_links(self)


def check_fetched_links(doc) -> None:
	"""Links that other fields fetch from must exist: Frappe v15's link validation skips them when
	the linked record is missing (its lookup of the fetched values comes back empty and is taken as
	nothing to check), so an unknown customer or technician would be saved."""
	for row in [doc, *doc.get_all_children()]:
		for df in row.meta.get_link_fields():
			value = row.get(df.fieldname)
			if (
				value
				and row.meta.get_fields_to_fetch(df.fieldname)
				and not frappe.db.exists(df.options, value)
			):
				frappe.throw(
					_("Could not find {0}: {1}").format(_(df.label), escape_html(str(value))),
					frappe.LinkValidationError,
				)


# --- Korus's fields on ERPNext's doctypes ---


@functools.cache
def korus_fields() -> dict[str, frozenset[str]]:
	from korus_crm.setup.custom_fields import get_custom_fields

	return {
		doctype: frozenset(
			df["fieldname"] for df in fields if df["fieldtype"] not in ("Section Break", "HTML")
		)
		for doctype, fields in get_custom_fields().items()
	}


def check_fields(doc, method=None) -> None:
	"""before_validate of the ERPNext doctypes Korus extends: Korus's fields hold valid values."""
	fields = korus_fields().get(doc.doctype)
	if fields:
		check_document_input(doc.doctype, {f: doc.get(f) for f in fields}, set(fields))


# --- REST bodies ---

_RESOURCE = re.compile(
	r"^/api/(?:v1/)?resource/([^/]+)(?:/[^/]+)?/?$|^/api/v2/document/([^/]+)(?:/[^/]+)?/?$"
)


_REPORT_RUN = re.compile(r"^/api/(?:v1/)?method/frappe\.desk\.query_report\.(run|export_query|get_script)$")


def before_request() -> None:
	"""A REST write of a Korus doctype, or of an ERPNext doctype Korus extends, carries a JSON object
	whose values suit their fields; a run of a Korus report carries its filters as a JSON object.
	Checked before Frappe reads them."""
	request = getattr(frappe.local, "request", None)
	if request is None:
		return
	if _REPORT_RUN.match(request.path):
		check_report_request()
		return
	if request.method not in ("POST", "PUT", "PATCH"):
		return
	match = _RESOURCE.match(request.path)
	if not match:
		return
	doctype = unquote(match.group(1) or match.group(2))
	if is_korus_doctype(doctype):
		fields = None
	elif doctype in korus_fields():
		fields = set(korus_fields()[doctype])
	else:
		return
	body = frappe.form_dict.get("data") if "data" in frappe.form_dict else dict(frappe.form_dict)
	if isinstance(body, str):
		try:
			body = json.loads(body)
		except ValueError:
			frappe.throw(_("The request body is not valid JSON."), InvalidInputError)
	check_document_input(doctype, body, fields)


def check_report_request() -> None:
	report = frappe.form_dict.get("report_name")
	if (
		not isinstance(report, str)
		or frappe.db.get_value("Report", report, "module", cache=True) != "Korus CRM"
	):
		return
	# checked here, before Frappe runs the report (a report that fails writes an Error Log)
	module = importlib.import_module(
		f"korus_crm.korus_crm.report.{frappe.scrub(report)}.{frappe.scrub(report)}"
	)
	report_filters(frappe.form_dict.get("filters"), **getattr(module, "FILTERS", {}))


def is_korus_doctype(doctype: str) -> bool:
	return frappe.db.get_value("DocType", doctype, "module", cache=True) == "Korus CRM"
