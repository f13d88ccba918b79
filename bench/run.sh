#!/usr/bin/env bash
# The size and speed benchmark: consent-gate side by side with
# vanilla-cookieconsent and Klaro. Installs what it needs (idempotent), builds
# pkg/ if missing, runs, writes bench/RESULTS.md and prints it.
#   bench/run.sh              # 20 interleaved runs (a few minutes)
#   bench/run.sh --runs 3     # a quick look while developing
# Not part of scripts/test.sh: timings are measured here, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[bench]\033[0m %s\n' "$*"; }

if [ ! -f pkg/consent_gate_bg.wasm ]; then
  say "pkg/ is missing: installing the build tools and building it"
  scripts/setup.sh
  scripts/build.sh
fi

if ! command -v chromium >/dev/null; then
  say "Chromium is missing: running scripts/setup.sh"
  scripts/setup.sh
fi

# The anchors, playwright-core and sirv, pinned in bench/package-lock.json:
# reinstall only when the lock changed since the last install.
stamp=bench/node_modules/.bench-lock.sha
want=$(sha256sum bench/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing the benchmark's npm packages"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

exec node bench/bench.mjs "$@"
