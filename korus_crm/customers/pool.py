"""The customer pool (seed 004 客户池; docs/customers.md): who owns a customer, how it changes hands,
and when it returns to its pool. The pure rules are korus_crm.rules.pool.

- A customer belongs to one pool (`korus_pool`) and is either owned (ERPNext's `account_manager`)
  or in the pool (`korus_in_pool`: no owner). Every change of owner, whoever makes it and however
  (claim, release, assign, transfer, the daily return, a form or REST edit of the account manager),
  goes through the Customer's save, where `before_validate` and `on_update` here keep the pool
  columns, the return date and the Owner Log right: one place for the rule.
- A claim locks the claimant's User row (their claims run one at a time, so the limits hold) and
  then the customer's row (two claimants of one customer: the second waits for the first, then
  finds it taken and is refused).
- The return date is stored on the customer (indexed with `korus_in_pool`) and worked out again
  whenever what it depends on changes (`timing_changed`), so the daily job reads only the
  customers that are due; the notice job reads only those due in exactly N days.
- Pool customers are read by the pool's members and administrators beyond their data scope:
  `participants` (korus_crm.rules.scope SCOPED) is an indexed condition on the pool column.
"""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate, now_datetime, nowdate

from korus_crm import jobs, people
from korus_crm.boundary import whitelist
from korus_crm.exceptions import ClaimRefusedError, PoolPermissionError, PoolSetupError
from korus_crm.notify import tell
from korus_crm.rules import pool as rules

DOCTYPE = "Customer"
POOLS_KEY = "korus_customer_pools"
MANAGER_ROLES = frozenset({"Sales Manager", "Korus CRM Manager", "Korus Administrator", "System Manager"})
TIMING_FIELDS = (
	"korus_last_followup_at",
	"korus_next_contact_at",
	"korus_last_deal_on",
	"korus_last_order_on",
)
CHUNK = 500
# up to this many owned customers, a pool's new rules are applied in the request; beyond, in a job
INLINE_RECOMPUTE = 500


# --- the pools' configuration (cached; forgotten when a pool is saved) ---


def pools() -> dict[str, dict]:
	def load() -> dict[str, dict]:
		out: dict[str, dict] = {}
		for pool in frappe.get_all(
			"Customer Pool",
			fields=[
				"name",
				"enabled",
				"auto_return",
				"notify_days_before",
				"previous_owner_block_days",
				"max_owned_per_user",
				"daily_claim_limit",
				"count_won_customers",
				"creation",
			],
			order_by="creation asc",
		):
			out[pool.name] = {
				**pool,
				"creation": str(pool.creation),
				"members": [],
				"administrators": [],
				"rules": [],
				"limits": [],
			}
		for row in frappe.get_all(
			"Customer Pool Member",
			fields=["parent", "member_type", "department", "branch", "user"],
			order_by="idx",
		):
			if row.parent in out:
				value = {"Department": row.department, "Branch": row.branch, "User": row.user}.get(
					row.member_type
				)
				out[row.parent]["members"].append([row.member_type, value])
		for row in frappe.get_all("Customer Pool Administrator", fields=["parent", "user"], order_by="idx"):
			if row.parent in out:
				out[row.parent]["administrators"].append(row.user)
		for row in frappe.get_all(
			"Customer Pool Rule",
			fields=["parent", "basis", "days", "customer_level", "exclude_won"],
			order_by="idx",
		):
			if row.parent in out:
				out[row.parent]["rules"].append(
					[row.basis, cint(row.days), row.customer_level, cint(row.exclude_won)]
				)
		for row in frappe.get_all(
			"Customer Pool Limit",
			fields=["parent", "applies_to", "role", "department", "max_owned", "daily_claims"],
			order_by="idx",
		):
			if row.parent in out:
				out[row.parent]["limits"].append(
					[
						row.applies_to,
						row.role if row.applies_to == "Role" else row.department,
						cint(row.max_owned),
						cint(row.daily_claims),
					]
				)
		return out

	memo = getattr(frappe.local, "korus_pools", None)
	if memo is None:
		memo = frappe.local.korus_pools = frappe.cache.get_value(POOLS_KEY, generator=load)
	return memo


