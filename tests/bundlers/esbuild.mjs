// The esbuild recipe (README, "Bundlers"). esbuild bundles the JS and the CSS
// but leaves `new URL('./…', import.meta.url)` alone, so the files consent-gate
// loads from beside its module (the gate's wasm, and the parts' glue and wasm)
// are copied next to the bundle. The bundle must be an ES module
// (`format: 'esm'`, loaded with <script type="module">): import.meta.url is
// how it finds them.
import * as esbuild from 'esbuild';
import { copyFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const outdir = 'dist/esbuild';
await esbuild.build({ entryPoints: ['app/main.js'], bundle: true, format: 'esm', minify: true, outdir, logLevel: 'warning' });

const consentGate = dirname(fileURLToPath(import.meta.resolve('consent-gate')));
for (const file of readdirSync(consentGate)) {
  if (file.endsWith('.wasm') || /^consent_gate_\w+\.js$/.test(file)) copyFileSync(join(consentGate, file), join(outdir, file));
}
