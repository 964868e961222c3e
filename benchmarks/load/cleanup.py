"""Removes what load runs made on the site and repairs the maintained counts
(korus_crm.boards.counts.recount_all), leaving the site's own 100k leads and deals and 20k customers
as they were:

- leads whose email is at load.invalid, their conversions (Lead Conversion, the customer, contact
  and deal it made), deals and customers whose title starts "Load ", follow-ups whose content does,
  price offers of those leads and deals (and their Quotations), the stage history of those deals,
  with their child rows and the ToDo, Notification Log, Email Queue, Version, Comment and Activity
  Log rows about them;
- the pool customers go back to the pool (their claim logs removed).

With --all, also the accounts, employees, branches, item and pool customers that prepare.py made.

	sudo -u frappe $FRAPPE_BENCH/env/bin/python benchmarks/load/cleanup.py --site anbench.localhost [--all]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
	BOOKS,
	BRANCHES,
	EMAIL_DOMAIN,
	ITEM,
	POOL,
	POOL_CUSTOMER_PREFIX,
	TITLE_PREFIX,
	connect,
	site_owner,
)

CHUNK = 1000
ABOUT = (  # rows about a record: (doctype, its doctype field, its name field)
	("ToDo", "reference_type", "reference_name"),
	("Notification Log", "document_type", "document_name"),
	("Version", "ref_doctype", "docname"),
	("Comment", "reference_doctype", "reference_name"),
	("Activity Log", "reference_doctype", "reference_name"),
	("Communication", "reference_doctype", "reference_name"),
	("Email Queue", "reference_doctype", "reference_name"),
	("Document Follow", "ref_doctype", "ref_docname"),
)


def chunks(names: list[str]):
	for i in range(0, len(names), CHUNK):
		yield names[i : i + CHUNK]


def remove(frappe, doctype: str, names: list[str]) -> int:
	"""Deletes the records, their child rows and what is about them (raw: no hooks run; the counts
	are recounted at the end)."""
	names = sorted(set(filter(None, names)))
	if not names:
		return 0
	meta = frappe.get_meta(doctype)
	for part in chunks(names):
		for table in meta.get_table_fields():
			frappe.db.delete(table.options, {"parent": ("in", part), "parenttype": doctype})
		for about, type_field, name_field in ABOUT:
			frappe.db.delete(about, {type_field: doctype, name_field: ("in", part)})
		if doctype in ("Contact", "Address"):
			frappe.db.delete("Dynamic Link", {"parenttype": doctype, "parent": ("in", part)})
		frappe.db.delete("Dynamic Link", {"link_doctype": doctype, "link_name": ("in", part)})
		frappe.db.delete(doctype, {"name": ("in", part)})
	return len(names)


def run_records(frappe) -> dict[str, list[str]]:
	leads = frappe.get_all("Lead", {"email_id": ("like", f"%@{EMAIL_DOMAIN}")}, pluck="name")
	conversions = frappe.get_all(
		"Lead Conversion", {"lead": ("in", leads or [""])}, ["name", "customer", "contact", "deal"]
	)
	deals = frappe.get_all("Opportunity", {"title": ("like", f"{TITLE_PREFIX}%")}, pluck="name")
	deals += [c.deal for c in conversions if c.deal]
	deals += frappe.get_all(
		"Opportunity", {"party_name": ("in", leads or [""]), "opportunity_from": "Lead"}, pluck="name"
	)
	customers = [c.customer for c in conversions if c.customer]
	customers += frappe.get_all(
		"Customer",
		{
			"customer_name": ("like", f"{TITLE_PREFIX}% customer %"),
			"name": ("not like", f"{POOL_CUSTOMER_PREFIX}%"),
		},
		pluck="name",
	)
	contacts = [c.contact for c in conversions if c.contact]
	offers = frappe.get_all("Price Offer", {"party_name": ("in", leads or [""])}, pluck="name")
	offers += frappe.get_all("Price Offer", {"opportunity": ("in", deals or [""])}, pluck="name")
	quotations = frappe.get_all("Price Offer", {"name": ("in", offers or [""])}, pluck="quotation")
	follow_ups = frappe.get_all("Customer Follow-up", {"content": ("like", f"{TITLE_PREFIX}%")}, pluck="name")
	follow_ups += frappe.get_all("Customer Follow-up", {"customer": ("in", customers or [""])}, pluck="name")
	history = frappe.get_all("Deal Stage History", {"deal": ("in", deals or [""])}, pluck="name")
	owner_logs = frappe.get_all("Customer Owner Log", {"customer": ("in", customers or [""])}, pluck="name")
	return {
		"Deal Stage History": history, "Customer Follow-up": follow_ups, "Quotation": quotations,
		"Price Offer": offers, "Lead Conversion": [c.name for c in conversions], "Opportunity": deals,
		"Contact": contacts, "Customer Owner Log": owner_logs, "Customer": customers, "Lead": leads,
	}  # fmt: skip


def give_back_books(frappe) -> int:
	"""The records prepare.py handed out go back to their site owner (user k's to owner k % 20),
	without the branch stamp they had not had."""
	n = 0
	for doctype, field in BOOKS:
		n += frappe.db.count(doctype, {field: ("like", "load-sales-%")})
		for user in frappe.get_all("User", {"name": ("like", "load-sales-%@korus.invalid")}, pluck="name"):
			k = int(user.split("@")[0].rsplit("-", 1)[1]) - 1  # account(i) is user k = i - 1
			frappe.db.sql(
				f"""update `tab{doctype}` set `{field}` = %s{", branch = null" if doctype != "Customer" else ""}
				where `{field}` = %s""",
				(site_owner(k), user),
			)
	return n


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="anbench.localhost")
	parser.add_argument("--all", action="store_true", help="also the accounts, item and pool customers")
	args = parser.parse_args()

	frappe = connect(args.site)
	removed = {doctype: remove(frappe, doctype, names) for doctype, names in run_records(frappe).items()}
	pool = frappe.get_all("Customer", {"name": ("like", f"{POOL_CUSTOMER_PREFIX}%")}, pluck="name")
	logs = frappe.get_all("Customer Owner Log", {"customer": ("in", pool or [""])}, pluck="name")
	removed["Customer Owner Log"] += remove(frappe, "Customer Owner Log", logs)
	frappe.db.sql(
		"""update `tabCustomer` set account_manager = null, korus_in_pool = 1, korus_pool = %s
		where name like %s""",
		(POOL, f"{POOL_CUSTOMER_PREFIX}%"),
	)
	if args.all:
		removed["Customer"] += remove(frappe, "Customer", pool)
		users = frappe.get_all("User", {"name": ("like", "load-%@korus.invalid")}, pluck="name")
		removed["books given back"] = give_back_books(frappe)
		removed["Employee"] = remove(
			frappe, "Employee", frappe.get_all("Employee", {"user_id": ("in", users or [""])}, pluck="name")
		)
		for user in users:
			frappe.delete_doc("User", user, ignore_permissions=True, force=True)
		removed["User"] = len(users)
		removed["Item Price"] = remove(
			frappe, "Item Price", frappe.get_all("Item Price", {"item_code": ITEM}, pluck="name")
		)
		removed["Item"] = remove(frappe, "Item", [ITEM] if frappe.db.exists("Item", ITEM) else [])
		removed["Branch"] = remove(frappe, "Branch", [b for b in BRANCHES if frappe.db.exists("Branch", b)])
	from korus_crm.boards import counts

	counts.recount_all()
	frappe.db.commit()
	print("removed: " + ", ".join(f"{doctype} {n}" for doctype, n in removed.items() if n) or "nothing")
	print(
		"site now: "
		+ ", ".join(
			f"{d} {frappe.db.count(d)}" for d in ("Lead", "Opportunity", "Customer", "Deal Stage History")
		)
	)
	frappe.destroy()


if __name__ == "__main__":
	main()
