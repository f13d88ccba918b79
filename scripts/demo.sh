#!/usr/bin/env bash
# Installs what is missing, builds pkg/ and serves the demo at
# http://127.0.0.1:${PORT:-8080}/ from the receipts collector on SQLite: each
# choice on the demo's bar lands in collector-data/receipts.sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec collector/scripts/demo.sh
