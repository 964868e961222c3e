"""Every way in goes through korus_crm.boundary: whitelisted methods use its decorator (Frappe's own
argument check skips string annotations and answers in English), and every Korus controller takes
its input through CheckedDocument."""

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "korus_crm"


def python_files():
	return [p for p in APP.rglob("*.py") if "__pycache__" not in p.parts]


def test_no_module_whitelists_with_frappe_directly():
	offenders = [
		str(p.relative_to(APP))
		for p in python_files()
		if p.name != "boundary.py" and re.search(r"@frappe\.whitelist\(", p.read_text())
	]
	assert offenders == []


def test_every_korus_controller_checks_its_input():
	controllers = [p for p in (APP / "korus_crm" / "doctype").glob("*/*.py") if not p.name.startswith("__")]
	assert controllers
	plain = [
		str(p.relative_to(APP))
		for p in controllers
		if re.search(r"^class \w+\(Document\):", p.read_text(), re.M)
	]
	assert plain == []
