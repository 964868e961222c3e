"""Serve one Frappe site over HTTP on loopback, for the UI journeys (and wkhtmltopdf) of a test run.

	cd $FRAPPE_BENCH/sites && ../env/bin/python serve_site.py SITE PORT_FILE [PORT]

What `bench --site SITE serve` does (frappe/app.py serve(): the site fixed whatever the Host header
says, /assets and /files served by Frappe's own application_with_statics()), but bound to 127.0.0.1
instead of 0.0.0.0, without reloader or debugger, threaded (wkhtmltopdf fetches the print stylesheet
from this same server while a PDF request is in progress). PORT 0 (the default) takes a free port;
the port is written to PORT_FILE once the server listens. scripts/test starts and stops it.
"""

from __future__ import annotations

import logging
import os
import sys


def main() -> None:
	site, port_file = sys.argv[1], sys.argv[2]
	port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
	if not os.path.isfile(os.path.join(site, "site_config.json")):
		sys.exit(f"serve_site.py: no site {site!r} in {os.getcwd()} (run it from the bench's sites folder)")

	import frappe.app
	from werkzeug.serving import make_server

	frappe.app._site = site
	frappe.app._sites_path = "."
	application = frappe.app.application_with_statics()
	logging.getLogger("werkzeug").setLevel(logging.ERROR)

	server = make_server("127.0.0.1", port, application, threaded=True)
	tmp = f"{port_file}.tmp"
	with open(tmp, "w") as f:
		f.write(f"{server.server_port}\n")
	os.replace(tmp, port_file)
	print(f"serving {site} on http://127.0.0.1:{server.server_port}", flush=True)
	server.serve_forever()


if __name__ == "__main__":
	main()
