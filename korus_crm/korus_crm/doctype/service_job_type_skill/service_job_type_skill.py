# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A skill a Service Job Type requires."""

from korus_crm.boundary import CheckedDocument


class ServiceJobTypeSkill(CheckedDocument):
	pass
