"""Korus's background jobs on Frappe's RQ (korus_crm.jobs, docs/workers.md): every job goes through
one helper, on its queue, once per piece of work (deduplicated after the commit), and a job that hits
a deadlock is rolled back and retried by Frappe's own `execute_job`, as the user who asked, doing no
harm.

Jobs are queued on the bench's Redis, but in a queue of this test's own that no worker listens to,
and deleted afterwards: nothing runs on the bench's workers."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from unittest.mock import patch

import frappe
import pytest
from frappe.utils import background_jobs
from rq import Queue
from rq.job import JobStatus

from korus_crm import jobs
from korus_crm.deals import bulk
from tests.integration.factories import make_deal, make_pipeline
from tests.integration.support import new_user

APP = Path(jobs.__file__).resolve().parent


class PrivateQueues:
	"""Frappe's queues replaced by queues of this test's own (on the same Redis)."""

	def __init__(self) -> None:
		self.prefix = f"korus-test-{uuid.uuid4().hex[:8]}"
		self.used: list[str] = []
		self.queues: dict[str, Queue] = {}

	def get_queue(self, qtype: str, is_async: bool = True) -> Queue:
		self.used.append(qtype)
		if qtype not in self.queues:
			name = f"{self.prefix}:{qtype}"
			self.queues[qtype] = Queue(name, connection=background_jobs.get_redis_conn(), is_async=is_async)
		return self.queues[qtype]

	def jobs(self) -> list:
		return [job for q in self.queues.values() for job in q.get_jobs()]

	def delete(self) -> None:
		for q in self.queues.values():
			q.delete(delete_jobs=True)


@pytest.fixture
def queues():
	private = PrivateQueues()
	with patch.object(background_jobs, "get_queue", private.get_queue):
		yield private
	private.delete()


def commit_callbacks() -> None:
	"""What the request's commit runs after committing (the test's data is rolled back as usual)."""
	frappe.db.after_commit.run()
	frappe.db.after_rollback.reset()


def ask_for_recount(queues: PrivateQueues) -> None:
	"""The recount, under a job id of this test's own (a real one left queued would hold off the
	site's own recounts)."""
	jobs.enqueue("korus_crm.boards.counts.recount_all", job_id=jobs.key("recount-all", queues.prefix))


class TestDeduplication:
	def test_asking_twice_in_a_request_queues_one_job_after_the_commit(self, queues):
		ask_for_recount(queues)
		ask_for_recount(queues)
		assert queues.jobs() == []  # nothing before the commit
		commit_callbacks()
		assert len(queues.jobs()) == 1

	def test_a_second_request_while_the_job_is_queued_queues_nothing(self, queues):
		ask_for_recount(queues)
		commit_callbacks()
		ask_for_recount(queues)  # another user, another tick
		commit_callbacks()
		assert len(queues.jobs()) == 1

	def test_a_request_while_the_job_runs_queues_one_more_behind_it(self, queues):
		ask_for_recount(queues)
		commit_callbacks()
		(running,) = queues.jobs()
		running.set_status(JobStatus.STARTED)  # a worker took it: it may have read before our commit
		queues.queues["long"].remove(running)
		for _ in range(3):
			ask_for_recount(queues)
			commit_callbacks()
		(again,) = queues.jobs()
		assert again.id.endswith(f"korus-recount-all::{queues.prefix}::again")
		running.delete()

	def test_nothing_is_queued_when_the_request_rolls_back(self, queues):
		ask_for_recount(queues)
		frappe.db.rollback()
		commit_callbacks()
		assert queues.jobs() == []
		ask_for_recount(queues)  # and the same request may ask again afterwards
		commit_callbacks()
		assert len(queues.jobs()) == 1

	def test_the_same_bulk_selection_twice_is_one_job_another_selection_another(self, queues):
		names = [f"CRM-OPP-NONE-{i}" for i in range(300)]
		with patch.object(bulk.rules, "INLINE_LIMIT", 10):
			for selection in (names, list(reversed(names)), names[:-1]):
				assert bulk.run("add_label", selection, label="Twice")["queued"] is True
				commit_callbacks()
		assert len(queues.jobs()) == 2


