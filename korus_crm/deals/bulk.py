"""Bulk actions on deals (seed 003), from the deal list and the deal board: assign (a new owner),
change stage, add or remove a label, delete (into the recycle bin, restorable), export.

Each deal goes through the path a single change takes, with the user's permissions: the owner is set
and the deal saved (its rules apply), the stage is changed by `move_deal` (the stage rules and the
stage history), labels are Frappe's tags (which check the user may write the deal), deletion is the
recycle bin's. A deal that is refused is reported with its reason and the others go on. Up to
rules.INLINE_LIMIT deals are processed in the request; more go to a background job that publishes
its progress (`frappe.publish_progress`) and tells the user when it is done. An export is one read
through the user's permissions (and needs the export right).
"""

from __future__ import annotations

from typing import Literal

import frappe
from frappe import _
from frappe.desk.doctype.tag.tag import DocTags
from frappe.utils import strip_html

from korus_crm import jobs, notify
from korus_crm.boundary import whitelist
from korus_crm.exceptions import BulkActionError
from korus_crm.rules import bulk as rules

DOCTYPE = "Opportunity"
COMMIT_EVERY = 50  # records a background bulk job commits at a time
CHECKPOINT_TTL = 24 * 3600  # seconds where a bulk job got to is kept (for Frappe's retries)
EXPORT_FIELDS = (
	("name", "ID"),
	("title", "Title"),
	("customer_name", "Customer Name"),
	("opportunity_owner", "Opportunity Owner"),
	("deal_pipeline", "Pipeline"),
	("deal_stage", "Stage"),
	("status", "Status"),
	("opportunity_amount", "Opportunity Amount"),
	("currency", "Currency"),
	("probability", "Probability (%)"),
	("expected_closing", "Expected Closing Date"),
	("_user_tags", "Tags"),
)


@whitelist(methods=["POST"])
def run(
	action: Literal[rules.ACTIONS],  # type: ignore[valid-type]
	names: list[str],
	owner: str | None = None,
	stage: str | None = None,
	label: str | None = None,
	lost_reason: str | None = None,
) -> dict:
	"""Run `action` on the deals `names`. Returns the report: how many were done, which were refused
	and why; or, for a large selection, that a background job runs it (`queued`); for an export the
	columns and rows."""
	frappe.has_permission(DOCTYPE, "read", throw=True)
	names = check_names(names)
	args = check_arguments(action, owner=owner, stage=stage, label=label, lost_reason=lost_reason)
	if action == rules.EXPORT:
		return export(names)
	return run_or_enqueue("korus_crm.deals.bulk.run_job", action, names, args, process)


def check_names(names: list[str]) -> list[str]:
	return check_selection(
		names,
		{
			"empty": _("Select at least one deal."),
			"too many": _("Select at most {0} deals at a time.").format(rules.MAX_NAMES),
			"blank": _("A selected deal has no name."),
		},
		BulkActionError,
	)


def check_selection(names: list[str], messages: dict[str, str], error: type[Exception]) -> list[str]:
	"""The selected names, each once; refused (`error`, with `messages` per problem: "empty", "too
	many", "blank") when there are none, too many or a blank one. Shared by every bulk action."""
	problem = rules.names_problem(names)
	if problem:
		frappe.throw(messages[problem], error)
	return rules.unique_names(names)


def run_or_enqueue(job: str, action: str, names: list[str], args: dict, process, key: str = "names") -> dict:
	"""Run a bulk action at once, or (above the threshold) as `job` on the long queue after the
	request commits, passing the names as `key`. The same user asking for the same action on the
	same selection again while its job is queued queues nothing more. Shared by every bulk action."""
	if rules.runs_in_background(action, len(names)):
		jobs.enqueue(
			job,
			job_id=jobs.selection_key(job, frappe.session.user, action, names, args),
			timeout=3600,
			action=action,
			args=args,
			**{key: names},
		)
		return {"action": action, "total": len(names), "queued": True}
	return {**process(action, names, args), "queued": False}


