#!/usr/bin/env bash
# Builds pkg/: the ES module, its TypeScript types, the optimised wasm, the
# stylesheet, the drop-in loader and package.json (JS and CSS minified). Prints
# the size report.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# The browser build's parts (see README, "How it is built"): each is this
# crate built with one feature, its own wasm module and glue. The gate is what
# every page loads; it fetches the others (js/parts.js) when a page view needs them.
PARTS=(gate ui markup embeds declaration diagnostics)
rm -rf pkg
for part in "${PARTS[@]}"; do
  name=consent_gate; [ "$part" = gate ] || name=consent_gate_$part
  cargo build --lib --release --target wasm32-unknown-unknown --no-default-features --features "$part"
  wasm-bindgen --target web --out-dir pkg --out-name "$name" \
    target/wasm32-unknown-unknown/release/consent_gate.wasm
  # Features spelled out: rustc's output needs them, and --all-features would emit
  # typed function references that browsers reject (see TOOLCHAIN.md).
  # -Oz twice: the second round finds more once the first has inlined and merged
  # (0.8 KB gzip less; a third round or --converge gains nothing more).
  # The producers and target_features sections only inform tools (wasm-bindgen
  # has already read the features): browsers ignore them, so they are dropped.
  node_modules/.bin/wasm-opt -Oz -Oz --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-sign-ext --enable-reference-types \
    --enable-nontrapping-float-to-int --enable-multivalue --enable-mutable-globals \
    "pkg/${name}_bg.wasm" -o "pkg/${name}_bg.wasm"
  # A part's types are internal: only the gate's API is public.
  [ "$part" = gate ] || rm -f "pkg/$name.d.ts" "pkg/${name}_bg.wasm.d.ts"
done
# The glue's types name Symbol.dispose (for `using gate = ...`), which TypeScript
# knows only with the esnext.disposable lib: without this line, `tsc --strict`
# fails on a project whose lib is older, unless it skips checking libraries.
sed -i '1i /// <reference lib="esnext.disposable" />' pkg/consent_gate.d.ts
# start()'s options may be left out: wasm-bindgen types a parameter whose type
# is given as required.
sed -i 's/, options: StartOptions)/, options?: StartOptions)/' pkg/consent_gate.d.ts
grep -q 'options?: StartOptions)' pkg/consent_gate.d.ts
# The config's types, generated from its JSON Schema (scripts/config-reference.mjs),
# ship beside the API's, which type start()'s config with them and re-export them.
cp js/consent_gate_config.d.ts pkg/
# Named one by one (`export type *` needs TypeScript 5).
config_types=$(grep -oP '^export (interface|type) \K\w+' js/consent_gate_config.d.ts | paste -sd, - | sed 's/,/, /g')
echo "export type { $config_types } from './consent_gate_config.js';" >> pkg/consent_gate.d.ts
grep -q "ConsentConfig" pkg/consent_gate.d.ts

# The JS and CSS a site loads, minified by esbuild (whitespace, comments and
# local names only; imports, exports and import.meta stay as they are).
# wasm-bindgen's glue is readable JS with doc comments: minified it is 30%
# smaller in gzip. pkg/consent_gate.d.ts keeps the documented types.
minify() { node_modules/.bin/esbuild "$1" --minify --log-level=warning --allow-overwrite --outfile="$2" "${@:3}"; }
# The glue's JS snippets (js/vendor-queues.js) are bundled into it: one request
# fewer, one after the other. The drop-in is bundled with the glue in turn, so
# a page that uses it loads one script before the wasm and its config.
cp js/auto.js pkg/consent-gate-auto.js
minify pkg/consent-gate-auto.js pkg/consent-gate-auto.js --format=esm --bundle
# The ES module's entry is js/gate.js, which wraps the glue's start() (a clear
# error before init(); the drop-in, bundled above, always calls init() first)
# and exports what the glue exports.
cp js/gate.js pkg/consent-gate-entry.js
minify pkg/consent-gate-entry.js pkg/consent_gate.js --format=esm --bundle
rm pkg/consent-gate-entry.js
for part in "${PARTS[@]:1}"; do
  minify "pkg/consent_gate_$part.js" "pkg/consent_gate_$part.js" --format=esm --bundle
done
rm -rf pkg/snippets
minify styles/consent-gate.css pkg/consent-gate.css
# The minifier drops the comments that keep bundlers (webpack, Vite) away from
# the dynamic import() of a part's glue; they are put back.
node scripts/keep-bundler-hints.mjs pkg/consent_gate.js=1 pkg/consent-gate-auto.js=2
cp LICENSE pkg/ 2>/dev/null || true
# The npm package's page shows the README, bundler recipes included.
cp README.md pkg/
node scripts/pkg-manifest.mjs
node scripts/size-report.mjs
