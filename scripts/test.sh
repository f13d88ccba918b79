#!/usr/bin/env bash
# Runs every test: the pure core on the host, the browser shell in headless
# Chromium and Firefox (wasm-bindgen-test), end-to-end tests of the demo site
# in Chromium (Playwright) and in Firefox and WebKit (WebDriver), and an app
# built by each bundler the README has a recipe for (tests/bundlers/), and the
# published TypeScript types compiled with tsc --strict (tests/types/), and the
# JSON Schema checked against the checker with ajv (tests/schema/), and the
# receipts collector against SQLite and a throwaway PostgreSQL cluster
# (collector/). Installs what is missing first.
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

lint() {
  cargo fmt --check
  cargo clippy --all-targets -- -D warnings
  cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings
  # Each part of the browser build alone, as scripts/build.sh builds it.
  for part in gate ui markup embeds declaration diagnostics; do
    cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features "$part" -- -D warnings
  done
}
timed "format and lints (rustfmt, clippy: host, wasm, each part)" lint
timed "host tests (cargo test)" cargo test --all-targets
timed "parser growth (timed in an optimised build)" cargo test --profile timing --test parser_growth
# The receipts collector: a real SQLite file and a throwaway PostgreSQL cluster.
timed "receipts collector (clippy, SQLite and PostgreSQL tests)" collector/scripts/test.sh
# The runner picks the browser from the driver variable it finds.
timed "browser tests (wasm-bindgen-test in Chromium)" \
  env -u GECKODRIVER CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web --test web_panic
timed "browser tests (wasm-bindgen-test in Firefox)" \
  env -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)" cargo test --target wasm32-unknown-unknown --test web --test web_panic
timed "JSON Schema (ajv strict) agrees with the checker; generated docs are current" node --test tests/schema/
timed "build pkg/" scripts/build.sh
timed "TypeScript types (tsc --strict, with and without skipLibCheck)" node --test tests/types/
timed "end-to-end tests (Playwright + Chromium)" node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/
timed "bundlers (Vite, webpack, esbuild build the app; Playwright + Chromium)" node --test --test-concurrency=1 --test-timeout=300000 tests/bundlers/
timed "end-to-end tests (WebDriver + Firefox)" env CG_ENGINE=firefox node --test --test-concurrency=1 --test-timeout=120000 tests/engines/
timed "end-to-end tests (WebDriver + WebKit)" env CG_ENGINE=webkit node --test --test-concurrency=1 --test-timeout=120000 tests/engines/