def check_arguments(action: str, **given) -> dict:
	missing = rules.missing_arguments(action, given)
	if missing:
		frappe.throw(
			_("{0} needs {1}.").format(frappe.bold(_(action_label(action))), frappe.bold(missing[0])),
			BulkActionError,
		)
	args = {k: v.strip() for k, v in given.items() if v and k in (*rules.NEEDS[action], "lost_reason")}
	if action == rules.ASSIGN and not frappe.db.get_value("User", {"name": args["owner"], "enabled": 1}):
		frappe.throw(_("{0} is not an enabled user.").format(frappe.bold(args["owner"])), BulkActionError)
	if action == rules.CHANGE_STAGE and not frappe.db.exists("Deal Stage", args["stage"]):
		frappe.throw(_("{0} is not a deal stage.").format(frappe.bold(args["stage"])), BulkActionError)
	if action in (rules.ADD_LABEL, rules.REMOVE_LABEL):
		problem = rules.label_problem(args["label"])
		if problem == "comma":
			frappe.throw(_("A label cannot contain a comma."), BulkActionError)
		if problem == "long":
			frappe.throw(
				_("A label has at most {0} characters.").format(rules.MAX_LABEL_LENGTH), BulkActionError
			)
	return args


def action_label(action: str) -> str:
	return {
		rules.ASSIGN: "Assign",
		rules.CHANGE_STAGE: "Change Stage",
		rules.ADD_LABEL: "Add Label",
		rules.REMOVE_LABEL: "Remove Label",
		rules.DELETE: "Delete",
		rules.EXPORT: "Export",
	}[action]


# --- processing ---


def process(action: str, names: list[str], args: dict, progress: bool = False, checkpoint=None) -> dict:
	"""Each deal on its own (a savepoint each): a refused one is rolled back and reported."""
	title = _("{0}: deals").format(_(action_label(action)))
	return {"action": action, **process_each(names, ACTIONS[action], args, title, progress, checkpoint)}


def process_each(
	names: list[str], act, args: dict, title: str, progress: bool = False, checkpoint: str | None = None
) -> dict:
	"""`act(name, args)` on each record on its own (a savepoint each): a refused one is rolled back
	and reported with its reason, the others go on; with `progress`, Frappe's progress bar follows
	(also used by the catalogue's bulk actions, korus_crm.catalogue.bulk).

	With `checkpoint` (a background job: korus_crm.jobs.checkpoint_key), the work is committed every
	COMMIT_EVERY records and where it got to is kept in Redis under that key, so that a long job
	does not hold every record locked in one transaction, and a job Frappe retries after a deadlock
	goes on from its last commit (records before it are not done, nor reported, twice)."""
	state = (frappe.cache.get_value(checkpoint, expires=True) if checkpoint else None) or {}
	start, done, failed = state.get("next", 0), state.get("done", 0), list(state.get("failed", []))
	points = rules.progress_points(len(names)) if progress else set()
	for count, name in enumerate(names, start=1):
		if count <= start:
			continue  # committed by this job before Frappe retried it
		frappe.db.savepoint("korus_bulk_deal")
		try:
			act(name, args)
			done += 1
		except Exception as e:
			if isinstance(e, frappe.QueryDeadlockError | frappe.QueryTimeoutError):
				raise  # the database gave up the whole transaction: nothing to report per record
			frappe.db.rollback(save_point="korus_bulk_deal")
			failed.append({"name": name, "error": reason(e)})
		frappe.local.message_log = []
		if checkpoint and (count % COMMIT_EVERY == 0 or count == len(names)):
			frappe.db.commit()
			state = {"next": count, "done": done, "failed": failed}
			frappe.cache.set_value(checkpoint, state, expires_in_sec=CHECKPOINT_TTL)
		if count in points:
			frappe.publish_progress(
				count * 100 / len(names), title=title, description=_("{0} of {1}").format(count, len(names))
			)
	return {"total": len(names), "done": done, "failed": failed}


