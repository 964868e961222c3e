"""Bad input over REST never gets an HTTP 5xx and never leaves a row behind.

The test finds what it feeds by itself, so that a new method, doctype or report is covered without
editing it:
- every whitelisted method of korus_crm (Frappe's registry, after importing every module of the
  app): each argument in turn gets values that are wrong for its type hint, the others plausible;
- every Korus doctype (module "Korus CRM"): inserted over REST with each field given values wrong for
  its field type, and with bodies that are not JSON objects; updated over REST the same way where a
  record exists;
- Korus's own fields on ERPNext's doctypes (korus_crm.setup.custom_fields), on an otherwise valid
  record;
- every Korus script report, through Frappe's query_report.run, with wrong filter values.
Each call is made as a Sales User and as a user with no CRM role. The answers must be 4xx (or 2xx),
carry an exception type and a message; the record counts of every doctype the calls could touch
must be unchanged at the end.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import pkgutil
import re
import types
import typing
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import frappe
import pytest

from tests.integration.factories import lost_reason, make_deal, make_lead, make_pipeline
from tests.integration.support import ApiClient, make_user

KORUS = "Korus CRM"
NOT_A_RECORD = "KORUS-FUZZ-NO-SUCH-RECORD"

# Values wrong for every kind of argument or field, and values wrong for one kind.
ANY_BAD = [{"name": "x"}, [{"a": 1}]]
BAD = {
	"str": [{"a": 1}, [1, 2], {}],
	"int": ["abc", 1.5, 2**40, "NaN", [1]],
	"float": ["abc", float("nan"), float("inf"), 10**13, -(10**13), [1]],
	"bool": ["maybe", 2, [1]],
	"date": ["not-a-date", "2026-13-45", 12345],
	"dict": ["not json {", "[1, 2]", 5, [1]],
	"list": ["not json [", 5, {"a": 1}],
	"literal": ["no-such-choice", 5],
}
FIELD_BAD = {
	"table": ["rows", 5, {"a": 1}, [1], [[1]], ["x"]],
	"text": [{"a": 1}, [1], [{"a": 1}]],
	"whole": ["abc", 1.5, 2**40, float("nan"), [1]],
	"check": [2, -1, "abc"],
	"decimal": ["abc", float("nan"), float("inf"), 10**12, -(10**12), [1]],
	"date": ["not-a-date", "2026-13-45", 12345, [1]],
}
NOT_OBJECTS = [[1, 2], "text", 5, {}]  # {}: an object without any of the mandatory fields


def field_bad_values(df, kind: str) -> list:
	values = list(FIELD_BAD[kind])
	if kind == "table":  # rows whose own fields are wrong
		child = frappe.get_meta(df.options)
		for child_field in child.fields:
			child_kind = kind_of_field(child_field)
			if child_kind in ("text", "decimal"):
				values.append([{child_field.fieldname: FIELD_BAD[child_kind][0]}])
	return values


def kind_of_field(df) -> str | None:
	from korus_crm.boundary import DATE_TYPES, DECIMAL_TYPES, TEXT_TYPES, WHOLE_TYPES

	if df.fieldtype in frappe.model.table_fields:
		return "table"
	if df.fieldtype == "Check":
		return "check"
	if df.fieldtype in WHOLE_TYPES:
		return "whole"
	if df.fieldtype in DECIMAL_TYPES:
		return "decimal"
	if df.fieldtype in DATE_TYPES:
		return "date"
	if df.fieldtype in TEXT_TYPES:
		return "text"
	return None


# --- discovery ---


def korus_methods() -> dict[str, Any]:
	import korus_crm

	for module in pkgutil.walk_packages(korus_crm.__path__, "korus_crm."):
		if ".patches." in module.name or module.name.endswith(".hooks"):
			continue
		importlib.import_module(module.name)
	methods = {}
	for fn in frappe.whitelisted:
		if fn.__module__.startswith("korus_crm."):
			assert "." not in fn.__qualname__, f"a whitelisted controller method: {fn.__qualname__}"
			methods[f"{fn.__module__}.{fn.__qualname__}"] = fn
	return methods


def korus_doctypes() -> list[str]:
	return frappe.get_all("DocType", filters={"module": KORUS, "istable": 0}, pluck="name", order_by="name")


def korus_reports() -> dict[str, list[tuple[str, str]]]:
	"""{report: [(filter fieldname, fieldtype)]}, read from each report's filters script."""
	reports = {}
	for name in frappe.get_all(
		"Report", filters={"module": KORUS, "report_type": "Script Report"}, pluck="name"
	):
		folder = Path(frappe.get_module_path(KORUS)) / "report" / frappe.scrub(name)
		script = (folder / f"{frappe.scrub(name)}.js").read_text()
		reports[name] = re.findall(r'fieldname:\s*"(\w+)".*?fieldtype:\s*"(\w+)"', script)
	return reports


# --- values ---