class TestQueues:
	def test_every_enqueue_goes_through_korus_crm_jobs(self):
		callers = [
			str(path.relative_to(APP.parent))
			for path in APP.rglob("*.py")
			if path.name != "jobs.py" and re.search(r"frappe\.enqueue\(|enqueue_doc\(", path.read_text())
		]
		assert callers == []

	def test_each_job_runs_on_its_queue_as_the_user_who_asked_and_is_retried(self, queues):
		assert {queue for queue, _why in jobs.JOBS.values()} <= {jobs.SHORT, jobs.LONG}
		user = new_user("Sales User")
		frappe.set_user(user)
		for method in jobs.JOBS:
			jobs.enqueue(method, job_id=jobs.key("queue-test", queues.prefix, method))
		frappe.set_user("Administrator")
		commit_callbacks()
		assert queues.used == [queue for queue, _why in jobs.JOBS.values()]
		queued = {job.kwargs["method"]: job for job in queues.jobs()}
		assert set(queued) == set(jobs.JOBS)
		for method, job in queued.items():
			assert job.kwargs["kwargs"][jobs.USER_ARG] == user
			assert hasattr(frappe.get_attr(method), "__wrapped__"), f"{method} is not a @jobs.job"

	def test_bulk_and_recounts_are_long_quick_per_record_work_is_short(self):
		assert jobs.JOBS["korus_crm.deals.bulk.run_job"][0] == jobs.LONG
		assert jobs.JOBS["korus_crm.boards.counts.recount_all"][0] == jobs.LONG
		assert jobs.JOBS["korus_crm.selling.won_deals.make_contract_order"][0] == jobs.SHORT

	def test_the_daily_recount_is_a_long_scheduled_job(self):
		events = frappe.get_hooks("scheduler_events")
		assert "korus_crm.boards.counts.recount_all" in events["daily_long"]
		assert "korus_crm.boards.counts.recount_all" not in events["daily"]


class TestRetries:
	def test_a_deadlock_in_a_job_asks_frappe_for_a_retry_called_directly_it_is_raised(self):
		@jobs.job
		def deadlocks():
			raise frappe.QueryDeadlockError("1213")

		with pytest.raises(frappe.RetryBackgroundJobError):
			deadlocks(**{jobs.USER_ARG: "Administrator"})
		with pytest.raises(frappe.QueryDeadlockError):
			deadlocks()

	@pytest.mark.parametrize("commit_every", [50, 1], ids=["one-step", "committed-in-steps"])
	def test_a_bulk_job_retried_after_a_deadlock_does_each_deal_once_as_the_user(self, commit_every):
		"""Frappe's execute_job itself: the first run deadlocks at the second deal and is rolled back
		to its last commit; the retry (which Frappe starts as Administrator) runs as the user and goes
		on from there: every deal done once, one notice. In steps of one deal, the first deal's
		commit stands and is not done again."""
		pipeline = make_pipeline().name
		seller = new_user("Sales User", "Sales Manager")
		names = [make_deal(deal_pipeline=pipeline, opportunity_owner=seller).name for _ in range(3)]
		owner = new_user("Sales User")
		runs, users = [], []
		real_assign, real_rollback = bulk.ACTIONS["assign"], frappe.db.rollback
		checkpoint = f"korus-test-checkpoint::{uuid.uuid4().hex}"

		def assign(name, args):
			users.append(frappe.session.user)
			runs.append(name)
			if len(runs) == 2:  # the first run, second deal: the database gives up
				raise frappe.QueryDeadlockError("(1213, 'Deadlock found when trying to get lock')")
			real_assign(name, args)

		frappe.db.savepoint("korus_job")  # a commit of the job: what a rollback goes back to
		with (
			patch.dict(bulk.ACTIONS, {"assign": assign}),
			patch.object(bulk, "COMMIT_EVERY", commit_every),
			patch.object(jobs, "checkpoint_key", lambda: checkpoint),
			patch.object(frappe.db, "rollback", lambda **kw: real_rollback(save_point="korus_job")),
			patch.object(frappe.db, "commit", lambda: frappe.db.savepoint("korus_job")),
			patch.object(frappe, "destroy", lambda: None),
			patch.object(background_jobs.time, "sleep", lambda s: None),
			patch.object(frappe, "publish_progress", lambda *a, **kw: None),
		):
			frappe.set_user("Administrator")
			report = background_jobs.execute_job(
				frappe.local.site,
				"korus_crm.deals.bulk.run_job",
				None,
				"korus_crm.deals.bulk.run_job",
				{"action": "assign", "names": names, "args": {"owner": owner}, jobs.USER_ARG: seller},
				user=seller,
				is_async=False,
			)
		if commit_every == 1:
			assert runs == [names[0], names[1], names[1], names[2]]  # on from the first's commit
		else:
			assert runs == [names[0], names[1], *names]  # rolled back after two, then all three
		assert set(users) == {seller}
		assert (report["done"], report["failed"]) == (3, [])
		assert {frappe.db.get_value("Opportunity", n, "opportunity_owner") for n in names} == {owner}
		notices = frappe.get_all(
			"Notification Log", filters={"for_user": seller, "document_name": names[0]}, pluck="subject"
		)
		assert len(notices) == 1  # told once, not once per attempt
		assert frappe.cache.get_value(checkpoint, expires=True) is None  # forgotten once done
