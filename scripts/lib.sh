# Shared helpers for scripts/setup and scripts/test. Sourced, never run.
# shellcheck shell=bash

BENCH_USER="${BENCH_USER:-frappe}"
FRAPPE_BENCH="${FRAPPE_BENCH:-/home/${BENCH_USER}/frappe-bench}"
KORUS_SITE="${KORUS_SITE:-korus.localhost}"
KORUS_PORT="${KORUS_PORT:-8000}"
# The CLI lives in its own virtualenv beside the bench, so that several benches of one user share it.
BENCH_CLI_VENV="${BENCH_CLI_VENV:-$(dirname "$FRAPPE_BENCH")/.bench-cli}"
MARIADB_CNF=/etc/mysql/mariadb.conf.d/99-korus-frappe.cnf

say() { printf '%s\n' "$*"; }
loud() { printf '\n!!! %s\n\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# step NAME FUNCTION [ARGS...]: runs one step under `set -e`, prints its timing; when the script
# exits part-way, the EXIT trap names the step that failed.
CURRENT_STEP=""
STEP_STARTED=0
step() {
	CURRENT_STEP=$1; shift
	STEP_STARTED=$SECONDS
	say "==> ${CURRENT_STEP}"
	"$@"
	say "    ${CURRENT_STEP}: $((SECONDS - STEP_STARTED)) s"
	CURRENT_STEP=""
}
report_failed_step() {
	local rc=$?
	if [ "$rc" -ne 0 ] && [ -n "$CURRENT_STEP" ]; then
		say "FAILED: step '${CURRENT_STEP}' (exit ${rc}) after $((SECONDS - STEP_STARTED)) s; the output above says why" >&2
	fi
}
trap report_failed_step EXIT

# as_bench_user CMD...: runs a command as the bench's owner, with a clean login-like environment
# that still carries the machine's CA settings (uv, pip and node need them behind a proxy).
as_bench_user() {
	local home
	home=$(getent passwd "$BENCH_USER" | cut -d: -f6)
	local -a keep=()
	local var
	for var in SSL_CERT_FILE SSL_CERT_DIR REQUESTS_CA_BUNDLE PIP_CERT PIP_INDEX_URL PIP_EXTRA_INDEX_URL \
		PIP_FIND_LINKS PIP_DEFAULT_TIMEOUT NODE_EXTRA_CA_CERTS GIT_SSL_CAINFO CURL_CA_BUNDLE \
		UV_INDEX_URL UV_EXTRA_INDEX_URL HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy \
		CI KORUS_SITE FRAPPE_BENCH KORUS_CHROMIUM; do
		[ -n "${!var:-}" ] && keep+=("${var}=${!var}")
	done
	if [ "$(id -un)" = "$BENCH_USER" ]; then
		env "${keep[@]}" PATH="${BENCH_CLI_VENV}/bin:${home}/.local/bin:/usr/local/bin:/usr/bin:/bin" "$@"
	else
		runuser -u "$BENCH_USER" -- env -i HOME="$home" USER="$BENCH_USER" LANG=C.UTF-8 \
			PATH="${BENCH_CLI_VENV}/bin:${home}/.local/bin:/usr/local/bin:/usr/bin:/bin" "${keep[@]}" "$@"
	fi
}

# Python packages the tests need in the bench's env besides Frappe's own, as "module=requirement":
# pytest (the integration tier), playwright (the UI journeys; it drives Debian's chromium and
# downloads no browser), xmlrunner (the JUnit report of Frappe's test runner) and freezegun (moving time in
# tests, as FrappeTestCase.freeze_time does): both dev dependencies of Frappe.
BENCH_TEST_PACKAGES=("pytest=pytest" "playwright=playwright" "xmlrunner=unittest-xml-reporting~=3.2.0" "freezegun=freezegun~=1.2.2")

# missing_bench_test_packages: prints the requirements of BENCH_TEST_PACKAGES not importable in the bench's env.
missing_bench_test_packages() {
	as_bench_user "$FRAPPE_BENCH/env/bin/python" -c '
import importlib.util, sys
for entry in sys.argv[1:]:
    module, requirement = entry.split("=", 1)
    if importlib.util.find_spec(module) is None:
        print(requirement)
' "${BENCH_TEST_PACKAGES[@]}"
}

# install_bench_test_packages REQUIREMENT...: into the bench's env, with the bench CLI's uv.
install_bench_test_packages() {
	[ $# -gt 0 ] || return 0
	as_bench_user "$BENCH_CLI_VENV/bin/uv" pip install -q --python "$FRAPPE_BENCH/env/bin/python" "$@"
}

# bench_cmd ARGS...: `bench ARGS` in the bench directory, as its owner.
bench_cmd() {
	as_bench_user bash -c 'cd "$0" && exec bench "$@"' "$FRAPPE_BENCH" "$@"
}

have_bench() { [ -d "$FRAPPE_BENCH/apps/frappe" ] && [ -d "$FRAPPE_BENCH/apps/erpnext" ] && [ -x "$FRAPPE_BENCH/env/bin/python" ]; }

# no_progress_bars: filter for bench's output; Frappe's per-doctype progress bars flood a log.
no_progress_bars() { sed -u 's/\r/\n/g' | awk '!/^(Updating DocTypes|Syncing|Updating Dashboard|Updating customizations)/ { print; fflush() }'; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

mariadb_up() { mysqladmin --protocol=socket ping >/dev/null 2>&1; }

# ensure_mariadb: starts MariaDB (no systemd here) when it is down; waits until it answers.
ensure_mariadb() {
	mariadb_up && return 0
	say "    starting MariaDB"
	mkdir -p /var/log/mysql && chown mysql:mysql /var/log/mysql 2>/dev/null || true
	service mariadb start >/dev/null 2>&1 || service mysql start >/dev/null 2>&1 || true
	local i
	for i in $(seq 1 60); do mariadb_up && return 0; sleep 1; done
	die "MariaDB did not start; see /var/log/mysql/error.log"
}

# ensure_redis: starts the bench's own Redis servers (queue, cache) as daemons when their ports are closed.
# Prints the ports it started, so that a caller can stop exactly those again.
ensure_redis() {
	local conf port started=""
	for conf in redis_queue redis_cache; do
		[ -f "$FRAPPE_BENCH/config/${conf}.conf" ] || die "no config/${conf}.conf in $FRAPPE_BENCH"
		port=$(awk '$1=="port"{print $2}' "$FRAPPE_BENCH/config/${conf}.conf")
		if ! port_open "$port"; then
			as_bench_user bash -c 'cd "$0" && redis-server "config/$1.conf" --daemonize yes >/dev/null' "$FRAPPE_BENCH" "$conf"
			local i
			for i in $(seq 1 20); do port_open "$port" && break; sleep 0.5; done
			port_open "$port" || die "Redis ($conf) did not start on port $port"
			started="$started $port"
		fi
	done
	echo "$started"
}

stop_redis_ports() {
	local port
	for port in "$@"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
}
