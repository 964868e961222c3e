"""Rules of the Korus setup checklist (issue 14, "First login"; seed 000 §5: the steps after the
first login): which Onboarding Steps make it, in which order, and which saved record ticks which step.

The checklist is Frappe's Module Onboarding `ONBOARDING` (korus_crm/korus_crm/module_onboarding/),
its steps are Onboarding Steps (korus_crm/korus_crm/onboarding_step/); korus_crm.setup.onboarding
ticks a step when the record that does it is saved, whichever path saved it (desk, REST, bench).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ONBOARDING = "Korus Setup"

# the roles that see the checklist (Frappe adds System Manager to every onboarding's roles)
ALLOWED_ROLES = ("Korus Administrator",)


@dataclass(frozen=True)
class Step:
	name: str  # the Onboarding Step's name (global in Frappe: prefixed with Korus)
	doctype: str  # the record whose saving does the step
	field: str | None = None  # ... when this field of it is set


# seed 000's order: company profile, branches, users and access, then the key settings
STEPS: tuple[Step, ...] = (
	Step("Korus Company Profile", "Company"),
	Step("Korus Branches", "Branch"),
	Step("Korus Users and Employees", "Employee", field="user_id"),
	Step("Korus Roles and Data Scope", "Korus Role Scope"),
	Step("Korus Tax Policy", "Tax Policy"),
	Step("Korus Deal Pipelines", "Deal Pipeline"),
	Step("Korus Lead Statuses", "Lead Status"),
	Step("Korus Customer Pool", "Customer Pool"),
	Step("Korus API Key", "Korus API Key"),
	Step("Korus Test Email", "Email Account", field="enable_outgoing"),
)

STEP_NAMES = tuple(step.name for step in STEPS)
TICKING_DOCTYPES = tuple(dict.fromkeys(step.doctype for step in STEPS))

# while one of these Frappe flags is set the saving is the system's (install, migrate, setup
# wizard, patches, uninstall), not the administrator's: no step is done by it
SYSTEM_FLAGS = ("in_install", "in_migrate", "in_patch", "in_setup_wizard", "in_uninstall")


def done_steps(doctype: str, values: Mapping) -> list[str]:
	"""The steps that saving a `doctype` record with these `values` does (`values`: anything with
	`.get`, a dict or the saved document)."""
	return [
		step.name
		for step in STEPS
		if step.doctype == doctype and (step.field is None or bool(values.get(step.field)))
	]


def by_the_system(flags: Mapping) -> bool:
	"""Whether a save happens under one of the system's flags (then it ticks nothing)."""
	return any(flags.get(flag) for flag in SYSTEM_FLAGS)
