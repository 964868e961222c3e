"""Korus Tasks (seed 004 任务, seed 001 Zadania; docs/tasks.md): a task with a subject, description,
priority, status, start and due time, assigned to a user or a User Group, about a lead, deal,
customer or order, with reminders before the due time and when it is overdue.

- `access`: who reads, writes and deletes a task (Frappe's permission hooks) and who may assign it;
- `reminders`: the scheduler job that sends the reminders, each once;
- `assignees`: a task's assignees (the user, or the members of its group), kept up to date;
- `api`: the desk's whitelisted methods (views, assignable users, calendar, tasks of a record).

The rules are plain functions in korus_crm.rules.tasks; the controller is
korus_crm/korus_crm/doctype/korus_task/korus_task.py.
"""

DOCTYPE = "Korus Task"
ASSIGNEE_DOCTYPE = "Korus Task Assignee"