def hint_kind(hint: Any) -> str:
	if get_origin(hint) is Annotated:
		hint = get_args(hint)[0]
	union = get_origin(hint) in (typing.Union, types.UnionType)
	members = [m for m in get_args(hint) if m is not type(None)] if union else [hint]
	member = members[0] if members else Any
	if get_origin(member) is Annotated:
		member = get_args(member)[0]
	if get_origin(member) is Literal:
		return "literal"
	for kind, py in (
		("bool", bool),
		("int", int),
		("float", float),
		("str", str),
		("dict", dict),
		("list", list),
	):
		if member is py or get_origin(member) is py:
			return kind
	if member is datetime.date:
		return "date"
	return "str"


def bad_values(hint: Any) -> list:
	kind = hint_kind(hint)
	values = BAD[kind] + [v for v in ANY_BAD if not isinstance(v, {"dict": dict, "list": list}.get(kind, ()))]
	if len([m for m in get_args(hint) if m is not type(None)]) > 1:  # a union: only what no member takes
		values = [
			v for v in values if isinstance(v, dict) or (isinstance(v, list) and v and isinstance(v[0], dict))
		]
	return values


@pytest.fixture(scope="module")
def world():
	"""Committed records the calls may name: none of them can be changed by a call that fails."""
	frappe.set_user("Administrator")
	pipeline = make_pipeline()
	deal = make_deal(deal_pipeline=pipeline.name)
	lead = make_lead(email_id=f"fuzz.{frappe.generate_hash(length=6)}@example.com")
	from korus_crm.api.leads import convert_lead

	converted = convert_lead(lead.name)  # a converted lead: no conversion call can succeed
	reason_existed = frappe.db.exists("Opportunity Lost Reason", "Korus Test: Too expensive")
	reason = lost_reason()
	frappe.db.commit()
	made = [
		("Deal Stage History", None),
		("Opportunity", deal.name),
		("Customer", deal.party_name),
		("Customer", converted["customer"]),
		("Lead", lead.name),
		("Deal Pipeline", pipeline.name),
	]
	if not reason_existed:
		made.append(("Opportunity Lost Reason", reason))
	clients = {}
	users = []
	for label, roles in (("Sales User", ["Sales User"]), ("no CRM role", [])):
		user, password = make_user(roles)
		users.append(user)
		client = ApiClient(frappe.local.site)
		client.login(user, password)
		clients[label] = client
	yield frappe._dict(
		pipeline=pipeline.name,
		deal=deal.name,
		stage=deal.deal_stage,
		lead=lead.name,
		reason=reason,
		clients=clients,
	)
	frappe.db.rollback()
	frappe.set_user("Administrator")
	for user in users:
		for contact in frappe.get_all("Contact", filters={"user": user}, pluck="name"):
			frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
		frappe.delete_doc("User", user, force=True, ignore_permissions=True)
	frappe.delete_doc("Customer", converted["customer"], force=True, ignore_permissions=True)
	for contact in frappe.get_all(
		"Dynamic Link",
		filters={"link_doctype": "Lead", "link_name": lead.name, "parenttype": "Contact"},
		pluck="parent",
	):
		frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
	for doctype, name in made:
		if name and frappe.db.exists(doctype, name):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	frappe.db.commit()


def plausible(name: str, hint: Any, world) -> Any:
	"""A value of the right kind for an argument that is not the one being fed junk."""
	known = {
		"deal": world.deal,
		"stage": world.stage,
		"pipeline": world.pipeline,
		"lead": world.lead,
		"source_name": world.lead,
		"status": "New",
		"source_doctype": "Lead",
		"doctype": "Price Offer",
		"action": "Approve",
		"company_option": "none",
		"direction": "net_to_gross",
		"amount": 100,
		"start": 0,
		"page_length": 5,
		"data": {},
	}
	if name in known:
		return known[name]
	kind = hint_kind(hint)
	return {"int": 1, "float": 1.0, "bool": 0, "dict": {}, "list": [], "date": "2026-12-31"}.get(
		kind, NOT_A_RECORD
	)


# --- the run ---


class Run:
	def __init__(self) -> None:
		self.calls = 0
		self.statuses: Counter = Counter()
		self.failures: list[str] = []

	def check(self, what: str, response) -> None:
		self.calls += 1
		self.statuses[response.status_code] += 1
		if response.status_code >= 500:
			self.failures.append(f"{what}: HTTP {response.status_code} {response.text[:300]}")
		elif response.status_code >= 400:
			body = response.json
			if not body.get("exc_type") or not (body.get("_server_messages") or body.get("exception")):
				self.failures.append(
					f"{what}: HTTP {response.status_code} without a typed message: {response.text[:200]}"
				)


def record_counts() -> dict[str, int]:
	doctypes = [*korus_doctypes()]
	doctypes += [
		"Lead", "Opportunity", "Customer", "Contact", "Customer Group", "Lead Source", "Pricing Rule",
		"Quotation", "Sales Order", "Sales Invoice", "Delivery Note", "Payment Entry", "ToDo", "Comment",
		"Email Queue", "Error Log", "Opportunity Lost Reason", "Sales Stage", "Kanban Board",
	]  # fmt: skip
	frappe.db.rollback()
	return {d: frappe.db.count(d) for d in doctypes if not frappe.get_meta(d).issingle}


