#!/usr/bin/env bash
# The collector's checks: format, lints, and its tests (unit, and end to end
# against a real SQLite file and a throwaway PostgreSQL cluster, which must be
# installed: CONSENT_GATE_REQUIRE_POSTGRES=1 fails rather than skips).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
# (cargo fmt --check in scripts/test.sh covers the whole workspace.)
cargo clippy -p consent-gate-collector --all-targets -- -D warnings
CONSENT_GATE_REQUIRE_POSTGRES=1 cargo test -p consent-gate-collector
