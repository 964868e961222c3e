"""`korus doctor`: checks a site and lists each check as ok or a problem (docs/commands.md). Reads
only: nothing is written, whatever it finds (`korus recount` repairs counts)."""

from __future__ import annotations

from collections.abc import Callable

import frappe
from frappe.utils import flt
from frappe.utils.scheduler import is_scheduler_inactive

from korus_crm.analytics import stays
from korus_crm.boards import counts
from korus_crm.rules.approvals import WORKFLOW_SPECS
from korus_crm.rules.doctor import Check, counter_drift, workflow_differences

ZERO = (0, 0.0, 0.0)


# --- counts in sync: the maintained counter rows against a recount, without writing ---


def maintained(spec: counts.CountSpec) -> dict:
	"""Every non-zero counter row of `spec`: (board, column, dimension, value) -> (count, value, weighted)."""
	rows = frappe.get_all(
		counts.COUNTER,
		filters={"reference_doctype": spec.doctype, "group_field": spec.group_field},
		fields=["scope", "group_value", "dimension", "dimension_value", "record_count", "value_total", "weighted_total"],
	)  # fmt: skip
	out = {}
	for r in rows:
		value = (int(r.record_count), round(flt(r.value_total), 2), round(flt(r.weighted_total), 2))
		if value != ZERO:
			out[(r.scope or "", r.group_value, r.dimension or "", r.dimension_value or "")] = value
	return out


def recounted(spec: counts.CountSpec) -> dict:
	"""What `counts.recount_one` would write for `spec`, in the form of `maintained`."""
	out = {}
	for (board, column), t in counts.count_from_table(spec).items():
		out[(board, column, "", "")] = (t.count, round(t.value, 2), round(t.weighted, 2))
	for dimension in spec.dimensions:
		for (board, column, value), t in counts.count_from_table(spec, dimension=dimension).items():
			out[(board, column, dimension, value)] = (t.count, round(t.value, 2), round(t.weighted, 2))
	return {k: v for k, v in out.items() if v != ZERO}


def recounted_stays(deltas) -> dict:
	out: dict = {}
	for d in deltas:
		out[(d.scope, d.column, d.dimension, d.value)] = (d.count, round(d.amount, 2), 0.0)
	return {k: v for k, v in out.items() if v != ZERO}


def count_groups() -> list[tuple[str, list[tuple[counts.CountSpec, Callable[[], dict]]]]]:
	"""(label, [(spec, its recount)]) per counted doctype, as `counts.recount_all` rebuilds them."""
	groups = [
		(primary.doctype, [(s, lambda s=s: recounted(s)) for s in counts.family(primary)])
		for primary in counts.COUNTED
	]
	groups.append(
		(
			"Deal Stage History (stage stays)",
			[
				(stays.STAYS, lambda: recounted_stays(stays.counted_from_table())),
				(stays.OPEN_STAYS, lambda: recounted_stays(stays.open_counted_from_table())),
			],
		)
	)
	return groups


def counts_check(label: str, specs) -> Check:
	drifted = []
	for spec, recount in specs:
		keys = counter_drift(maintained(spec), recount())
		if keys:
			drifted.append(f"{spec.group_field}: {len(keys)} row(s)")
	detail = ("drifted " + ", ".join(drifted) + " (run `korus recount`)") if drifted else ""
	return Check(f"Counts in sync: {label}", not drifted, detail)


# --- workflows, scheduler, email ---


def workflow_checks() -> list[Check]:
	checks = []
	for _doctype, spec in sorted(WORKFLOW_SPECS.items()):
		record = (
			frappe.get_doc("Workflow", spec.workflow).as_dict()
			if frappe.db.exists("Workflow", spec.workflow)
			else None
		)
		problems = workflow_differences(spec, record)
		checks.append(
			Check(f"Workflow matches its specification: {spec.workflow}", not problems, "; ".join(problems))
		)
	return checks


def scheduler_check() -> Check:
	if not is_scheduler_inactive(verbose=False):
		return Check("Scheduler running", True, "enabled")
	conf = frappe.local.conf
	why = (
		"maintenance_mode is on"
		if conf.maintenance_mode
		else "pause_scheduler is set in site config"
		if conf.pause_scheduler
		else "disable_scheduler is set in site config"
		if frappe.conf.disable_scheduler
		else "disabled in System Settings"
	)
	return Check("Scheduler running", False, f"{why} (bench --site S enable-scheduler)")


def email_check() -> Check:
	account = frappe.db.get_value("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}, "name")
	if account:
		return Check("Email account configured", True, f"default outgoing: {account}")
	return Check(
		"Email account configured",
		False,
		"no enabled default outgoing Email Account: notifications and offers cannot be mailed",
	)


def run_checks(progress: Callable[[int, int], None] | None = None) -> list[Check]:
	groups = count_groups()
	steps: list[Callable[[], list[Check]]] = [
		*(lambda g=g: [counts_check(*g)] for g in groups),
		workflow_checks,
		lambda: [scheduler_check()],
		lambda: [email_check()],
	]
	checks: list[Check] = []
	for i, step in enumerate(steps):
		checks += step()
		if progress:
			progress(i, len(steps))
	return checks
