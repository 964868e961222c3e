"""The unit tier must run on a bare Python: nothing it imports may pull in Frappe."""

import subprocess
import sys
from pathlib import Path

RULES = Path(__file__).resolve().parents[2] / "korus_crm" / "rules"


def test_rules_modules_import_without_frappe():
	modules = sorted(f"korus_crm.rules.{p.stem}" for p in RULES.glob("*.py") if p.stem != "__init__")
	assert modules, "no rules modules found"
	code = (
		"import sys, importlib\n"
		"sys.modules['frappe'] = None  # any import of frappe now fails\n"
		f"for m in {modules!r}: importlib.import_module(m)\n"
		"print('ok')\n"
	)
	out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
	assert out.returncode == 0, out.stderr
	assert out.stdout.strip() == "ok"
