"""Rules of data scope: which scope a user has, and what it asks of a record."""

import pytest

from korus_crm.rules import scope as rules
from korus_crm.rules.scope import ALL, BRANCH, DEPARTMENT, DEPARTMENT_AND_BELOW, OWN, Condition, Place

HERE = Place("Sales North", ("Sales North", "Key Accounts North"), "North")


def test_the_widest_scope_of_a_users_roles_wins():
	assert rules.widest([OWN, BRANCH, DEPARTMENT]) == BRANCH
	assert rules.widest([OWN]) == OWN
	assert rules.widest([]) == ALL


def test_a_role_without_a_scope_reads_all_as_in_erpnext():
	assert rules.user_scope([OWN, None]) == ALL
	assert rules.user_scope([OWN, DEPARTMENT]) == DEPARTMENT
	assert rules.user_scope([]) == ALL


def test_a_roles_scope_on_a_doctype_overrides_its_default():
	assert rules.role_scope(OWN, {"Lead": BRANCH}, "Lead") == BRANCH
	assert rules.role_scope(OWN, {"Lead": BRANCH}, "Opportunity") == OWN
	assert rules.role_scope(None, {}, "Lead") is None


@pytest.mark.parametrize(
	("scope", "expected"),
	[
		(ALL, None),
		(BRANCH, Condition("branch", ("North",))),
		(DEPARTMENT, Condition("korus_department", ("Sales North",))),
		(DEPARTMENT_AND_BELOW, Condition("korus_department", ("Sales North", "Key Accounts North"))),
		(OWN, Condition("lead_owner", ("ann@example.com",))),
	],
)
def test_each_scope_asks_for_one_indexed_column(scope, expected):
	assert rules.condition(scope, "ann@example.com", HERE, "lead_owner") == expected


@pytest.mark.parametrize("scope", [BRANCH, DEPARTMENT, DEPARTMENT_AND_BELOW])
def test_without_an_employee_place_a_user_reads_their_own_records(scope):
	assert rules.condition(scope, "ann@example.com", Place(), "lead_owner") == Condition(
		"lead_owner", ("ann@example.com",)
	)


def test_a_record_is_allowed_when_its_column_holds_one_of_the_values():
	cond = Condition("branch", ("North",))
	assert rules.allows(cond, {"branch": "North"})
	assert not rules.allows(cond, {"branch": "South"})
	assert not rules.allows(cond, {"branch": None})
	assert rules.allows(None, {"branch": None})


def test_every_scoped_doctype_names_its_owner_field():
	assert set(rules.SCOPED) >= {
		"Lead",
		"Opportunity",
		"Customer",
		"Contact",
		"Price Offer",
		"Contract Order",
	}
	assert rules.SCOPED["Customer"].owner_field == "account_manager"
