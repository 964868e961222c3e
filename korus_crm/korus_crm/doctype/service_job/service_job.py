# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A field service job (seed 000 Job Entry; docs/field-service.md). Its rules are in
korus_crm.field_service.jobs (status moves, the status history, the double-booking check under a
lock on the technician, notices) and korus_crm.field_service.billing (the ERPNext documents of a
completed job)."""

from korus_crm.boundary import CheckedDocument
from korus_crm.field_service import jobs


class ServiceJob(CheckedDocument):
	def validate(self):
		jobs.validate(self)

	def on_update(self):
		jobs.on_update(self)

	def on_trash(self):
		jobs.check_deletion(self)
