#!/usr/bin/env bash
# Where the wasm's bytes go: builds a copy of the wasm WITH function names and
# WITHOUT wasm-opt (into /tmp, pkg/ is left alone) and runs twiggy on it.
#   bench/size.sh            # twiggy top -n 25, dominators, and a grouped summary
#   bench/size.sh gate       # the same for one part of the browser build (a Cargo
#                            # feature: gate, ui, declaration, diagnostics) built alone
# Installs twiggy with cargo if missing (a few minutes, once).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out=${SIZE_OUT:-/tmp/consent-gate-size}
features=()
[ -z "${1:-}" ] || features=(--no-default-features --features "$1")

command -v twiggy >/dev/null || cargo install twiggy

# strip=none keeps the names section; the shipped build strips nothing more but
# wasm-opt drops the names, so sizes here are before wasm-opt.
CARGO_TARGET_DIR="$out/target" CARGO_PROFILE_RELEASE_STRIP=none \
  cargo build --lib --release --target wasm32-unknown-unknown "${features[@]}"
rm -rf "$out/pkg"
wasm-bindgen --target web --keep-debug --out-dir "$out/pkg" --out-name consent_gate \
  "$out/target/wasm32-unknown-unknown/release/consent_gate.wasm"
wasm="$out/pkg/consent_gate_bg.wasm"

twiggy top -n 25 "$wasm"
twiggy dominators -d 3 -r 20 "$wasm"
twiggy top -n 100000 -f csv "$wasm" > "$out/top.csv"
node bench/size-groups.mjs "$out/top.csv"
