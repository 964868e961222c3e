"""The Korus setup checklist (issue 14, "First login"): its rules and the records the app ships,
read on a bare Python (no Frappe)."""

import csv
import json
from pathlib import Path

import pytest

from korus_crm.rules import onboarding as rules

MODULE = Path(__file__).resolve().parents[2] / "korus_crm" / "korus_crm"
TRANSLATIONS = MODULE.parent / "translations"


def scrub(name: str) -> str:
	return name.replace(" ", "_").replace("-", "_").lower()


def shipped(folder: str, name: str) -> dict:
	return json.loads((MODULE / folder / scrub(name) / f"{scrub(name)}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def onboarding() -> dict:
	return shipped("module_onboarding", rules.ONBOARDING)


@pytest.fixture(scope="module")
def steps() -> dict[str, dict]:
	return {name: shipped("onboarding_step", name) for name in rules.STEP_NAMES}


def test_the_shipped_checklist_has_the_steps_in_seed_000s_order(onboarding):
	assert onboarding["doctype"] == "Module Onboarding"
	assert onboarding["name"] == rules.ONBOARDING
	assert onboarding["module"] == "Korus CRM"
	assert [row["step"] for row in onboarding["steps"]] == list(rules.STEP_NAMES)
	assert [row["role"] for row in onboarding["allow_roles"]] == list(rules.ALLOWED_ROLES)
	assert onboarding["is_complete"] == 0


def test_each_step_opens_the_form_of_the_record_that_ticks_it(steps):
	for step in rules.STEPS:
		doc = steps[step.name]
		assert doc["doctype"] == "Onboarding Step" and doc["name"] == step.name
		assert doc["is_complete"] == 0 and doc["is_skipped"] == 0
		if doc["action"] == "Create Entry":
			assert doc["reference_document"] == step.doctype, step.name
			assert doc["show_full_form"] == 1, step.name
		else:
			assert doc["action"] == "Go to Page", step.name
			assert doc["path"].startswith(f"/app/{step.doctype.lower().replace(' ', '-')}"), step.name


def test_form_tours_of_the_steps_are_shipped_or_erpnexts(steps):
	for name, doc in steps.items():
		tour = doc.get("form_tour")
		assert bool(tour) == bool(doc["show_form_tour"]), name
		if tour and tour != "Company":  # ERPNext ships the Company tour
			shipped_tour = shipped("form_tour", tour)
			assert shipped_tour["reference_doctype"] == doc["reference_document"]
			assert shipped_tour["first_document"] == 1  # opens the existing record (Korus seeds one)


def test_saving_a_record_ticks_its_step():
	assert rules.done_steps("Branch", {"branch": "North"}) == ["Korus Branches"]
	assert rules.done_steps("Deal Pipeline", {}) == ["Korus Deal Pipelines"]
	assert rules.done_steps("Lead", {}) == []


def test_an_employee_ticks_only_with_a_login_and_an_email_account_only_when_it_sends():
	assert rules.done_steps("Employee", {"user_id": None}) == []
	assert rules.done_steps("Employee", {"user_id": "a@example.com"}) == ["Korus Users and Employees"]
	assert rules.done_steps("Email Account", {"enable_outgoing": 0}) == []
	assert rules.done_steps("Email Account", {"enable_outgoing": 1}) == ["Korus Test Email"]


def test_the_systems_own_saves_tick_nothing():
	assert rules.by_the_system({"in_install": "korus_crm"})
	assert rules.by_the_system({"in_migrate": True})
	assert rules.by_the_system({"in_setup_wizard": True})
	assert not rules.by_the_system({"in_test": True, "in_import": True})


def _texts(onboarding: dict, steps: dict[str, dict]) -> set[str]:
	"""What the desk shows through _() / __(): frappe.desk.desktop and the onboarding and form tour
	widgets."""
	texts = {onboarding["name"], onboarding["title"], onboarding["subtitle"], onboarding["success_message"]}
	for doc in steps.values():
		texts |= {
			doc.get(key)
			for key in ("title", "description", "action_label", "callback_title", "callback_message")
		}
		if doc.get("form_tour") and doc["form_tour"] != "Company":
			for row in shipped("form_tour", doc["form_tour"])["steps"]:
				texts |= {row["title"], row["description"]}
	return {text for text in texts if text}


@pytest.mark.parametrize("lang", ("zh", "pl"))
def test_the_checklist_is_translated(onboarding, steps, lang):
	with open(TRANSLATIONS / f"{lang}.csv", encoding="utf-8", newline="") as f:
		translated = {row[0] for row in csv.reader(f) if len(row) in (2, 3) and row[1].strip()}
	missing = sorted(_texts(onboarding, steps) - translated)
	assert not missing, f"no {lang} translation for: {missing}"
