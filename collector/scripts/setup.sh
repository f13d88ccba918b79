#!/usr/bin/env bash
# Installs what the collector's tests need beyond Rust: Debian's PostgreSQL
# server (initdb, pg_ctl) and client (psql). Skips what is there.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null && [ -e /usr/include/sqlite3.h ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgresql-client libsqlite3-dev >/dev/null
