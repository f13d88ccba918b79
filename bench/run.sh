#!/usr/bin/env bash
# The size and speed benchmark: consent-gate side by side with
# vanilla-cookieconsent and Klaro. Installs what it needs (idempotent), builds
# pkg/ if missing, runs, writes bench/RESULTS.md and prints it.
#   bench/run.sh                  # all of it: bytes per page view, the slow phone
#                                 # (10 loads per figure), the fast machine (20);
#                                 # about 9 minutes on 2 cores
#   bench/run.sh --runs 3 --slow-runs 2      # a quick look while developing
#   bench/run.sh --only bytes                # just the bytes per page view (under a minute)
#   bench/run.sh --only slow --slow-runs 20  # parts: bytes, slow, fast (comma-separated)
# Not part of scripts/test.sh: timings are measured here, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[bench]\033[0m %s\n' "$*"; }

# Built when pkg/ has no manifest or no wasm, whatever names the build gives its files.
if [ ! -f pkg/package.json ] || ! compgen -G 'pkg/*.wasm' >/dev/null; then
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
