// The benchmark: consent-gate, vanilla-cookieconsent and Klaro on the same page,
// in Debian's Chromium through playwright-core, runs interleaved between the
// libraries. Writes bench/RESULTS.md and prints it.
//
//   node bench/bench.mjs [--runs 20]
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LIBRARIES, STANDIN_HOST, SCALE_VENDORS, SCALE_ELEMENTS } from './libraries.mjs';
import { listen } from './server.mjs';
import { writeResults } from './report.mjs';
import { VENDOR_HOSTS, isVendorHost, chromiumOptions } from '../scripts/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const RUNS = Number(options.runs);

const STANDIN_BODY = Buffer.from('/* vendor stand-in */').toString('base64');
const PROBE = readFileSync(join(here, 'probe.js'), 'utf8');
const TIMEOUT = 20_000;

function launch() {
  // Vendor URLs are answered by the Fetch interception below, before any lookup.
  return chromium.launch(chromiumOptions());
}

/**
 * A page in a fresh context (its own cache, storage and cookies) with the
 * probe installed and every https request answered by a stand-in script.
 * Raw CDP Fetch rather than page.route: Playwright turns the HTTP cache off
 * for the whole page once a route exists, which would spoil the warm case.
 */
async function openPage(browser, library, storageState) {
  const context = await browser.newContext({ storageState, viewport: { width: 1280, height: 800 } });
  const settings = { bar: library.bar, vendorHosts: VENDOR_HOSTS, standinHost: STANDIN_HOST };
  await context.addInitScript({ content: `${PROBE}(${JSON.stringify(settings)});` });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A page must load nothing of the other libraries; the report names any that did.
  const others = LIBRARIES.filter((l) => l !== library).flatMap((l) => l.paths);
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (others.some((p) => path.startsWith(p))) errors.push(`requested ${path}, a file of another library`);
  });
  const cdp = await context.newCDPSession(page);
  cdp.on('Fetch.requestPaused', ({ requestId, request }) => answer(cdp, requestId, request.url).catch(() => {}));
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: 'https://*', requestStage: 'Request' }] });
  await cdp.send('Network.enable');
  return { context, page, cdp, errors };
}

function answer(cdp, requestId, url) {
  const host = new URL(url).hostname;
  const known = host === STANDIN_HOST || isVendorHost(host);
  if (!known) return cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
  return cdp.send('Fetch.fulfillRequest', {
    requestId,
    responseCode: 200,
    responseHeaders: [
      { name: 'content-type', value: 'text/javascript' },
      { name: 'cache-control', value: 'no-store' },
    ],
    body: STANDIN_BODY,
  });
}

async function load(tab, url, { cold }) {
  await tab.cdp.send('Network.setCacheDisabled', { cacheDisabled: cold });
  await tab.page.goto(url, { waitUntil: 'load' });
}

const probe = (page) => page.evaluate(() => window.__bench);
const sum = (values) => values.reduce((a, b) => a + b, 0);

/** Loads until the bar shows, plus a moment for late tasks and shifts. */
async function measureFirstVisit(tab, url, cold) {
  await load(tab, url, { cold });
  await tab.page.waitForFunction(() => window.__bench.barVisibleAt !== null, null, { timeout: TIMEOUT });
  await tab.page.waitForTimeout(300);
  const p = await probe(tab.page);
  return {
    barVisible: p.barVisibleAt,
    longTasks: p.longTasks.length,
    longTaskMs: sum(p.longTasks),
    layoutShift: sum(p.shifts),
  };
}

async function measureReturning(tab, url, cold) {
  await load(tab, url, { cold });
  await tab.page.waitForFunction(() => window.__bench.firstVendorAt !== null, null, { timeout: TIMEOUT });
  const p = await probe(tab.page);
  return { firstVendor: p.firstVendorAt, barShown: p.barVisibleAt !== null };
}

/** First visit, cold then warm (same context, nothing decided in between). */
async function firstVisit(browser, library, base, samples) {
  const tab = await openPage(browser, library);
  const url = `${base}${library.id}/home.html`;
  try {
    for (const cold of [true, false]) {
      const m = await measureFirstVisit(tab, url, cold);
      const when = cold ? 'cold' : 'warm';
      record(samples, `barVisible.${when}`, m.barVisible);
      record(samples, `longTasks.${when}`, m.longTasks);
      record(samples, `longTaskMs.${when}`, m.longTaskMs);
      record(samples, `layoutShift.${when}`, m.layoutShift);
    }
  } finally {
    noteErrors(samples, tab.errors);
    await tab.context.close();
  }
}

