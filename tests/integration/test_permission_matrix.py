"""The permission matrix over REST: every Korus role x every scoped doctype x read / create / write /
delete / submit, each tried by a real user holding only that role, on records that user owns (so
that data scope lets them through and only the role decides).

How each right is told apart without changing anything it should not:
- read: GET the record: 200 or 403;
- create: POST an empty body: a role that may create gets past the permission check and is stopped
  by a missing mandatory field (417); one that may not gets 403;
- write: PUT an unknown link value: 417 (link validation, after the permission check) or 403;
- delete: DELETE a record of its own: 202/200 (gone) or 403;
- submit: frappe.client.submit of a draft: 403 for a role that may not, whether by its rights or by
  the approval specification (korus_crm.rules.approvals: approving is a Sales User's or a Sales
  Manager's).
"""

from __future__ import annotations

import json

import frappe
from frappe.utils import add_days, nowdate

from korus_crm.setup.roles import ADMINISTRATOR, CRM_MANAGER, DISPATCHER, OFFICE_STAFF
from tests.integration.factories import default_company, make_customer, make_selling_item, unique
from tests.integration.support import ApiClient, make_user

DOCTYPES = ("Lead", "Opportunity", "Customer", "Contact", "Price Offer", "Contract Order")
OPERATIONS = ("read", "create", "write", "delete", "submit")
SUBMITTABLE = {"Price Offer", "Contract Order"}

# The matrix as shipped (korus_crm/setup/roles.py for ERPNext's doctypes, the doctypes' JSON for Korus's).
# Frappe lets every user (role "All") create contacts, and read those they made.
EXPECTED: dict[str, dict[str, str]] = {
	OFFICE_STAFF: {"Lead": "rcw", "Opportunity": "rcw", "Customer": "rcw", "Contact": "rcw", "Price Offer": "rcw", "Contract Order": "r"},
	DISPATCHER: {"Lead": "r", "Opportunity": "r", "Customer": "r", "Contact": "rc", "Price Offer": "", "Contract Order": ""},
	ADMINISTRATOR: {d: "rcwd" for d in DOCTYPES},
	CRM_MANAGER: {**{d: "" for d in DOCTYPES}, "Contact": "c"},
}  # fmt: skip
LETTER = {"read": "r", "create": "c", "write": "w", "delete": "d", "submit": "s"}
BAD_LINK = {
	"Lead": {"lead_status": "Korus No Such Status"},
	"Opportunity": {"deal_pipeline": "Korus No Such Pipeline"},
	"Customer": {"customer_group": "Korus No Such Group"},
	"Contact": {"korus_owner": "no-such-user@korus.invalid"},
	"Price Offer": {"tax_policy": "Korus No Such Policy"},
	"Contract Order": {"tax_policy": "Korus No Such Policy"},
}


# a body that fails after Frappe's create permission check (Contact has no mandatory field: its
# validation refuses a malformed email)
CREATE_BODY = {
	"Contact": {"first_name": "Matrix", "email_ids": [{"email_id": "not an email", "is_primary": 1}]}
}


def make_record(doctype: str, owner: str, item: str, customer: str) -> str:
	company = default_company()
	values = {
		"Lead": {"first_name": unique("Matrix"), "lead_owner": owner},
		"Opportunity": {"opportunity_from": "Customer", "party_name": customer, "company": company, "opportunity_owner": owner},
		"Customer": {"customer_name": unique("Matrix Co"), "customer_type": "Company", "account_manager": owner},
		"Contact": {"first_name": unique("Matrix"), "korus_owner": owner},
		"Price Offer": {
			"quotation_to": "Customer", "party_name": customer, "company": company, "offer_owner": owner,
			"valid_till": add_days(nowdate(), 10), "items": [{"item_code": item, "qty": 1}],
		},
		"Contract Order": {"customer": customer, "company": company, "contract_owner": owner, "items": [{"item_code": item, "qty": 1, "rate": 10}]},
	}[doctype]  # fmt: skip
	return frappe.get_doc({"doctype": doctype, **values}).insert().name


def test_every_korus_role_on_every_scoped_doctype(committed):
	item = make_selling_item(10)
	frappe.db.commit()
	committed.add("Item", item)
	for price in frappe.get_all("Item Price", filters={"item_code": item}, pluck="name"):
		committed.add("Item Price", price)
	customer = make_customer().name
	frappe.db.commit()
	committed.add("Customer", customer)

	users = {}
	for role in EXPECTED:
		user, password = make_user([role])
		committed.add("User", user)
		client = ApiClient(frappe.local.site)
		client.login(user, password)
		users[role] = (user, client)

	records = {}
	for role, (user, _client) in users.items():
		for doctype in DOCTYPES:
			records[(role, doctype)] = make_record(doctype, user, item, customer)
			records[(role, doctype, "to delete")] = make_record(doctype, user, item, customer)
	# setting a lead's owner assigns it to them, and Frappe shares what it assigns: the matrix is of
	# the roles' own rights
	frappe.db.delete("DocShare", {"share_name": ("in", list(records.values()))})
	frappe.db.commit()
	for key, name in records.items():
		committed.add(key[1], name)

	mismatches, cells = [], 0
	for role, (_user, client) in users.items():
		for doctype in DOCTYPES:
			for operation in OPERATIONS:
				if operation == "submit" and doctype not in SUBMITTABLE:
					continue
				cells += 1
				allowed = try_operation(
					client,
					operation,
					doctype,
					records[(role, doctype)],
					records[(role, doctype, "to delete")],
				)
				expected = LETTER[operation] in EXPECTED[role][doctype]
				if allowed != expected:
					mismatches.append(
						f"{role} {operation} {doctype}: {'allowed' if allowed else 'refused'}, expected the opposite"
					)
	print(f"\npermission matrix: {cells} cells, {len(users)} roles × {len(DOCTYPES)} doctypes")
	assert not mismatches, "\n".join(mismatches)
	assert cells == len(EXPECTED) * (len(DOCTYPES) * 4 + len(SUBMITTABLE))


def try_operation(client: ApiClient, operation: str, doctype: str, name: str, to_delete: str) -> bool:
	path = f"/api/resource/{doctype}"
	if operation == "read":
		response = client.get(f"{path}/{name}")
		return outcome(response, allowed=(200,))
	if operation == "create":
		response = client.post(path, CREATE_BODY.get(doctype, {}))
		return outcome(response, allowed=(417,))
	if operation == "write":
		response = client.put(f"{path}/{name}", BAD_LINK[doctype])
		return outcome(response, allowed=(417,))
	if operation == "delete":
		response = client.delete(f"{path}/{to_delete}")
		return outcome(response, allowed=(200, 202))
	frappe.db.rollback()
	doc = frappe.get_doc(doctype, name).as_dict()
	response = client.post("/api/method/frappe.client.submit", {"doc": json.dumps(doc, default=str)})
	return outcome(response, allowed=(200, 417))


def outcome(response, allowed: tuple[int, ...]) -> bool:
	if response.status_code == 403:
		return False
	assert response.status_code in allowed, response
	return True