def forget_pools() -> None:
	frappe.cache.delete_value(POOLS_KEY)
	frappe.local.korus_pools = None
	frappe.local.korus_pools_of = {}


def pool(name: str | None) -> dict | None:
	return pools().get(name) if name else None


def return_rules(config: dict) -> list[rules.ReturnRule]:
	return [
		rules.ReturnRule(basis, days, level or None, bool(won)) for basis, days, level, won in config["rules"]
	]


# --- who a pool serves ---


def serves(config: dict, user: str) -> bool:
	"""Whether `user` is a member of the pool (no member rows: everyone)."""
	if not config["members"]:
		return True
	place = None
	for member_type, value in config["members"]:
		if member_type == "User" and value == user:
			return True
		if member_type in ("Department", "Branch"):
			place = place or _place(user)
			if member_type == "Branch" and place.branch and place.branch == value:
				return True
			if member_type == "Department" and place.department and _within(place.department, value):
				return True
	return False


def _place(user: str):
	from korus_crm.scope import place_of

	return place_of(user)


def _within(department: str, ancestor: str) -> bool:
	inner, outer = people.department_range(department), people.department_range(ancestor)
	return bool(inner and outer and outer[0] <= inner[0] and inner[1] <= outer[1])


def is_manager(user: str) -> bool:
	return user == "Administrator" or bool(MANAGER_ROLES & set(frappe.get_roles(user)))


def administers(config: dict | None, user: str) -> bool:
	"""Pool administrators and managers assign and transfer the pool's customers."""
	return is_manager(user) or bool(config and user in config["administrators"])


def pools_of(user: str) -> list[str]:
	"""The enabled pools the user is a member or an administrator of (memoised for the request)."""
	memo = getattr(frappe.local, "korus_pools_of", None)
	if memo is None:
		memo = frappe.local.korus_pools_of = {}
	if user not in memo:
		memo[user] = [
			name
			for name, config in pools().items()
			if config["enabled"] and (serves(config, user) or user in config["administrators"])
		]
	return memo[user]


def pool_for(user: str | None) -> str | None:
	"""The pool a new customer joins: the first enabled pool naming the user (as a user, or by
	their department or branch), else the first enabled pool that serves everyone."""
	enabled = [(name, c) for name, c in pools().items() if c["enabled"]]
	if user:
		for name, config in enabled:
			if config["members"] and serves(config, user):
				return name
	for name, config in enabled:
		if not config["members"]:
			return name
	return None


def participants(user: str) -> str:
	"""SCOPED's participants of Customer: the customers in the pools the user serves or
	administers (index korus_pool_list: pool, in pool)."""
	names = pools_of(user)
	if not names:
		return "1=0"
	listed = ", ".join(frappe.db.escape(n) for n in names)
	return f"(`tabCustomer`.`korus_in_pool` = 1 and `tabCustomer`.`korus_pool` in ({listed}))"


# --- the return date ---


def due_date(row) -> datetime.date | None:
	"""The date an owned customer returns to its pool (None: it does not), from its stored columns."""
	config = pool(row.get("korus_pool"))
	if not config or not config["enabled"] or not config["auto_return"]:
		return None
	if row.get("korus_in_pool") or not row.get("account_manager"):
		return None
	timing = rules.Timing(
		owner_since=_date(row.get("korus_owner_since")),
		last_follow_up=_date(row.get("korus_last_followup_at")),
		last_deal=_date(row.get("korus_last_deal_on")),
		last_order=_date(row.get("korus_last_order_on")),
		level=row.get("korus_level"),
		status=row.get("korus_status"),
	)
	return rules.return_due(return_rules(config), timing)


def _date(value) -> datetime.date | None:
	return getdate(value) if value else None


DUE_COLUMNS = (
	"name",
	"korus_pool",
	"korus_in_pool",
	"account_manager",
	"korus_owner_since",
	"korus_level",
	"korus_status",
	*TIMING_FIELDS,
)


def timing_changed(customer: str, **values) -> None:
	"""Store what a follow-up, a deal or an order changed on a customer (any of TIMING_FIELDS) and
	work its return date out again: the one way those columns are written."""
	unknown = set(values) - set(TIMING_FIELDS)
	if unknown:
		raise ValueError(f"not a timing column of Customer: {sorted(unknown)}")
	row = frappe.db.get_value(DOCTYPE, customer, DUE_COLUMNS, as_dict=True, for_update=True)
	if not row:
		return
	row.update(values)
	frappe.db.set_value(
		DOCTYPE, customer, {**values, "korus_return_due_on": due_date(row)}, update_modified=False
	)


