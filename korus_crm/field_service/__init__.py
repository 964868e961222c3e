"""Field service (issue 13, docs/field-service.md): service jobs, the job pool, the dispatch board
and the ERPNext documents a completed job makes.

- jobs.py: the Service Job's rules on every save (status moves and their needs, the status history,
  the double-booking check under a lock on the technician), notices, "my jobs today", data scope;
- availability.py: a technician's holidays (their Employee's Holiday List) and approved leave;
- dispatch.py: what the dispatch board and the pool read, and the one way a job is given a
  technician and a time (`schedule_job`), used by the board, the pool and `take_job`;
- billing.py: the Sales Invoice (stock from the technician's or branch's warehouse) and the
  Maintenance Visit of a completed job.

The pure rules are korus_crm.rules.field_service.
"""
