# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

from korus_crm.boundary import CheckedDocument


class PriceOfferItem(CheckedDocument):
	pass