def rules_changed(pool_name: str) -> None:
	"""A pool's rules changed: its owned customers' return dates are worked out again (in the
	request for a small pool, in a background job for a large one)."""
	owned = frappe.db.count(DOCTYPE, {"korus_pool": pool_name, "korus_in_pool": 0})
	if owned <= INLINE_RECOMPUTE:
		recompute_due_dates(pool_name)
		return
	jobs.enqueue(
		"korus_crm.customers.pool.recompute_due_dates",
		job_id=jobs.key("pool-due", pool_name),
		pool_name=pool_name,
	)


@jobs.job
def recompute_due_dates(pool_name: str) -> int:
	"""Each owned customer's return date from the pool's rules as they are now (idempotent)."""
	forget_pools()
	done, last = 0, ""
	while True:
		rows = frappe.get_all(
			DOCTYPE,
			filters={"korus_pool": pool_name, "korus_in_pool": 0, "name": (">", last)},
			fields=list(DUE_COLUMNS),
			order_by="name asc",
			limit_page_length=CHUNK,
		)
		if not rows:
			return done
		for row in rows:
			due = due_date(row)
			frappe.db.set_value(DOCTYPE, row.name, "korus_return_due_on", due, update_modified=False)
		done += len(rows)
		last = rows[-1].name


# --- Customer doc_events: every change of owner passes here ---


def before_validate(doc, method=None) -> None:
	if doc.is_new():
		if not doc.korus_pool:
			doc.korus_pool = pool_for(doc.account_manager or frappe.session.user)
		doc.korus_in_pool = 0 if doc.account_manager or not doc.korus_pool else 1
		doc.korus_owner_since = now_datetime() if doc.account_manager else None
	elif doc.has_value_changed("account_manager"):
		if not doc.flags.korus_owner_action:
			check_owner_edit(doc)
		doc.korus_in_pool = 0 if doc.account_manager or not doc.korus_pool else 1
		doc.korus_owner_since = now_datetime() if doc.account_manager else None
	doc.korus_return_due_on = due_date(doc.as_dict())


def check_owner_edit(doc) -> None:
	"""A form or REST edit of the owner: allowed to those who may transfer (the owner, their
	supervisors, the pool's administrators, managers); a claim from the pool goes through `claim`."""
	before = doc.get_doc_before_save()
	previous = before.account_manager if before else None
	user = frappe.session.user
	if previous and may_transfer(doc.korus_pool, previous, user):
		return
	if not previous and administers(pool(doc.korus_pool), user):
		return
	frappe.throw(
		_(
			"You may not change the owner of customer {0}: ask its owner, their manager or an administrator of its pool."
		).format(frappe.bold(doc.name)),
		PoolPermissionError,
	)


def on_update(doc, method=None) -> None:
	before = doc.get_doc_before_save()
	previous = before.account_manager if before else None
	if doc.account_manager == previous and not (doc.flags.in_insert and doc.account_manager):
		return
	action = doc.flags.korus_owner_action or (
		rules.ASSIGN if not previous else rules.RELEASE if not doc.account_manager else rules.TRANSFER
	)
	frappe.get_doc(
		{
			"doctype": "Customer Owner Log",
			"customer": doc.name,
			"action": action,
			"from_user": previous,
			"to_user": doc.account_manager,
			"pool": doc.korus_pool,
			"reason": doc.flags.korus_owner_reason,
			"done_by": frappe.session.user,
		}
	).insert(ignore_permissions=True)
	if doc.account_manager and action in (rules.ASSIGN, rules.TRANSFER):
		tell(
			doc.account_manager,
			DOCTYPE,
			doc.name,
			lambda lang: _("Customer {0} is now yours.", lang=lang).format(doc.customer_name),
			doc.flags.korus_owner_reason,
		)


def change_owner(doc, to_user: str | None, action: str, reason: str | None = None) -> None:
	doc.flags.korus_owner_action = action
	doc.flags.korus_owner_reason = reason
	doc.account_manager = to_user
	doc.save(ignore_permissions=True)


