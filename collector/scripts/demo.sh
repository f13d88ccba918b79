#!/usr/bin/env bash
# The demo served by the collector: the demo site (www/, with receipts on) at
# /, pkg/ at /pkg/, receipts at POST /consent/receipts into SQLite under
# ${DATA_DIR:-collector-data}, on http://127.0.0.1:${PORT:-8080}/. Run
# scripts/build.sh first for pkg/ (scripts/demo.sh does).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
data=${DATA_DIR:-collector-data}
site=$(node collector/scripts/demo-site.mjs "$data/site")
# The debug build: the tests build it too, and it takes the demo's load easily.
cargo build -q -p consent-gate-collector
echo "receipts go to $data/receipts.sqlite3; see them with:"
echo "  target/debug/consent-gate-collector receipts --data-dir $data export --from 2000-01-01 --to 2100-01-01"
exec target/debug/consent-gate-collector serve --config "$site" \
  --data-dir "$data" --listen "127.0.0.1:${PORT:-8080}" \
  --static "$data/site" --static /pkg/=pkg