/**
 * A returning visitor with a stored grant, cold then warm, on the home page
 * or on the slow page (home.html sent in two parts: whether a library's tags
 * wait for the whole page to arrive).
 */
async function returning(browser, library, base, grant, samples, { page = 'home', metric = 'firstVendor' } = {}) {
  const tab = await openPage(browser, library, grant);
  const url = `${base}${library.id}/${page}.html`;
  try {
    for (const cold of [true, false]) {
      const m = await measureReturning(tab, url, cold);
      record(samples, `${metric}.${cold ? 'cold' : 'warm'}`, m.firstVendor);
      if (m.barShown) samples.barOnReturn = (samples.barOnReturn ?? 0) + 1;
    }
  } finally {
    noteErrors(samples, tab.errors);
    await tab.context.close();
  }
}

/** Scale page: click accept, time until every vendor and gated element is live. */
async function scale(browser, library, base, samples) {
  const tab = await openPage(browser, library);
  const elements = library.supportsGatedMarkup ? SCALE_ELEMENTS : 0;
  try {
    await load(tab, `${base}${library.id}/scale.html`, { cold: true });
    await tab.page.waitForFunction(() => window.__bench.barVisibleAt !== null, null, { timeout: TIMEOUT });
    await tab.page.click(library.accept);
    await tab.page.waitForFunction(
      ([v, e]) => window.__bench.vendorsActivated >= v && window.__bench.elementsActivated >= e,
      [SCALE_VENDORS, elements],
      { timeout: TIMEOUT },
    );
    const p = await probe(tab.page);
    record(samples, 'scale.vendors', p.lastVendorAt - p.clickAt);
    if (elements) record(samples, 'scale.all', Math.max(p.lastVendorAt, p.lastElementAt) - p.clickAt);
  } finally {
    noteErrors(samples, tab.errors);
    await tab.context.close();
  }
}

/** Each library's stored grant, written by the library itself: load, accept, keep the storage. */
async function captureGrant(browser, library, base) {
  const tab = await openPage(browser, library);
  try {
    await tab.page.goto(`${base}${library.id}/home.html`);
    await tab.page.click(library.accept, { timeout: TIMEOUT });
    await tab.page.waitForFunction(() => window.__bench.firstVendorAt !== null, null, { timeout: TIMEOUT });
    await tab.page.waitForTimeout(200);
    return await tab.context.storageState();
  } finally {
    await tab.context.close();
  }
}

function record(samples, metric, value) {
  (samples[metric] ??= []).push(value);
}

function noteErrors(samples, errors) {
  for (const e of errors) (samples.errors ??= new Set()).add(e);
}

/** Runs interleaved: each run takes the libraries in a rotated order, scenario by scenario. */
async function main() {
  const { server, url: base } = await listen();
  const browser = await launch();
  const samples = Object.fromEntries(LIBRARIES.map((l) => [l.id, {}]));
  try {
    const grants = {};
    for (const library of LIBRARIES) grants[library.id] = await captureGrant(browser, library, base);
    const scenarios = [
      (l) => firstVisit(browser, l, base, samples[l.id]),
      (l) => returning(browser, l, base, grants[l.id], samples[l.id]),
      (l) => returning(browser, l, base, grants[l.id], samples[l.id], { page: 'slow', metric: 'firstVendorSlow' }),
      (l) => scale(browser, l, base, samples[l.id]),
    ];
    for (let run = 0; run < RUNS; run++) {
      const order = LIBRARIES.map((_, i) => LIBRARIES[(i + run) % LIBRARIES.length]);
      for (const scenario of scenarios) for (const library of order) await scenario(library);
      process.stderr.write(`\rrun ${run + 1}/${RUNS}`);
    }
    process.stderr.write('\n');
    const markdown = writeResults({ samples, runs: RUNS, browserVersion: browser.version() });
    console.log(markdown);
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