# --- claim, release, assign, transfer ---


def _locked_row(customer: str) -> frappe._dict:
	row = frappe.db.sql(
		"""select name, korus_pool, korus_in_pool, account_manager from `tabCustomer`
		where name = %s for update""",
		customer,
		as_dict=True,
	)
	if not row:
		frappe.throw(_("Customer {0} not found.").format(frappe.bold(customer)), frappe.DoesNotExistError)
	return row[0]


def _readable(customer: str) -> None:
	if not frappe.db.exists(DOCTYPE, customer):
		frappe.throw(_("Customer {0} not found.").format(frappe.bold(customer)), frappe.DoesNotExistError)
	if not frappe.has_permission(DOCTYPE, "read", customer):
		frappe.throw(_("You may not see customer {0}.").format(frappe.bold(customer)), frappe.PermissionError)


def limits_of(user: str, config: dict) -> rules.Limits:
	default = rules.Limits(cint(config["max_owned_per_user"]), cint(config["daily_claim_limit"]))
	roles = set(frappe.get_roles(user))
	department = _place(user).department
	matching = [
		rules.Limits(max_owned, daily)
		for applies_to, value, max_owned, daily in config["limits"]
		if (applies_to == "Role" and value in roles)
		or (applies_to == "Department" and department and _within(department, value))
	]
	return rules.limits_for(default, matching)


# The claim's counts are locking reads: a consistent read would see the transaction's snapshot,
# taken before the claimant's lock was granted (REPEATABLE READ), and miss a claim just committed.


def owned_count(user: str, pool_name: str, config: dict) -> int:
	won = "" if config["count_won_customers"] else "and ifnull(korus_status, '') != %(won)s"
	return frappe.db.sql(
		f"""select count(*) from `tabCustomer`
		where account_manager = %(user)s and korus_pool = %(pool)s {won} lock in share mode""",
		{"user": user, "pool": pool_name, "won": rules.WON},
	)[0][0]


def claims_today(user: str, today: datetime.date) -> int:
	return frappe.db.sql(
		"""select count(*) from `tabCustomer Owner Log`
		where to_user = %s and action = %s and creation >= %s lock in share mode""",
		(user, rules.CLAIM, str(today)),
	)[0][0]


def blocked_until(customer: str, user: str, config: dict) -> datetime.date | None:
	"""Until when a previous owner of the customer may not claim it back."""
	days = cint(config["previous_owner_block_days"])
	if not days:
		return None
	last = frappe.db.sql(
		"""select max(creation) from `tabCustomer Owner Log`
		where customer = %s and from_user = %s and action in (%s, %s) lock in share mode""",
		(customer, user, rules.RELEASE, rules.AUTO_RETURN),
	)[0][0]
	return add_days(getdate(last), days) if last else None


@whitelist(methods=["POST"])
def claim(customer: str) -> dict:
	"""领取: the current user takes a customer from its pool."""
	user = frappe.session.user
	_readable(customer)
	# the claimant's claims, one at a time (their counts below cannot be raced)
	frappe.db.sql("select name from `tabUser` where name = %s for update", user)
	row = _locked_row(customer)
	config = pool(row.korus_pool)
	if not config or not config["enabled"] or not (serves(config, user) or user in config["administrators"]):
		frappe.throw(
			_("You are not a member of the pool of customer {0}.").format(frappe.bold(customer)),
			PoolPermissionError,
		)
	if not row.korus_in_pool:
		owner = frappe.utils.get_fullname(row.account_manager) if row.account_manager else ""
		frappe.throw(
			_("Customer {0} is no longer in the pool: {1} has it.").format(frappe.bold(customer), owner),
			ClaimRefusedError,
		)
	today = getdate(nowdate())
	refusal = rules.claim_refusal(
		limits_of(user, config),
		owned_count(user, row.korus_pool, config),
		claims_today(user, today),
		blocked_until(customer, user, config),
		today,
	)
	if refusal:
		reason, figure = refusal
		messages = {
			"previous owner": _("You owned customer {0} before: you may claim it again from {1}."),
			"owned": _(
				"You cannot claim customer {0}: you already own {1} customers, the most this pool allows."
			),
			"daily": _(
				"You cannot claim customer {0}: you have made {1} claims today, the most this pool allows."
			),
		}
		shown = frappe.utils.formatdate(figure) if reason == "previous owner" else figure
		frappe.throw(messages[reason].format(frappe.bold(customer), shown), ClaimRefusedError)
	change_owner(frappe.get_doc(DOCTYPE, customer), user, rules.CLAIM)
	return {"customer": customer, "owner": user}


