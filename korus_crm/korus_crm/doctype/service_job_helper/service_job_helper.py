# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A helper on a Service Job (another technician; their time is booked as the technician's is)."""

from korus_crm.boundary import CheckedDocument


class ServiceJobHelper(CheckedDocument):
	pass
