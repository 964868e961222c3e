# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A change of a Service Job's status: from, to, who and when (written by korus_crm.field_service.jobs)."""

from korus_crm.boundary import CheckedDocument


class ServiceJobStatusHistory(CheckedDocument):
	pass
