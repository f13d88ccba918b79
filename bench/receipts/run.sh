#!/usr/bin/env bash
# Bounded loopback load on the collector, on SQLite and on PostgreSQL: for
# each, a fresh database, the collector (built with the collector profile),
# receipts-load for at most DURATION seconds or COUNT receipts, then the
# chain is verified. Prints receipts/s and p50/p99 latency.
#   bench/receipts/run.sh            # both
#   BACKENDS=sqlite bench/receipts/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
. collector/scripts/pg-cluster.sh
DURATION=${DURATION:-10}
COUNT=${COUNT:-100000}
CONNECTIONS=${CONNECTIONS:-64}
BACKENDS=${BACKENDS:-sqlite postgres}
cargo build -q --profile collector -p consent-gate-collector
BIN=target/collector
WORK=$(mktemp -d /tmp/cg-receipts-bench.XXXXXX)
chmod 755 "$WORK" # the postgres user reaches its cluster inside
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  pg_down "$WORK/pg" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

run() { # name, storage args...
  local name=$1; shift
  "$BIN/consent-gate-collector" serve --config www/consent.json --listen 127.0.0.1:0 --rate 0 "$@" >"$WORK/$name.out" &
  SERVER=$!
  for _ in $(seq 100); do grep -q listening "$WORK/$name.out" 2>/dev/null && break; sleep 0.1; done
  local addr
  addr=$(grep -o '127.0.0.1:[0-9]*' "$WORK/$name.out" | head -n 1)
  [ -n "$addr" ] || { echo "the collector did not start" >&2; exit 1; }
  echo "== $name: $CONNECTIONS connections, at most $DURATION s or $COUNT receipts"
  "$BIN/receipts-load" --addr "$addr" --config www/consent.json --duration "$DURATION" --count "$COUNT" \
    --connections "$CONNECTIONS" | sed -n 1p
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  "$BIN/consent-gate-collector" receipts "$@" verify
}

for backend in $BACKENDS; do
  case $backend in
    sqlite) run SQLite --data-dir "$WORK/sqlite" ;;
    postgres) pg_up "$WORK/pg"; run PostgreSQL --database "$PG_URL"; pg_down "$WORK/pg" ;;
  esac
done
