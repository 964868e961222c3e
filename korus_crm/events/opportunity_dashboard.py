"""The deal (Opportunity) form's connections: ERPNext's, plus its price offers and contract orders.
The full chain to payment is the form's "Quote to Cash" timeline (korus_crm.api.timeline)."""


def get_dashboard_data(data: dict) -> dict:
	non_standard = data.setdefault("non_standard_fieldnames", {})
	non_standard["Price Offer"] = "opportunity"
	non_standard["Contract Order"] = "opportunity"
	transactions = data.setdefault("transactions", [])
	if not any("Price Offer" in group.get("items", []) for group in transactions):
		transactions.insert(0, {"label": "Korus", "items": ["Price Offer", "Contract Order"]})
	return data