def may_transfer(pool_name: str | None, owner: str, user: str) -> bool:
	return user == owner or administers(pool(pool_name), user) or people.is_supervisor_of(user, owner)


@whitelist(methods=["POST"])
def release(customer: str, reason: str | None = None) -> dict:
	"""放入公海: the customer goes back to its pool (by its owner, their manager or the pool's
	administrators)."""
	user = frappe.session.user
	_readable(customer)
	row = _locked_row(customer)
	if row.korus_in_pool or not row.account_manager:
		frappe.throw(
			_("Customer {0} is already in the pool.").format(frappe.bold(customer)), ClaimRefusedError
		)
	if not row.korus_pool:
		frappe.throw(
			_("Customer {0} belongs to no pool: choose its pool first.").format(frappe.bold(customer)),
			PoolSetupError,
		)
	if not may_transfer(row.korus_pool, row.account_manager, user):
		frappe.throw(
			_("Only the owner of customer {0}, their manager or a pool administrator may release it.").format(
				frappe.bold(customer)
			),
			PoolPermissionError,
		)
	change_owner(frappe.get_doc(DOCTYPE, customer), None, rules.RELEASE, reason)
	return {"customer": customer, "owner": None}


def _target(user: str) -> None:
	if not frappe.db.get_value("User", {"name": user, "enabled": 1, "user_type": "System User"}):
		frappe.throw(_("{0} is not an active user.").format(frappe.bold(user)), frappe.ValidationError)


@whitelist(methods=["POST"])
def assign(customer: str, user: str, reason: str | None = None) -> dict:
	"""分配: a pool administrator or a manager gives a customer (in the pool or owned) to a user;
	the claim limits do not apply to them."""
	me = frappe.session.user
	_readable(customer)
	_target(user)
	row = _locked_row(customer)
	if not administers(pool(row.korus_pool), me) and not (
		row.account_manager and people.is_supervisor_of(me, row.account_manager)
	):
		frappe.throw(
			_("Only an administrator of its pool or a manager may assign customer {0}.").format(
				frappe.bold(customer)
			),
			PoolPermissionError,
		)
	if row.account_manager == user:
		return {"customer": customer, "owner": user}
	action = rules.ASSIGN if row.korus_in_pool or not row.account_manager else rules.TRANSFER
	change_owner(frappe.get_doc(DOCTYPE, customer), user, action, reason)
	return {"customer": customer, "owner": user}


@whitelist(methods=["POST"])
def transfer(customer: str, user: str, reason: str | None = None) -> dict:
	"""转移: the owner (or their manager, or the pool's administrators) gives an owned customer to
	another user."""
	me = frappe.session.user
	_readable(customer)
	_target(user)
	row = _locked_row(customer)
	if row.korus_in_pool or not row.account_manager:
		frappe.throw(
			_("Customer {0} is in the pool: claim or assign it instead.").format(frappe.bold(customer)),
			ClaimRefusedError,
		)
	if not may_transfer(row.korus_pool, row.account_manager, me):
		frappe.throw(
			_(
				"Only the owner of customer {0}, their manager or a pool administrator may transfer it."
			).format(frappe.bold(customer)),
			PoolPermissionError,
		)
	if row.account_manager == user:
		return {"customer": customer, "owner": user}
	change_owner(frappe.get_doc(DOCTYPE, customer), user, rules.TRANSFER, reason)
	return {"customer": customer, "owner": user}


@whitelist()
def owner_log(customer: str) -> list[dict]:
	"""The customer's changes of owner, newest first (to whoever may read the customer)."""
	_readable(customer)
	return frappe.get_all(
		"Customer Owner Log",
		filters={"customer": customer},
		fields=["name", "creation", "action", "from_user", "to_user", "pool", "reason", "done_by"],
		order_by="creation desc",
		limit_page_length=100,
	)


