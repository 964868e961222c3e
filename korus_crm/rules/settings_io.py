"""Rules of Korus CRM Settings export/import (seed 002 "CRM Settings"): the document format."""

from __future__ import annotations

FORMAT = "korus-crm-settings"
VERSION = 1


class SettingsFormatError(ValueError):
	pass


def check_export(data: object) -> dict:
	"""Validate an imported settings document; returns it. Raises SettingsFormatError."""
	if not isinstance(data, dict) or data.get("format") != FORMAT:
		raise SettingsFormatError("not a Korus CRM settings export")
	if data.get("version") != VERSION:
		raise SettingsFormatError(f"unsupported version {data.get('version')!r}")
	for key in ("lead_statuses", "pipelines"):
		if not isinstance(data.get(key), list):
			raise SettingsFormatError(f"missing list {key!r}")
	for status in data["lead_statuses"]:
		if not isinstance(status, dict) or not status.get("status_name"):
			raise SettingsFormatError("a lead status without status_name")
	for pipeline in data["pipelines"]:
		if not isinstance(pipeline, dict) or not pipeline.get("pipeline_name"):
			raise SettingsFormatError("a pipeline without pipeline_name")
		if not isinstance(pipeline.get("stages", []), list):
			raise SettingsFormatError("a pipeline whose stages are not a list")
	return data
