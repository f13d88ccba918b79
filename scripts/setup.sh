#!/usr/bin/env bash
# Installs what building and testing consent-gate needs, skipping whatever is
# already there at the pinned version. Safe to run again and again.
# Assumes Debian with Rust (rustup), Node and npm; run as root or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must match the crate version exactly: read it from Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Not --locked: the CLI's own lock file wants crate versions the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# The three engines from Debian: Chromium and ChromeDriver, Firefox ESR, and
# WebKitGTK's MiniBrowser with WebKitWebDriver (run under Xvfb); PostgreSQL.
WEBKIT_BROWSER=/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null && [ -x "$WEBKIT_BROWSER" ] || missing+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null || missing+=(xvfb)
# PostgreSQL for the receipts collector's scale-path tests (a throwaway
# cluster each run, see collector/), and pg_ctl's own user.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# The collector links Debian's SQLite rather than compiling its own copy.
[ -e /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# geckodriver drives Firefox; Debian has none, the Rust registry has it.
GECKODRIVER_VERSION=0.37.1
if [ "$(geckodriver --version 2>/dev/null | head -1 | cut -d' ' -f2)" != "$GECKODRIVER_VERSION" ]; then
  say "installing geckodriver $GECKODRIVER_VERSION (about 2 minutes)"
  cargo install geckodriver --version "$GECKODRIVER_VERSION" --force
fi

# npm dev tools (wasm-opt from binaryen, esbuild, playwright-core, sirv, axe-core, typescript):
# reinstall only when package-lock.json changed since the last install.
stamp=node_modules/.consent-gate-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing npm dev tools"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# The bundlers the README has recipes for (Vite, webpack, esbuild), pinned for
# tests/bundlers/; consent-gate itself is linked there from pkg/ (built later).
stamp=tests/bundlers/node_modules/.consent-gate-lock.sha
want=$(sha256sum tests/bundlers/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing the bundlers for tests/bundlers"
  (cd tests/bundlers && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi
