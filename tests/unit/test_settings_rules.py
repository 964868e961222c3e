"""Rules of the Korus CRM Settings export format."""

import pytest

from korus_crm.rules import settings_io

GOOD = {
	"format": settings_io.FORMAT,
	"version": settings_io.VERSION,
	"lead_statuses": [{"status_name": "New"}],
	"pipelines": [{"pipeline_name": "Sales", "stages": [{"stage_name": "A"}]}],
}


def test_a_valid_export_passes():
	assert settings_io.check_export(GOOD) is GOOD


@pytest.mark.parametrize(
	"bad",
	[
		[],
		{**GOOD, "format": "other"},
		{**GOOD, "version": 99},
		{**GOOD, "lead_statuses": None},
		{**GOOD, "lead_statuses": [{"color": "#fff"}]},
		{**GOOD, "pipelines": [{"stages": []}]},
		{**GOOD, "pipelines": [{"pipeline_name": "X", "stages": "A,B"}]},
	],
)
def test_invalid_exports_are_refused(bad):
	with pytest.raises(settings_io.SettingsFormatError):
		settings_io.check_export(bad)
