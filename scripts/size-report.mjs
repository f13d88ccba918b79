// The size report: raw, gzip and brotli bytes of every file a site loads.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = process.argv[2] ?? 'pkg';
const loaded = (path) => /\.(js|wasm|css)$/.test(path) && !path.endsWith('.d.ts');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function sizes(path) {
  const bytes = readFileSync(path);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/**
 * What each kind of page view loads with the drop-in (the ES module loads
 * consent_gate.js instead of consent-gate-auto.js): the gate always, and each
 * part only when that page view needs it.
 */
const GATE = ['consent-gate-auto.js', 'consent_gate_bg.wasm', 'consent-gate.css'];
const part = (name) => [`consent_gate_${name}.js`, `consent_gate_${name}_bg.wasm`];
export const LOAD_SETS = [
  ['returning visitor (gate only)', GATE],
  ['first visit or reopen (+ ui)', [...GATE, ...part('ui')]],
  ['page with gated markup, returning (+ markup)', [...GATE, ...part('markup')]],
  ['page with embeds, returning (+ markup + embeds)', [...GATE, ...part('markup'), ...part('embeds')]],
  ['declaration page, returning (+ declaration)', [...GATE, ...part('declaration')]],
  ['refused config (+ diagnostics)', [...GATE, ...part('diagnostics')]],
].map(([name, files]) => [name, (file) => files.includes(file)]);

// Printed when run as a script; importing it (the benchmark does) only gives sizes().
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = walk(root).filter(loaded).sort().map((path) => ({ file: relative(root, path), ...sizes(path) }));
  const sum = (set) => set.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const totals = LOAD_SETS.map(([name, included]) => [`total, ${name}`, sum(rows.filter((r) => included(r.file)))]);
  const width = Math.max(...rows.map((r) => r.file.length), ...totals.map(([name]) => name.length));
  const line = (file, r) => `${file.padEnd(width)}  ${String(r.raw).padStart(8)}  ${String(r.gzip).padStart(8)}  ${String(r.brotli).padStart(8)}`;

  console.log('\nSize report (bytes a site loads; totals per page view, drop-in)');
  console.log(`${'file'.padEnd(width)}  ${'raw'.padStart(8)}  ${'gzip'.padStart(8)}  ${'brotli'.padStart(8)}`);
  for (const r of rows) console.log(line(r.file, r));
  for (const [name, total] of totals) console.log(line(name, total));
}
