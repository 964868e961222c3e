"""The Korus setup checklist (issue 14, "First login"; docs/first-login.md): Frappe's Module
Onboarding "Korus Setup" shipped with the app, its steps in seed 000's order, each opening the right
form, ticking itself when the record that does it is saved, shown to administrators only."""

import json

import frappe
import pytest

from korus_crm.exceptions import EmailNotSentError
from korus_crm.rules import onboarding as rules
from korus_crm.setup import onboarding
from tests.integration.factories import default_company, make_pipeline, unique
from tests.integration.org_setup import make_branch, make_employee
from tests.integration.selling_setup import make_tax_policy
from tests.integration.support import new_user

# step -> (action, what it opens)
EXPECTED = {
	"Korus Company Profile": ("Create Entry", "Company"),
	"Korus Branches": ("Create Entry", "Branch"),
	"Korus Users and Employees": ("Create Entry", "Employee"),
	"Korus Roles and Data Scope": ("Create Entry", "Korus Role Scope"),
	"Korus Tax Policy": ("Create Entry", "Tax Policy"),
	"Korus Deal Pipelines": ("Create Entry", "Deal Pipeline"),
	"Korus Lead Statuses": ("Create Entry", "Lead Status"),
	"Korus Customer Pool": ("Create Entry", "Customer Pool"),
	"Korus API Key": ("Go to Page", "/app/korus-api-key/new"),
	"Korus Test Email": ("Create Entry", "Email Account"),
}


@pytest.fixture(autouse=True)
def fresh_checklist(monkeypatch):
	"""Every step not done (in the test's transaction: the site's progress comes back after it).
	A completed Module Onboarding is saved by Frappe, which on a developer-mode site would write it
	back over the app's JSON: not from a test."""
	monkeypatch.setitem(frappe.conf, "developer_mode", 0)
	for step in rules.STEP_NAMES:
		frappe.db.set_value("Onboarding Step", step, {"is_complete": 0, "is_skipped": 0})
	frappe.db.set_value("Module Onboarding", rules.ONBOARDING, "is_complete", 0)


def done(step: str) -> bool:
	return bool(frappe.db.get_value("Onboarding Step", step, "is_complete"))


def test_the_checklist_is_installed_with_its_steps_in_seed_000s_order():
	doc = frappe.get_doc("Module Onboarding", rules.ONBOARDING)
	assert doc.module == "Korus CRM"
	assert [row.step for row in doc.steps] == list(EXPECTED)
	assert [row.name for row in onboarding.progress()] == list(EXPECTED)
	assert not any(row.is_complete for row in onboarding.progress())


@pytest.mark.parametrize("step", list(EXPECTED))
def test_each_step_opens_the_right_form(step):
	action, target = EXPECTED[step]
	doc = frappe.get_doc("Onboarding Step", step)
	assert doc.action == action
	if action == "Create Entry":
		assert doc.reference_document == target
		assert doc.show_full_form == 1
		assert frappe.db.exists("DocType", target)
	else:
		assert doc.path == target
	if doc.show_form_tour:
		tour = frappe.get_doc("Form Tour", doc.form_tour)
		assert tour.reference_doctype == target
		for row in tour.steps:
			assert frappe.get_meta(target).has_field(row.fieldname), (tour.name, row.fieldname)


def test_adding_a_branch_ticks_its_step_and_only_it():
	make_branch()
	assert done("Korus Branches")
	assert [row.name for row in onboarding.progress() if row.is_complete] == ["Korus Branches"]


def test_reviewing_the_company_ticks_its_step():
	frappe.get_doc("Company", default_company()).save()
	assert done("Korus Company Profile")


def test_an_employee_ticks_its_step_once_linked_to_a_user():
	employee = make_employee(None, None, None)
	assert not done("Korus Users and Employees")
	doc = frappe.get_doc("Employee", employee)
	doc.user_id = new_user("Korus Office Staff")
	doc.save()
	assert done("Korus Users and Employees")


def test_saving_a_role_scope_ticks_its_step():
	frappe.get_doc("Korus Role Scope", frappe.get_all("Korus Role Scope", pluck="name")[0]).save()
	assert done("Korus Roles and Data Scope")


def test_a_tax_policy_ticks_its_step():
	make_tax_policy(default_company())
	assert done("Korus Tax Policy")


def test_a_deal_pipeline_and_a_lead_status_tick_their_steps():
	make_pipeline()
	assert done("Korus Deal Pipelines")
	assert not done("Korus Lead Statuses")
	frappe.get_doc(
		{"doctype": "Lead Status", "status_name": unique("Onboarding"), "color": "#2490EF"}
	).insert()
	assert done("Korus Lead Statuses")


def test_a_customer_pool_ticks_its_step():
	frappe.get_doc({"doctype": "Customer Pool", "pool_name": unique("Pool"), "enabled": 1}).insert()
	assert done("Korus Customer Pool")


def test_an_api_key_ticks_its_step():
	from korus_crm.api_keys import create_api_key

	create_api_key("Onboarding test")
	assert done("Korus API Key")


def test_the_email_step_ticks_when_an_outgoing_account_is_enabled():
	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": unique("Korus Onboarding"),
			"email_id": "onboarding@korus.invalid",
			"smtp_server": "127.0.0.1",
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)
	assert not done("Korus Test Email")
	account.enable_outgoing = 1
	account.save(ignore_permissions=True)
	assert done("Korus Test Email")


