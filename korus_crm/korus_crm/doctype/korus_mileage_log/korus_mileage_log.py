# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A trip of a vehicle (seed 001 Pojazdy; docs/vehicles.md). Its rules are in
korus_crm.vehicles.mileage: the readings checked and the distance derived, the backdating warning,
and the vehicle's odometer computed again on submit and on cancel."""

from korus_crm.boundary import CheckedDocument
from korus_crm.vehicles import mileage


class KorusMileageLog(CheckedDocument):
	def before_validate(self):
		mileage.set_defaults(self)

	def validate(self):
		mileage.validate(self)

	def on_submit(self):
		mileage.recompute_odometer(self.vehicle, submitting=True)

	def on_cancel(self):
		mileage.recompute_odometer(self.vehicle)
