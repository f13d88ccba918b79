#!/usr/bin/env bash
# The demo served by the collector: www/ at /, pkg/ at /pkg/, receipts at
# POST /consent/receipts into SQLite under ${DATA_DIR:-collector-data}, on
# http://127.0.0.1:${PORT:-8080}/. Run scripts/build.sh first for pkg/.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
# The debug build: the tests build it too, and it takes the demo's load easily.
cargo build -q -p consent-gate-collector
exec target/debug/consent-gate-collector serve --config www/consent.json \
  --data-dir "${DATA_DIR:-collector-data}" --listen "127.0.0.1:${PORT:-8080}" \
  --static www --static /pkg/=pkg
