"""Rules of bulk actions on deals (seed 003): which actions there are, how many records one request
may name, when the work goes to a background job, and what a label may look like.

Each deal is processed on its own, with the user's permissions: one refused deal is reported and the
others go on. Up to `INLINE_LIMIT` deals are processed in the request; more go to a background job
that reports its progress and tells the user when it is done.
"""

from __future__ import annotations

ASSIGN = "assign"
CHANGE_STAGE = "change_stage"
ADD_LABEL = "add_label"
REMOVE_LABEL = "remove_label"
DELETE = "delete"
EXPORT = "export"
ACTIONS: tuple[str, ...] = (ASSIGN, CHANGE_STAGE, ADD_LABEL, REMOVE_LABEL, DELETE, EXPORT)

# what each action needs besides the names
NEEDS: dict[str, tuple[str, ...]] = {
	ASSIGN: ("owner",),
	CHANGE_STAGE: ("stage",),
	ADD_LABEL: ("label",),
	REMOVE_LABEL: ("label",),
	DELETE: (),
	EXPORT: (),
}

INLINE_LIMIT = 200  # processed in the request; more go to a background job
MAX_NAMES = 10_000  # one request names at most this many deals
PROGRESS_EVERY = 25  # a background job publishes its progress every this many deals
MAX_LABEL_LENGTH = 100


def names_problem(names: list[str]) -> str | None:
	"""Why a selection cannot be processed: "empty", "too many" or "blank" (a name that is empty)."""
	if not names:
		return "empty"
	if len(names) > MAX_NAMES:
		return "too many"
	if any(not isinstance(n, str) or not n.strip() for n in names):
		return "blank"
	return None


def unique_names(names: list[str]) -> list[str]:
	"""The selection without repeats, in its order."""
	return list(dict.fromkeys(n.strip() for n in names))


def missing_arguments(action: str, given: dict) -> list[str]:
	"""The arguments `action` needs that are not given."""
	return [arg for arg in NEEDS[action] if not (given.get(arg) or "").strip()]


def runs_in_background(action: str, count: int) -> bool:
	"""Whether the selection goes to a background job (an export is one query: never)."""
	return action != EXPORT and count > INLINE_LIMIT


def label_problem(label: str) -> str | None:
	"""Why a label cannot be used: "empty", "comma" (Frappe stores tags comma-separated) or "long"."""
	label = (label or "").strip()
	if not label:
		return "empty"
	if "," in label:
		return "comma"
	if len(label) > MAX_LABEL_LENGTH:
		return "long"
	return None


def progress_points(total: int, every: int = PROGRESS_EVERY) -> set[int]:
	"""The counts of processed deals after which a job publishes its progress (and the last)."""
	return {n for n in range(every, total + 1, every)} | ({total} if total else set())
