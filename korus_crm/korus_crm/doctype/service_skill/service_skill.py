# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A skill a technician has and a job type may require."""

from korus_crm.boundary import CheckedDocument


class ServiceSkill(CheckedDocument):
	pass
