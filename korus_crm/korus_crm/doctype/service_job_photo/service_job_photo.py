# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A photo taken on a Service Job."""

from korus_crm.boundary import CheckedDocument


class ServiceJobPhoto(CheckedDocument):
	pass
