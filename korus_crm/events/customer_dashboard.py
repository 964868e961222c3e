"""The company (Customer) form's dashboard: ERPNext's, plus the customer's open tasks (ToDos that
reference it). Contacts are on the form itself; deals (Opportunities) are in ERPNext's Pre Sales."""


def get_dashboard_data(data: dict) -> dict:
	data.setdefault("non_standard_fieldnames", {})["ToDo"] = "reference_name"
	data.setdefault("dynamic_links", {})["reference_name"] = ["Customer", "reference_type"]
	transactions = data.setdefault("transactions", [])
	if not any("ToDo" in group.get("items", []) for group in transactions):
		transactions.insert(1, {"label": "Tasks", "items": ["ToDo"]})
	return data
