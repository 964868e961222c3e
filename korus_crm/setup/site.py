"""Site-level set-up shared by the setup command, CI and the integration tests."""

import frappe
from frappe.utils import now_datetime

DEMO_COMPANY = "Korus Demo"


def ensure_setup_complete(
	company_name: str = DEMO_COMPANY,
	company_abbr: str = "KD",
	country: str = "United States",
	currency: str = "USD",
	timezone: str = "America/New_York",
) -> str:
	"""Run ERPNext's setup wizard once, headless, so that the site has a company, a fiscal year and a
	chart of accounts. Returns the default company. Does nothing when a company exists."""
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	if not frappe.db.a_row_exists("Company"):
		year = now_datetime().year
		setup_complete(
			{
				"language": "English",
				"country": country,
				"timezone": timezone,
				"currency": currency,
				"company_name": company_name,
				"company_abbr": company_abbr,
				"chart_of_accounts": "Standard",
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
				"setup_demo": 0,
			}
		)
		frappe.db.commit()  # a CLI entry point (bench execute), never a request
	return frappe.db.get_single_value("Global Defaults", "default_company") or frappe.db.get_value(
		"Company", {}, "name"
	)
