"""Rules of `bench --site S korus doctor` (docs/commands.md): comparing what a site holds with what
Korus specifies, and printing the checks as a table. No Frappe here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from korus_crm.rules.approvals import ApprovalSpec

OK = "ok"
PROBLEM = "PROBLEM"


@dataclass(frozen=True)
class Check:
	name: str
	ok: bool
	detail: str = ""

	@property
	def result(self) -> str:
		return OK if self.ok else PROBLEM


def counter_drift(maintained: Mapping, recounted: Mapping) -> list:
	"""The keys (board, column, dimension, value) whose maintained totals differ from a recount's,
	sorted; a key missing on one side counts as zero there."""
	zero = (0, 0.0, 0.0)
	keys = set(maintained) | set(recounted)
	return sorted(
		(k for k in keys if maintained.get(k, zero) != recounted.get(k, zero)),
		key=lambda k: tuple(str(p) for p in k),
	)


def workflow_differences(spec: ApprovalSpec, workflow: Mapping | None) -> list[str]:
	"""How a site's Workflow record (`workflow`: its fields, "states" and "transitions" as lists of
	dicts; None: missing) departs from the specification `spec`. Empty: it matches."""
	if workflow is None:
		return [f"Workflow {spec.workflow!r} is missing"]
	problems = []
	if not int(workflow.get("is_active") or 0):
		problems.append("not active")
	if workflow.get("document_type") != spec.doctype:
		problems.append(f"document type {workflow.get('document_type')!r}, expected {spec.doctype!r}")
	if workflow.get("workflow_state_field") != spec.state_field:
		problems.append(
			f"state field {workflow.get('workflow_state_field')!r}, expected {spec.state_field!r}"
		)
	states = [(s.get("state"), int(s.get("doc_status") or 0)) for s in workflow.get("states") or []]
	if states != list(spec.states):
		missing = [s for s, _d in spec.states if s not in dict(states)]
		extra = [s for s, _d in states if s not in spec.docstatus]
		wrong = [s for s, d in states if s in spec.docstatus and spec.docstatus[s] != d]
		parts = [
			f"missing {', '.join(missing)}" if missing else "",
			f"extra {', '.join(extra)}" if extra else "",
		]
		parts.append(f"wrong docstatus of {', '.join(wrong)}" if wrong else "")
		problems.append(
			"states differ" + (": " + "; ".join(p for p in parts if p) if any(parts) else " (order)")
		)
	shipped = {
		(t.get("state"), t.get("action"), t.get("next_state"), t.get("allowed"), t.get("condition") or None)
		for t in workflow.get("transitions") or []
	}
	specified = {(t.source, t.action, t.target, t.role, t.condition) for t in spec.transitions}
	for label, rows in (("missing", specified - shipped), ("unexpected", shipped - specified)):
		for source, action, target, role, _condition in sorted(rows, key=lambda r: tuple(map(str, r))):
			problems.append(f"{label} transition {source} --{action}--> {target} ({role})")
	return problems


def table(checks: Iterable[Check]) -> str:
	"""The checks as a plain text table: check, result, detail."""
	rows = [("Check", "Result", "Detail")] + [(c.name, c.result, c.detail) for c in checks]
	widths = [max(len(r[i]) for r in rows) for i in range(2)]
	lines = [f"{r[0].ljust(widths[0])}  {r[1].ljust(widths[1])}  {r[2]}".rstrip() for r in rows]
	lines.insert(1, "-" * max(len(line) for line in lines))
	return "\n".join(lines)


def exit_code(checks: Iterable[Check]) -> int:
	"""0 when every check is ok, else 1."""
	return 0 if all(c.ok for c in checks) else 1
