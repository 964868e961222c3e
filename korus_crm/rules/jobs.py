"""Background jobs' naming rules (korus_crm.jobs, docs/workers.md): no Frappe here.

A job id names the work, not the moment: two requests (or two ticks) asking for the same work get
the same id, and Frappe's `enqueue(job_id=..., deduplicate=True)` queues it once while it is queued
or running. Frappe prefixes the id with the site, so ids only need to be unique within a site.
"""

from __future__ import annotations

import hashlib
import json

SHORT, DEFAULT, LONG = "short", "default", "long"
QUEUES = (SHORT, DEFAULT, LONG)
PREFIX = "korus"


def job_id(kind: str, *parts: object) -> str:
	"""`korus-<kind>::<part>::<part>`; a part that is not a short plain string (a selection, a
	dict of arguments) is replaced by a digest of its JSON, so the id stays short and stable."""
	if not kind or "::" in kind:
		raise ValueError(f"not a job kind: {kind!r}")
	return "::".join([f"{PREFIX}-{kind}", *(_part(p) for p in parts)])


def _part(value: object) -> str:
	if isinstance(value, str) and len(value) <= 140 and "::" not in value:
		return value
	return digest(value)


def digest(value: object) -> str:
	"""A short stable digest of a JSON-able value (lists keep their order: callers sort them)."""
	text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
	return hashlib.sha1(text.encode()).hexdigest()[:16]


def selection_id(kind: str, user: str, action: str, names: list[str], args: dict | None = None) -> str:
	"""A bulk action's job id: the same user asking for the same action on the same records (in any
	order) with the same arguments is the same job."""
	return job_id(kind, user, action, digest({"names": sorted(names), "args": args or {}}))
