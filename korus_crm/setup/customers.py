"""The customer profile (seed 004 客户: status, level, source, company nature and size, owner, the
pool, follow-up timing) on ERPNext's Customer, as custom fields made with Korus's others.

The owner is ERPNext's own `account_manager` (read by no ERPNext code), indexed. The timing fields
are maintained by Korus, never typed: the last follow-up and the next contact by the follow-ups
(korus_crm.customers), the pool return date by the pool's rules, the last deal and order dates by
the deals and contract orders. Each is indexed where a list or a job reads it.
"""

from __future__ import annotations

STATUSES = ("Potential", "Developing", "Won", "Lapsed")
COMPANY_NATURES = (
	"Private Company",
	"State-Owned Enterprise",
	"Foreign-Invested Enterprise",
	"Joint Venture",
	"Sole Proprietorship",
	"Public Institution",
	"Individual",
	"Other",
)
# ERPNext's Lead.no_of_employees options, so that a lead's size carries over at conversion
COMPANY_SIZES = ("1-10", "11-50", "51-200", "201-500", "501-1000", "1000+")


def fields() -> dict[str, list[dict]]:
	return {
		"Customer": [
			{
				"fieldname": "korus_profile_section",
				"label": "Profile",
				"fieldtype": "Section Break",
				"insert_after": "disabled",
				"collapsible": 0,
			},
			{
				"fieldname": "korus_status",
				"label": "Customer Status",
				"fieldtype": "Select",
				"options": "\n".join(STATUSES),
				"default": "Potential",
				"insert_after": "korus_profile_section",
				"in_list_view": 1,
				"in_standard_filter": 1,
				"search_index": 1,
				"description": "Won is set by the customer's first approved contract order; Lapsed when it has had no order for the time set in Korus CRM Settings.",
			},
			{
				"fieldname": "korus_level",
				"label": "Level",
				"fieldtype": "Link",
				"options": "Customer Level",
				"insert_after": "korus_status",
				"in_standard_filter": 1,
				"search_index": 1,
			},
			{
				"fieldname": "korus_source",
				"label": "Source",
				"fieldtype": "Link",
				"options": "Lead Source",
				"insert_after": "korus_level",
				"in_standard_filter": 1,
				"description": "Where the customer came from (carried over from its lead at conversion).",
			},
			{
				"fieldname": "korus_profile_column",
				"fieldtype": "Column Break",
				"insert_after": "korus_source",
			},
			{
				"fieldname": "korus_company_nature",
				"label": "Company Nature",
				"fieldtype": "Select",
				"options": "\n" + "\n".join(COMPANY_NATURES),
				"insert_after": "korus_profile_column",
			},
			{
				"fieldname": "korus_company_size",
				"label": "Company Size",
				"fieldtype": "Select",
				"options": "\n" + "\n".join(COMPANY_SIZES),
				"insert_after": "korus_company_nature",
				"description": "Employees.",
			},
			{
				"fieldname": "korus_pool_section",
				"label": "Owner and Pool",
				"fieldtype": "Section Break",
				"insert_after": "korus_company_size",
			},
			{
				"fieldname": "korus_pool",
				"label": "Customer Pool",
				"fieldtype": "Link",
				"options": "Customer Pool",
				"insert_after": "korus_pool_section",
				"read_only": 1,
				"in_standard_filter": 1,
				"description": "The pool the customer belongs to: it returns there when released or when its owner lets it lapse.",
			},
			{
				"fieldname": "korus_in_pool",
				"label": "In the Pool",
				"fieldtype": "Check",
				"insert_after": "korus_pool",
				"read_only": 1,
				"no_copy": 1,
				"description": "Without an owner: anyone the pool serves may claim it.",
			},
			{
				"fieldname": "korus_owner_since",
				"label": "Owner Since",
				"fieldtype": "Datetime",
				"insert_after": "korus_in_pool",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "korus_return_due_on",
				"label": "Returns to the Pool On",
				"fieldtype": "Date",
				"insert_after": "korus_owner_since",
				"read_only": 1,
				"no_copy": 1,
				"description": "By the pool's rules, unless followed up, given a deal or an order before then.",
			},
			{
				"fieldname": "korus_pool_column",
				"fieldtype": "Column Break",
				"insert_after": "korus_return_due_on",
			},
			{
				"fieldname": "korus_last_followup_at",
				"label": "Last Follow-up",
				"fieldtype": "Datetime",
				"insert_after": "korus_pool_column",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "korus_next_contact_at",
				"label": "Next Contact",
				"fieldtype": "Datetime",
				"insert_after": "korus_last_followup_at",
				"read_only": 1,
				"no_copy": 1,
				"search_index": 1,
				"in_list_view": 1,
			},
			{
				"fieldname": "korus_last_deal_on",
				"label": "Last Deal",
				"fieldtype": "Date",
				"insert_after": "korus_next_contact_at",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "korus_last_order_on",
				"label": "Last Order",
				"fieldtype": "Date",
				"insert_after": "korus_last_deal_on",
				"read_only": 1,
				"no_copy": 1,
				"search_index": 1,
			},
		],
	}


# (doctype, columns, index name), as korus_crm.setup.install.INDEXES: the owner (ERPNext does not
# index account_manager), the pool's list, the owner's customers by next contact.
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	("Customer", ("korus_pool", "korus_in_pool", "modified"), "korus_pool_list"),
	("Customer", ("account_manager", "korus_next_contact_at"), "korus_owner_next_contact"),
	("Customer", ("korus_in_pool", "korus_return_due_on"), "korus_return_due"),
	("Customer", ("korus_status", "korus_last_order_on"), "korus_status_last_order"),
	# a customer's deals (its page, its status): ERPNext does not index Opportunity.party_name
	("Opportunity", ("party_name", "opportunity_from"), "korus_deal_party"),
)