def reason(error: Exception) -> str:
	if isinstance(error, frappe.DoesNotExistError):
		return _("Not found")
	if isinstance(error, frappe.PermissionError):
		return _("Not permitted")
	return strip_html(str(error)) or type(error).__name__


@jobs.job
def run_job(action: str, names: list[str], args: dict) -> dict:
	"""The background job of a large selection (runs as the user who asked)."""
	return run_in_job(
		DOCTYPE,
		names,
		lambda checkpoint: process(action, names, args, progress=True, checkpoint=checkpoint),
		lambda r: _("{0} on {1} deals: {2} done, {3} refused.").format(
			_(action_label(action)), r["total"], r["done"], len(r["failed"])
		),
	)


def run_in_job(doctype: str, names: list[str], process_all, subject_of) -> dict:
	"""The body of a bulk action's background job (also the catalogue's, korus_crm.catalogue.bulk):
	`process_all(checkpoint)` committed in steps, so that a retry after a deadlock goes on from the
	last one (process_each); then the user is told what was done and what was refused, and why."""
	checkpoint = jobs.checkpoint_key()
	report = process_all(checkpoint)
	message = "".join(
		f"<p>{frappe.utils.escape_html(f['name'])}: {frappe.utils.escape_html(f['error'])}</p>"
		for f in report["failed"][:50]
	)
	notify.tell(
		frappe.session.user,
		doctype,
		names[0],
		subject_of(report),
		message or None,
		include_current_user=True,
		email=False,
	)
	if checkpoint:
		frappe.cache.delete_value(checkpoint)
	return report


def assign(name: str, args: dict) -> None:
	doc = frappe.get_doc(DOCTYPE, name)
	doc.check_permission("write")
	doc.opportunity_owner = args["owner"]
	doc.save()


def change_stage(name: str, args: dict) -> None:
	from korus_crm.api.deals import move_deal

	move_deal(deal=name, stage=args["stage"], lost_reason=args.get("lost_reason"))


def add_label(name: str, args: dict) -> None:
	frappe.get_doc(DOCTYPE, name).check_permission("write")
	DocTags(DOCTYPE).add(name, args["label"])


def remove_label(name: str, args: dict) -> None:
	frappe.get_doc(DOCTYPE, name).check_permission("write")
	DocTags(DOCTYPE).remove(name, args["label"])


def delete(name: str, args: dict) -> None:
	recycle_bin = recycle_bin_module()
	frappe.get_doc(DOCTYPE, name).check_permission("delete")
	recycle_bin.recycle(DOCTYPE, name)


def recycle_bin_module():
	try:
		return frappe.get_module("korus_crm.customers.recycle_bin")
	except ImportError:
		frappe.throw(_("The recycle bin is not available."), BulkActionError)


ACTIONS = {
	rules.ASSIGN: assign,
	rules.CHANGE_STAGE: change_stage,
	rules.ADD_LABEL: add_label,
	rules.REMOVE_LABEL: remove_label,
	rules.DELETE: delete,
}


# --- export ---


@frappe.read_only()
def export(names: list[str]) -> dict:
	"""The selected deals the user may read, as columns and rows (the desk downloads them as CSV)."""
	frappe.has_permission(DOCTYPE, "export", throw=True)
	rows = frappe.get_list(
		DOCTYPE,
		filters={"name": ("in", names)},
		fields=[f for f, _label in EXPORT_FIELDS],
		order_by="modified desc",
		limit_page_length=rules.MAX_NAMES,
	)
	for row in rows:
		row["_user_tags"] = ", ".join(t for t in (row.get("_user_tags") or "").split(",") if t)
	return {
		"action": rules.EXPORT,
		"total": len(names),
		"columns": [_(label) for _f, label in EXPORT_FIELDS],
		"rows": [[row.get(f) for f, _label in EXPORT_FIELDS] for row in rows],
		"queued": False,
	}
