#!/usr/bin/env bash
# Run the test suite twice: on SQLite, then on a throw-away PostgreSQL cluster.
# Installs what it needs first (venv, Debian's chromium, gettext, postgresql).
# Usage: scripts/test.sh [pytest arguments...]     (or: make test ARGS='...')
set -euo pipefail
cd "$(dirname "$0")/.."

# Playwright's sync API runs an event loop in the test thread; without this,
# Django refuses ORM calls from the live-server browser tests.
export DJANGO_ALLOW_ASYNC_UNSAFE=true

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as root: directly if we are root, else through sudo if there is one.
as_root() {
  if is_root; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "test.sh: need root (or sudo) to run: $*" >&2; return 1
  fi
}

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || return
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# --- System packages --------------------------------------------------------
# Debian's own python3 cannot create a venv without python3-venv (no ensurepip).
if [ ! -x .venv/bin/pip ] && ! python3 -c 'import ensurepip' 2>/dev/null; then
  apt_install python3-venv
fi
# Browser tests drive Debian's Chromium; never `playwright install` (it downloads a browser).
[ -x /usr/bin/chromium ] || apt_install chromium
# The production-stack test (tests/stack) puts Debian's nginx in front of gunicorn; it makes its own
# certificate with the `cryptography` package, so no openssl binary is needed. (/usr/sbin may not be on a
# non-root PATH.)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx
# msgfmt compiles the translation catalogues.
command -v msgfmt >/dev/null || apt_install gettext

# Highest installed PostgreSQL server (initdb is in the server package, not the client).
find_pg_bin() {
  local initdb
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  [ -n "$initdb" ] && dirname "$initdb"
}
PGBIN=$(find_pg_bin) || { apt_install postgresql && PGBIN=$(find_pg_bin); } \
  || { echo "test.sh: no PostgreSQL server (initdb) found" >&2; exit 1; }
PGVER=$(basename "$(dirname "$PGBIN")")

# --- Python environment (same rule as `make install`) -----------------------
make --no-print-directory install

# --- Lint: the code style is checked like the tests -------------------------
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench

# --- Throw-away PostgreSQL cluster ------------------------------------------
PGTMP=$(mktemp -d)
DATA=$PGTMP/data
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Run a server binary. initdb refuses to run as root, so as root we run the
# server tools as the postgres user, from a directory it can read.
pg() {
  local bin=$PGBIN/$1; shift
  if is_root; then (cd "$PGTMP" && runuser -u postgres -- "$bin" "$@")
  else "$bin" "$@"
  fi
}

cleanup() {
  if [ -f "$DATA/postmaster.pid" ]; then
    pg pg_ctl -D "$DATA" -m immediate -w stop >/dev/null || true
  fi
  rm -rf "$PGTMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
is_root && chown postgres: "$PGTMP"

initdb_args=(-D "$DATA" -A trust --username=homeward -E UTF8)
if ! pg initdb "${initdb_args[@]}" --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1; then
  rm -rf "$DATA"  # no C.UTF-8 locale here: retry with plain C
  pg initdb "${initdb_args[@]}" --locale=C >"$PGTMP/initdb.log" 2>&1 \
    || { cat "$PGTMP/initdb.log" >&2; exit 1; }
fi
# TCP on loopback only, socket in our temp dir; durability is pointless for a
# cluster that is deleted afterwards, so turn it off for speed.
server_opts="-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1"
server_opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
pg pg_ctl -D "$DATA" -o "$server_opts" -w -l "$PGTMP/log" start >/dev/null \
  || { cat "$PGTMP/log" >&2; exit 1; }
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U homeward homeward

# --- The two runs -----------------------------------------------------------
# Any non-zero pytest exit fails, including 5 (no tests collected).
status() {
  case $1 in
    0) echo passed ;;
    5) echo "FAILED (no tests collected)" ;;
    *) echo "FAILED (exit $1)" ;;
  esac
}

run_sqlite() { env -u DATABASE_URL .venv/bin/python -m pytest "$@"; }
run_pg() { DATABASE_URL=postgres://homeward@127.0.0.1:$PORT/homeward .venv/bin/python -m pytest "$@"; }

sqlite_rc=0
pg_rc=0
if [ $# -gt 0 ]; then
  # A chosen subset: one database after the other.
  echo "== SQLite =="
  run_sqlite "$@" || sqlite_rc=$?
  echo "== PostgreSQL $PGVER on port $PORT =="
  run_pg "$@" || pg_rc=$?
else
  # The whole suite: the two databases side by side (each run is mostly one busy core), then the
  # browser tests one database at a time, so that their time-outs never meet a doubly loaded machine.
  echo "== SQLite and PostgreSQL $PGVER on port $PORT, side by side (browser tests after) =="
  run_sqlite --ignore=tests/browser >"$PGTMP/sqlite.log" 2>&1 &
  sqlite_pid=$!
  run_pg --ignore=tests/browser || pg_rc=$?
  wait "$sqlite_pid" || sqlite_rc=$?
  echo "== SQLite (without the browser tests) =="
  cat "$PGTMP/sqlite.log"
  echo "== Browser tests on SQLite =="
  run_sqlite tests/browser || sqlite_rc=$((sqlite_rc ? sqlite_rc : $?))
  echo "== Browser tests on PostgreSQL $PGVER =="
  run_pg tests/browser || pg_rc=$((pg_rc ? pg_rc : $?))
fi

echo "SQLite: $(status $sqlite_rc), PostgreSQL: $(status $pg_rc)"
[ "$sqlite_rc" -eq 0 ] && [ "$pg_rc" -eq 0 ]