# --- the daily jobs ---


def return_due_customers(today: str | datetime.date | None = None) -> dict[str, list[str]]:
	"""Daily: owned customers whose return date has come go back to their pool; each owner is told
	once, with all of theirs. Reads only due rows (index korus_return_due: in pool, due date)."""
	today = getdate(today or nowdate())
	returned: dict[str, list[tuple[str, str]]] = {}
	failed: set[str] = set()
	while True:
		rows = frappe.db.sql(
			"""select name, account_manager, korus_pool from `tabCustomer`
			where korus_in_pool = 0 and korus_return_due_on <= %s and korus_deleted = 0
			order by korus_return_due_on, name limit %s""",
			(today, CHUNK + len(failed)),
			as_dict=True,
		)
		rows = [r for r in rows if r.name not in failed]
		if not rows:
			break
		for row in rows:
			try:
				doc = frappe.get_doc(DOCTYPE, row.name)
				change_owner(
					doc,
					None,
					rules.AUTO_RETURN,
					_("Returned by the rules of pool {0}.").format(row.korus_pool),
				)
				returned.setdefault(row.account_manager, []).append((row.name, row.korus_pool))
			except Exception:
				frappe.db.rollback()
				failed.add(row.name)
				frappe.log_error(title=f"Customer pool: {row.name} could not return to its pool")
		frappe.db.commit()
	for owner, customers in returned.items():
		names = ", ".join(n for n, _pool in customers[:20])
		count = len(customers)
		tell(
			owner,
			"Customer Pool",
			customers[0][1],
			lambda lang, n=count: _("{0} of your customers returned to the pool.", lang=lang).format(n),
			names,
			include_current_user=True,
			from_user="Administrator",
		)
	frappe.db.commit()
	return {owner: [n for n, _p in customers] for owner, customers in returned.items()}


def notify_returning(today: str | datetime.date | None = None) -> dict[str, list[str]]:
	"""Daily: owners are told, once, of their customers that return in exactly the pool's notice
	days (reads the due date index for that one date per pool)."""
	today = getdate(today or nowdate())
	told: dict[str, list[str]] = {}
	for name, config in pools().items():
		days = cint(config["notify_days_before"])
		if not (config["enabled"] and config["auto_return"] and days > 0):
			continue
		for row in frappe.db.sql(
			"""select name, account_manager from `tabCustomer`
			where korus_in_pool = 0 and korus_return_due_on = %s and korus_pool = %s and korus_deleted = 0""",
			(add_days(today, days), name),
			as_dict=True,
		):
			told.setdefault(row.account_manager, []).append(row.name)
	for owner, customers in told.items():
		count = len(customers)
		tell(
			owner,
			DOCTYPE,
			customers[0],
			lambda lang, n=count: _(
				"{0} of your customers will return to the pool unless followed up soon.", lang=lang
			).format(n),
			", ".join(customers[:20]),
			include_current_user=True,
			from_user="Administrator",
		)
	frappe.db.commit()
	return told


def ensure_default_pool() -> None:
	"""Install: a pool serving everyone (no rules: customers return only once rules are set), and
	the customers without a pool put in it (those without an owner in the pool itself)."""
	if not frappe.db.exists("Customer Pool", DEFAULT_POOL):
		if frappe.db.count("Customer Pool"):
			return
		frappe.get_doc(
			{
				"doctype": "Customer Pool",
				"pool_name": DEFAULT_POOL,
				"enabled": 1,
				"auto_return": 1,
				"description": "Every customer without a pool of its own; it serves everyone.",
			}
		).insert(ignore_permissions=True)
	frappe.db.sql(
		"""update `tabCustomer` set korus_pool = %s,
		korus_in_pool = if(ifnull(account_manager, '') = '', 1, 0),
		korus_owner_since = if(ifnull(account_manager, '') = '', null, ifnull(korus_owner_since, now()))
		where ifnull(korus_pool, '') = ''""",
		DEFAULT_POOL,
	)
	forget_pools()


DEFAULT_POOL = "Public Pool"


def after_delete(doc, method=None) -> None:
	"""Customer after_delete: its owner log goes with it."""
	frappe.db.delete("Customer Owner Log", {"customer": doc.name})
