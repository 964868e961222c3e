"""A fresh site had no Opportunity Lost Reason, so the first drag to a lost stage asked for a reason
that could not be chosen: sites installed before get the set a new site starts with."""

from korus_crm.setup.install import seed_lost_reasons


def execute() -> None:
	seed_lost_reasons()
