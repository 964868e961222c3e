"""The "exactly one default" rule shared by lead statuses and deal pipelines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultPlan:
	"""What saving one record means for the "exactly one default" rule."""

	is_default: bool  # the value the saved record must end up with
	clear_default_on: tuple[str, ...]  # other records that must stop being the default


class NoDefaultLeft(Exception):
	"""Saving would leave no default."""


def plan_default(name: str, wants_default: bool, current_defaults: Iterable[str]) -> DefaultPlan:
	"""Keep exactly one default record (a status, a pipeline).

	- a record saved as default takes it over from every other one;
	- the first record (no default exists yet) becomes the default even if not asked;
	- the default cannot simply be unchecked: another record must be made the default instead.
	"""
	others = tuple(sorted(d for d in current_defaults if d != name))
	if wants_default:
		return DefaultPlan(True, others)
	if others:
		return DefaultPlan(False, ())
	if name in set(current_defaults):
		raise NoDefaultLeft(name)
	return DefaultPlan(True, ())
