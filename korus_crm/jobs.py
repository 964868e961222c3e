"""Korus's background jobs on Frappe's RQ workers (docs/workers.md): the queue of each job, the job
ids that deduplicate, and what every job shares.

- `enqueue` is `frappe.enqueue` after the request's commit, on the job's queue (`JOBS`), with
  `job_id` + `deduplicate=True` when the work has a name (two users or two ticks asking for it queue
  it once: `enqueue_now`), and the asking user passed along (`USER_ARG`).
- `@job` on a job function: it runs as the user who asked, also when Frappe retries it, and a
  deadlock or a lock wait timeout becomes `frappe.RetryBackgroundJobError`, which Frappe's
  `execute_job` rolls back and retries (up to 5 times, waiting 1, 2, ... s). Frappe v15 turns those
  database errors into `frappe.QueryDeadlockError` / `QueryTimeoutError` before `execute_job` sees
  them, and its retry forgets the job's user: both are handled here, nothing else is added.
  Called in-process (inline work of a small request, tests) the function runs as it is.

Scheduled events (hooks.py `scheduler_events`) are Frappe's: its scheduler queues each at most once
(`scheduled_job::<method>`), "daily" / cron on the default queue, "daily_long" on long; a failure is
in the Scheduled Job Log and the next tick runs it again. Every Korus job is idempotent (see JOBS).
"""

from __future__ import annotations

import functools

import frappe
from frappe.utils import background_jobs
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import get_current_job
from rq.job import JobStatus

from korus_crm.rules import jobs as rules
from korus_crm.rules.jobs import DEFAULT, LONG, SHORT  # noqa: F401

key = rules.job_id  # a job id: key("rotting", stage)
selection_key = rules.selection_id  # a bulk action's job id

USER_ARG = "korus_user"

# every job Korus enqueues: its queue, and why running it twice (a retry, a repeat) does no harm
JOBS: dict[str, tuple[str, str]] = {
	"korus_crm.selling.won_deals.make_contract_order": (
		SHORT,
		"one contract order per deal, made under a row lock on the deal",
	),
	"korus_crm.tasks.assignees.refresh_group_tasks": (
		SHORT,
		"saves only the tasks whose assignees differ from the group's members",
	),
	"korus_crm.office.announcements.notify_audience": (
		LONG,
		"notified_on, set under a row lock with the notifications: announced once",
	),
	"korus_crm.deals.rotting.recompute_stage": (LONG, "recomputes the dates from the stage's rule"),
	"korus_crm.customers.pool.recompute_due_dates": (LONG, "recomputes the dates from the pool's rules"),
	"korus_crm.scope.restamp_owner": (LONG, "sets the owner's current place; recounts from the table"),
	"korus_crm.boards.counts.recount_all": (LONG, "rebuilds the counters from the tables"),
	"korus_crm.customers.duplicates.backfill_keys": (LONG, "writes only keys that differ"),
	"korus_crm.customers.recycle_bin.purge_chunk": (LONG, "skips records no longer in the bin"),
	"korus_crm.customers.recycle_bin.recycle_many": (LONG, "one transaction; a binned record is refused"),
	"korus_crm.deals.bulk.run_job": (LONG, "commits every 50 records; a retry goes on from there"),
	"korus_crm.catalogue.bulk.run_job": (LONG, "commits every 50 records; a retry goes on from there"),
}


def enqueue(method: str, *, job_id: str | None = None, timeout: int | None = None, **kwargs) -> None:
	"""Queue `method` (a key of JOBS) on its queue once the request commits (nothing on a rollback),
	as the current user. With a `job_id`, the work is queued once: see `enqueue_now`."""
	kwargs[USER_ARG] = frappe.session.user
	if job_id:
		pending = getattr(frappe.local, "korus_jobs_pending", None)
		if pending is None:
			pending = frappe.local.korus_jobs_pending = set()
		if job_id in pending:
			return  # already asked for in this transaction
		pending.add(job_id)
		for callbacks in (frappe.db.after_commit, frappe.db.after_rollback):
			callbacks.add(functools.partial(pending.discard, job_id))
	frappe.db.after_commit.add(functools.partial(enqueue_now, method, job_id, timeout, kwargs))


def enqueue_now(method: str, job_id: str | None, timeout: int | None, kwargs: dict):
	"""Queue the job now (after the commit of what it is about). Deduplicated when it has an id: a job
	of that id still queued will read what was just committed, so nothing more is queued; one that
	is running may have read before the commit, so one more is queued behind it, under the id's
	second slot (at most one queued per id). Checked here, after the commit, not in the request:
	Frappe's own check runs when `frappe.enqueue` is called, and a job queued then may have started
	before the request commits."""
	queue = JOBS[method][0]
	if not job_id:
		return frappe.enqueue(method, queue=queue, timeout=timeout, **kwargs)
	slots = (job_id, f"{job_id}::again")
	try:
		states = [background_jobs.get_job_status(slot) for slot in slots]
	except RedisConnectionError:
		states = [None, None]  # frappe.enqueue knows what to do without Redis (e.g. during migrate)
	if JobStatus.QUEUED in states:
		return None
	free = next((slot for slot, state in zip(slots, states, strict=True) if state != JobStatus.STARTED), None)
	if free is None:  # both running, each maybe from before the commit: one more, not deduplicated
		return frappe.enqueue(method, queue=queue, timeout=timeout, **kwargs)
	return frappe.enqueue(method, queue=queue, timeout=timeout, job_id=free, deduplicate=True, **kwargs)


def checkpoint_key() -> str | None:
	"""A key for where the running job got to (see korus_crm.deals.bulk.process_each): the same across
	Frappe's retries of the job, another each time it is queued; None outside a worker."""
	current = get_current_job()
	if current is None:
		return None
	return f"korus-checkpoint::{current.id}::{current.enqueued_at.isoformat() if current.enqueued_at else ''}"


def job(fn):
	"""A job function: as a job (called with USER_ARG) it runs as that user, and a deadlock or lock
	wait timeout is retried by Frappe; called directly it is the plain function."""

	@functools.wraps(fn)
	def run(*args, **kwargs):
		user = kwargs.pop(USER_ARG, None)
		if not user:
			return fn(*args, **kwargs)
		if frappe.session.user != user:
			frappe.set_user(user)  # Frappe's retry of a job starts as Administrator
		try:
			return fn(*args, **kwargs)
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError) as e:
			raise frappe.RetryBackgroundJobError(str(e)) from e

	return run
