"""The work behind `bench --site S korus …` (korus_crm.commands holds the click commands; this
package the functions they call, on the current connection). docs/commands.md."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import frappe

# exit codes of every korus command
OK, FAILED, USAGE = 0, 1, 2


@contextmanager
def connected(site: str) -> Iterator[bool]:
	"""Connect to `site` as Administrator for a command; yields whether the command may commit.

	Invoked from the integration tests (click's CliRunner, in the test's own connection to the same
	site), the test's connection and transaction are used and nothing is committed (the test rolls
	back); from bench, a connection of its own that is closed afterwards."""
	flags = getattr(frappe.local, "flags", None)  # unbound before frappe.init
	in_test = flags is not None and flags.in_test
	if in_test and getattr(frappe.local, "site", None) == site and getattr(frappe.local, "db", None):
		yield False
		return
	frappe.init(site=site)
	frappe.connect()
	try:
		yield True
	finally:
		frappe.destroy()
