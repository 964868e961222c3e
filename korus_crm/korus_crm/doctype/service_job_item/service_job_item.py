# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A part or service used on a Service Job; the billable lines are invoiced when the job is completed."""

from korus_crm.boundary import CheckedDocument


class ServiceJobItem(CheckedDocument):
	pass
