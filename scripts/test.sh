#!/usr/bin/env bash
# Runs every test: the pure core on the host, the browser shell in headless
# Chromium (wasm-bindgen-test), and end-to-end tests of the demo site driven by
# Playwright. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh

timed() {
  local name=$1; shift
  local start=$SECONDS
  printf '\n\033[1m== %s ==\033[0m\n' "$name"
  "$@"
  printf '\033[1m== %s: %ss ==\033[0m\n' "$name" $((SECONDS - start))
}

timed "host tests (cargo test)" cargo test --all-targets
export CHROMEDRIVER=/usr/bin/chromedriver
timed "browser tests (wasm-bindgen-test in Chromium)" cargo test --target wasm32-unknown-unknown --test web --test web_panic
timed "build pkg/" scripts/build.sh
timed "end-to-end tests (Playwright + Chromium)" node --test --test-concurrency=1 tests/e2e/