def test_a_test_email_is_sent_through_the_account_and_ticks_the_step(outgoing_email_account):
	frappe.db.set_value("Onboarding Step", "Korus Test Email", "is_complete", 0)  # the fixture did it
	user = new_user("System Manager")
	frappe.set_user(user)
	before = frappe.db.count("Email Queue")
	answer = onboarding.send_test_email(outgoing_email_account.name)
	assert answer["recipient"] == user
	assert frappe.db.count("Email Queue") == before + 1
	queued = frappe.get_last_doc("Email Queue")
	assert queued.sender == outgoing_email_account.email_id
	assert [row.recipient for row in queued.recipients] == [user]
	assert done("Korus Test Email")


def test_a_test_email_to_an_unsubscribed_address_is_refused(outgoing_email_account):
	frappe.db.set_value("Onboarding Step", "Korus Test Email", "is_complete", 0)  # the fixture did it
	user = new_user("System Manager")
	frappe.get_doc({"doctype": "Email Unsubscribe", "email": user, "global_unsubscribe": 1}).insert(
		ignore_permissions=True
	)
	frappe.set_user(user)
	with pytest.raises(EmailNotSentError):
		onboarding.send_test_email(outgoing_email_account.name)
	assert not done("Korus Test Email")


def test_a_test_email_needs_an_account_that_sends(outgoing_email_account):
	frappe.db.set_value("Email Account", outgoing_email_account.name, "enable_outgoing", 0)
	with pytest.raises(EmailNotSentError):
		onboarding.send_test_email(outgoing_email_account.name)


def test_a_sales_user_cannot_send_a_test_email(outgoing_email_account):
	frappe.set_user(new_user("Sales User"))
	with pytest.raises(frappe.PermissionError):
		onboarding.send_test_email(outgoing_email_account.name)


def test_saves_of_the_system_tick_nothing():
	frappe.flags.in_migrate = True
	try:
		make_pipeline()
		frappe.get_doc({"doctype": "Customer Pool", "pool_name": unique("Pool")}).insert()
	finally:
		frappe.flags.in_migrate = False
	assert not done("Korus Deal Pipelines") and not done("Korus Customer Pool")


def test_the_checklist_completes_when_every_step_is_done_or_skipped():
	for step in rules.STEP_NAMES[:-1]:
		onboarding.tick(step)
	doc = frappe.get_doc("Module Onboarding", rules.ONBOARDING)
	assert not doc.check_completion()
	frappe.db.set_value("Onboarding Step", rules.STEP_NAMES[-1], "is_skipped", 1)
	assert doc.check_completion()


def test_the_checklist_is_for_administrators():
	roles = frappe.get_doc("Module Onboarding", rules.ONBOARDING).get_allowed_roles()
	assert {"System Manager", "Korus Administrator"} <= set(roles)
	assert "Sales User" not in roles and "Sales Manager" not in roles


@pytest.fixture
def workspace_with_checklist(monkeypatch):
	"""The Korus CRM workspace with its onboarding block (added here, in the test's transaction, if
	the shipped workspace does not have it yet), onboarding switched on. The desk reads both through
	the document cache, which other processes of the site fill with the committed versions: read
	from the database instead (and nothing uncommitted reaches the shared cache)."""
	from frappe.desk.desktop import Workspace

	blocks = json.loads(frappe.db.get_value("Workspace", "Korus CRM", "content"))
	if not any(
		b["type"] == "onboarding" and b["data"].get("onboarding_name") == rules.ONBOARDING for b in blocks
	):
		block = {
			"id": "korus-setup",
			"type": "onboarding",
			"data": {"onboarding_name": rules.ONBOARDING, "col": 12},
		}
		frappe.db.set_value(
			"Workspace", "Korus CRM", "content", json.dumps([block, *blocks]), update_modified=False
		)
	frappe.db.set_single_value("System Settings", "enable_onboarding", 1)
	cached = frappe.get_cached_doc

	def uncached(doctype, *args, **kwargs):
		if doctype in ("Workspace", "System Settings"):
			return frappe.get_doc(doctype, *args, **kwargs)
		return cached(doctype, *args, **kwargs)

	monkeypatch.setattr(frappe, "get_cached_doc", uncached)
	monkeypatch.setattr(frappe.local, "system_settings", None, raising=False)

	def checklists_of(user: str) -> list[dict]:
		frappe.set_user(user)
		frappe.local.system_settings = None
		try:
			page = Workspace({"name": "Korus CRM", "title": "Korus CRM", "public": 1})
			return page.get_onboardings()
		finally:
			frappe.set_user("Administrator")

	return checklists_of


def test_the_workspace_shows_the_checklist_to_administrators_only(workspace_with_checklist):
	for user in (new_user("Korus Administrator", "Sales User"), new_user("System Manager"), "Administrator"):
		shown = workspace_with_checklist(user)
		assert [c["label"] for c in shown] == [rules.ONBOARDING], user
		assert [step["name"] for step in shown[0]["items"]] == list(EXPECTED)
	for user in (new_user("Sales User"), new_user("Sales User", "Sales Manager", "Korus Office Staff")):
		assert workspace_with_checklist(user) == [], user


def test_the_workspace_hides_the_checklist_once_complete(workspace_with_checklist):
	for step in rules.STEP_NAMES:
		onboarding.tick(step)
	assert workspace_with_checklist("Administrator") == []
	assert frappe.db.get_value("Module Onboarding", rules.ONBOARDING, "is_complete") == 1
