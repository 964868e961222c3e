"""The rules of `korus doctor`: drift between maintained and recounted counters, a site's Workflow
against its specification, the table and the exit code."""

import copy
import json
from pathlib import Path

from korus_crm.rules.approvals import WORKFLOW_SPECS
from korus_crm.rules.doctor import Check, counter_drift, exit_code, table, workflow_differences

FIXTURE = Path(__file__).resolve().parents[2] / "korus_crm" / "fixtures" / "workflow.json"


def shipped(doctype: str) -> dict:
	return next(w for w in json.loads(FIXTURE.read_text()) if w["document_type"] == doctype)


def test_counters_equal_to_a_recount_have_no_drift_and_missing_rows_count_as_zero():
	same = {("", "Open", "", ""): (2, 10.0, 0.0)}
	assert counter_drift(same, dict(same)) == []
	assert counter_drift({**same, ("", "Won", "", ""): (0, 0.0, 0.0)}, same) == []
	assert counter_drift({("", "Open", "", ""): (3, 10.0, 0.0)}, same) == [("", "Open", "", "")]
	assert counter_drift({}, same) == [("", "Open", "", "")]


def test_the_shipped_workflows_match_their_specifications():
	for doctype, spec in WORKFLOW_SPECS.items():
		assert workflow_differences(spec, {**shipped(doctype), "is_active": 1}) == []


def test_a_workflow_changed_on_the_site_is_reported():
	spec = WORKFLOW_SPECS["Price Offer"]
	site = copy.deepcopy(shipped("Price Offer"))
	site["is_active"] = 0
	site["transitions"] = [t for t in site["transitions"] if t["action"] != "Send Back"]
	site["transitions"].append({**site["transitions"][0], "allowed": "Guest"})
	site["states"][2]["doc_status"] = "0"
	problems = workflow_differences(spec, site)
	assert "not active" in problems
	assert any(p.startswith("states differ") and "wrong docstatus of Approved" in p for p in problems)
	assert "missing transition Pending Approval --Send Back--> Draft (Sales Manager)" in problems
	assert any(p.startswith("unexpected transition") and "(Guest)" in p for p in problems)
	assert workflow_differences(spec, None) == ["Workflow 'Price Offer Approval' is missing"]


def test_the_table_lists_every_check_and_any_problem_exits_1():
	checks = [Check("Scheduler running", True, "enabled"), Check("Email account configured", False, "none")]
	text = table(checks)
	lines = text.splitlines()
	assert lines[0].split() == ["Check", "Result", "Detail"]
	assert "Scheduler running" in lines[2] and " ok " in lines[2]
	assert "PROBLEM" in lines[3] and lines[3].endswith("none")
	assert exit_code(checks) == 1
	assert exit_code(checks[:1]) == 0
