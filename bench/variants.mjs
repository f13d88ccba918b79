// Loading variants of consent-gate's benchmark page, measured side by side:
// how the drop-in's tag, the preload hints or the wasm's size move a
// returning visitor's first tag request. Each variant gets its own copy of the
// drop-in and the wasm (its own cache entries), so variants differ only where
// they say. Prints a table; writes nothing.
//
//   node bench/variants.mjs bench/variants/loading.json [--runs 30]
//
// A variants file:
//   { "about": "…", "variants": { "<name>": {
//       "edits": [["text in the page", "its replacement"], …],  // on bench's home page
//       "padWasm": 200000,               // bytes of custom section added to the wasm
//       "files": { "boot.js": "…" }      // extra files beside the drop-in
//   } } }
// In the page, /pkg/consent-gate-auto.js, /pkg/consent_gate_bg.wasm and
// /pkg/<each extra file> then name the variant's own copies.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LIBRARIES, page, repo } from './libraries.mjs';
import { createServer } from './server.mjs';
import { stats } from './report.mjs';
import { launch, openPage, measureReturning, captureGrant } from './tabs.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '30' } },
});
const RUNS = Number(options.runs);
const spec = JSON.parse(readFileSync(positionals[0] ?? join(repo, 'bench/variants/loading.json'), 'utf8'));
const ours = LIBRARIES[0];
const PKG = '/pkg/';
const DROP_IN = 'consent-gate-auto.js';
const WASM = 'consent_gate_bg.wasm';

/** A wasm custom section of `bytes` random bytes: more to fetch and hash, nothing to compile. */
function customSection(bytes) {
  const leb = (n) => {
    const out = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n);
    return Buffer.from(out);
  };
  const name = Buffer.from('padding');
  const body = Buffer.concat([leb(name.length), name, randomBytes(bytes)]);
  return Buffer.concat([Buffer.from([0]), leb(body.length), body]);
}

/** The variant's files by URL path: its page, its copies of the drop-in and the wasm, its extras. */
function variantRoutes(name, variant) {
  const dir = `/variant/${name}/`;
  let html = page(ours, 'home');
  for (const [from, to] of variant.edits ?? []) {
    if (!html.includes(from)) throw new Error(`variant ${name}: the page has no ${JSON.stringify(from)}`);
    html = html.replace(from, to);
  }
  for (const file of [DROP_IN, WASM, ...Object.keys(variant.files ?? {})]) html = html.replaceAll(`${PKG}${file}`, `${dir}${file}`);
  const wasm = readFileSync(join(repo, 'pkg', WASM));
  const cached = 'max-age=3600';
  const routes = [
    [`${dir}home.html`, { type: 'text/html; charset=utf-8', body: html, cache: 'no-cache' }],
    [`${dir}${DROP_IN}`, { type: 'text/javascript', body: readFileSync(join(repo, 'pkg', DROP_IN)), cache: cached }],
    [`${dir}${WASM}`, { type: 'application/wasm', body: variant.padWasm ? Buffer.concat([wasm, customSection(variant.padWasm)]) : wasm, cache: cached }],
    ...Object.entries(variant.files ?? {}).map(([file, body]) => [`${dir}${file}`, { type: 'text/javascript', body, cache: cached }]),
  ];
  return routes;
}

function listen(routes) {
  const benchFiles = createServer();
  const server = http.createServer((req, res) => {
    const route = routes.get(req.url.split('?')[0]);
    if (!route) return benchFiles.emit('request', req, res);
    res.writeHead(200, { 'content-type': route.type, 'cache-control': route.cache });
    res.end(route.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}/` })));
}

async function measure(browser, base, name, grant, samples) {
  const tab = await openPage(browser, ours, grant);
  try {
    for (const cold of [true, false]) {
      const m = await measureReturning(tab, `${base}variant/${name}/home.html`, cold);
      const dcl = await tab.page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventStart);
      const key = `${name}\t${cold ? 'cold' : 'warm'}`;
      const s = (samples[key] ??= { dcl: [], vendor: [], gap: [] });
      s.dcl.push(dcl);
      s.vendor.push(m.firstVendor);
      s.gap.push(m.firstVendor - dcl);
    }
    if (tab.errors.length) throw new Error(`variant ${name}: ${tab.errors.join('; ')}`);
  } finally {
    await tab.context.close();
  }
}

const cell = (values) => {
  const s = stats(values);
  return `${s.median.toFixed(1)} (${s.p10.toFixed(1)}–${s.p90.toFixed(1)})`;
};

async function main() {
  const names = Object.keys(spec.variants);
  const routes = new Map(names.flatMap((name) => variantRoutes(name, spec.variants[name])));
  const { server, base } = await listen(routes);
  const browser = await launch();
  const samples = {};
  try {
    const grant = await captureGrant(browser, ours, base);
    for (let run = 0; run < RUNS; run++) {
      for (let i = 0; i < names.length; i++) await measure(browser, base, names[(i + run) % names.length], grant, samples);
      process.stderr.write(`\rrun ${run + 1}/${RUNS}`);
    }
    process.stderr.write('\n');
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`${spec.about ?? ''}\n\nReturning visitor (stored grant), ms on the page's clock: median (p10–p90) of ${RUNS} loads.\n`);
  console.log('| variant | cache | DOMContentLoaded | first vendor request | first vendor request − DOMContentLoaded |');
  console.log('|---|---|---:|---:|---:|');
  for (const [key, s] of Object.entries(samples).sort(([a], [b]) => a.localeCompare(b))) {
    const [name, cache] = key.split('\t');
    console.log(`| ${name} | ${cache} | ${cell(s.dcl)} | ${cell(s.vendor)} | ${cell(s.gap)} |`);
  }
}

await main();