def test_bad_input_gets_a_4xx_and_changes_nothing(world):
	before = record_counts()
	run = Run()
	methods = korus_methods()
	assert len(methods) >= 24, sorted(methods)
	for path, fn in methods.items():
		signature = inspect.signature(fn)
		hints = typing.get_type_hints(inspect.unwrap(fn), include_extras=True)
		params = {
			n: hints.get(n, Any)
			for n, p in signature.parameters.items()
			if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
		}
		for label, client in world.clients.items():
			run.check(
				f"{path}() with junk [{label}]", client.post(f"/api/method/{path}", {"korus_fuzz": {"a": 1}})
			)
			for name, hint in params.items():
				others = {n: plausible(n, h, world) for n, h in params.items() if n != name}
				for value in bad_values(hint):
					response = client.post(f"/api/method/{path}", {**others, name: value})
					run.check(f"{path}({name}={value!r}) [{label}]", response)
					if response.status_code < 400:
						run.failures.append(
							f"{path}({name}={value!r}) [{label}] was accepted: {response.text[:200]}"
						)

	existing = {
		"Deal Pipeline": world.pipeline,
		"Deal Stage": world.stage,
		"Lead Status": "New",
		"Korus CRM Settings": "Korus CRM Settings",
		"Lead Conversion": world.lead,
	}
	for doctype in korus_doctypes():
		meta = frappe.get_meta(doctype)
		for label, client in world.clients.items():
			for body in NOT_OBJECTS:
				run.check(
					f"POST {doctype} {body!r} [{label}]",
					client._call(
						"POST",
						f"/api/resource/{doctype}",
						data=json.dumps(body),
						content_type="application/json",
					),
				)
			for df in meta.fields:
				kind = kind_of_field(df)
				if not kind or df.fieldtype in ("HTML", "Heading"):
					continue
				for value in field_bad_values(df, kind):
					if not meta.issingle:
						run.check(
							f"POST {doctype}.{df.fieldname}={value!r} [{label}]",
							client.post(f"/api/resource/{doctype}", {df.fieldname: value}),
						)
					if doctype in existing:
						run.check(
							f"PUT {doctype}.{df.fieldname}={value!r} [{label}]",
							client.put(f"/api/resource/{doctype}/{existing[doctype]}", {df.fieldname: value}),
						)

	from korus_crm.setup.custom_fields import get_custom_fields

	valid_base = {
		"Lead": {"first_name": "Fuzz"},
		"Opportunity": {"opportunity_from": "Lead", "party_name": world.lead},
		"Customer": {"customer_name": "Fuzz"},
		"Customer Group": {"customer_group_name": "Fuzz"},
		"Lead Source": {"source_name": "Fuzz"},
		"Pricing Rule": {"title": "Fuzz"},
		"Campaign": {"campaign_name": "Fuzz"},
	}
	for doctype, fields in get_custom_fields().items():
		meta = frappe.get_meta(doctype)
		for field in fields:
			df = meta.get_field(field["fieldname"])
			kind = kind_of_field(df) if df else None
			if not kind or df.fieldtype == "HTML" or df.read_only:
				continue
			for value in FIELD_BAD[kind]:
				for label, client in world.clients.items():
					body = {**valid_base.get(doctype, {}), df.fieldname: value}
					run.check(
						f"POST {doctype}.{df.fieldname}={value!r} [{label}]",
						client.post(f"/api/resource/{doctype}", body),
					)

	for report, filters in korus_reports().items():
		for fieldname, fieldtype in filters:
			kind = {
				"Date": "date",
				"Int": "whole",
				"Check": "check",
				"Float": "decimal",
				"Currency": "decimal",
			}.get(fieldtype, "text")
			for value in FIELD_BAD[kind]:
				for label, client in world.clients.items():
					response = client.post(
						"/api/method/frappe.desk.query_report.run",
						{"report_name": report, "filters": json.dumps({fieldname: value})},
					)
					run.check(f"report {report} {fieldname}={value!r} [{label}]", response)
		for label, client in world.clients.items():
			run.check(
				f"report {report} filters=junk [{label}]",
				client.post(
					"/api/method/frappe.desk.query_report.run",
					{"report_name": report, "filters": "not json {"},
				),
			)

	after = record_counts()
	print(f"\nbad-input calls: {run.calls}; answers by status: {dict(sorted(run.statuses.items()))}")
	changed = {d: (before[d], after[d]) for d in before if before[d] != after[d]}
	assert not run.failures, f"{len(run.failures)} of {run.calls} calls failed:\n" + "\n".join(
		run.failures[:60]
	)
	assert not changed, f"record counts changed: {changed}"
	assert run.calls > 1000
