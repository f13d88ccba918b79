// What the benchmark and bench/variants.mjs share: Chromium, a page with the
// probe and the vendor stand-ins, and the measurements of one load.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBRARIES, STANDIN_HOST } from './libraries.mjs';
import { VENDOR_HOSTS, isVendorHost, chromiumOptions } from '../scripts/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const STANDIN_BODY = Buffer.from('/* vendor stand-in */').toString('base64');
const PROBE = readFileSync(join(here, 'probe.js'), 'utf8');
export const TIMEOUT = 20_000;

export function launch() {
  // Vendor URLs are answered by the Fetch interception below, before any lookup.
  return chromium.launch(chromiumOptions());
}

/**
 * A page in a fresh context (its own cache, storage and cookies) with the
 * probe installed and every https request answered by a stand-in script.
 * Raw CDP Fetch rather than page.route: Playwright turns the HTTP cache off
 * for the whole page once a route exists, which would spoil the warm case.
 */
export async function openPage(browser, library, storageState, { watch } = {}) {
  const context = await browser.newContext({ storageState, viewport: { width: 1280, height: 800 } });
  const settings = { bar: library.bar, vendorHosts: VENDOR_HOSTS, standinHost: STANDIN_HOST, watch };
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

/**
 * A slow phone, as CDP emulates one: the CPU this many times slower, and every
 * response delayed by `latency` ms and its bytes capped to these rates.
 */
export const SLOW_PHONE = { cpu: 4, latency: 150, downKbit: 1600, upKbit: 750 };

export async function emulate(tab, { cpu, latency, downKbit, upKbit }) {
  await tab.cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  await tab.cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency,
    downloadThroughput: (downKbit * 1000) / 8,
    uploadThroughput: (upKbit * 1000) / 8,
  });
}

/**
 * Records every response of the tab whose URL path starts with one of
 * `paths` (the library's own files), as Chromium received it: `body` is the
 * encoded (here gzipped) body size, `transfer` adds the response headers. Call
 * before the page loads; `phase` tags the requests started from then on.
 */
export function recordFiles(tab, paths) {
  const requests = new Map();
  const state = { phase: 'load', last: performance.now() };
  const counted = (url) => {
    try {
      const u = new URL(url);
      return u.protocol.startsWith('http') && paths.some((p) => u.pathname.startsWith(p));
    } catch {
      return false;
    }
  };
  const touch = () => (state.last = performance.now());
  tab.cdp.on('Network.requestWillBeSent', ({ requestId, request, redirectResponse }) => {
    if (!counted(request.url) || redirectResponse) return;
    touch();
    requests.set(requestId, { path: new URL(request.url).pathname, phase: state.phase, done: false });
  });
  tab.cdp.on('Network.responseReceived', ({ requestId, response }) => {
    const r = requests.get(requestId);
    if (!r) return;
    touch();
    const header = (name) => Object.entries(response.headers).find(([k]) => k.toLowerCase() === name)?.[1];
    Object.assign(r, {
      status: response.status,
      encoding: header('content-encoding') ?? 'identity',
      length: Number(header('content-length') ?? NaN),
      cached: Boolean(response.fromDiskCache || response.fromPrefetchCache || response.fromServiceWorker),
    });
  });
  tab.cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const r = requests.get(requestId);
    if (!r) return;
    touch();
    Object.assign(r, { done: true, transfer: encodedDataLength });
  });
  tab.cdp.on('Network.loadingFailed', ({ requestId, errorText, canceled }) => {
    const r = requests.get(requestId);
    if (!r) return;
    touch();
    Object.assign(r, { done: true, failed: canceled ? 'canceled' : errorText, transfer: 0 });
  });
  return {
    set phase(name) {
      state.phase = name;
    },
    /** Waits until nothing counted is in flight or started for `quiet` ms, and at least `min` ms from now. */
    async settle({ quiet = 500, min = 1000, max = TIMEOUT } = {}) {
      const start = performance.now();
      for (;;) {
        const now = performance.now();
        const busy = [...requests.values()].some((r) => !r.done);
        if (!busy && now - state.last >= quiet && now - start >= min) return;
        if (now - start > max) throw new Error(`still loading after ${max} ms: ${[...requests.values()].filter((r) => !r.done).map((r) => r.path).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    /** The responses, in request order: { path, phase, status, encoding, body, transfer, cached, failed }. */
    files: () => [...requests.values()].map((r) => ({ ...r, body: r.failed ? 0 : Number.isFinite(r.length) ? r.length : r.transfer })),
  };
}

export async function load(tab, url, { cold }) {
  await tab.cdp.send('Network.setCacheDisabled', { cacheDisabled: cold });
  await tab.page.goto(url, { waitUntil: 'load' });
}

export const probe = (page) => page.evaluate(() => window.__bench);
const sum = (values) => values.reduce((a, b) => a + b, 0);

/** Loads until the bar shows, plus a moment for late tasks and shifts. */
export async function measureFirstVisit(tab, url, cold) {
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

export async function measureReturning(tab, url, cold) {
  await load(tab, url, { cold });
  await tab.page.waitForFunction(() => window.__bench.firstVendorAt !== null, null, { timeout: TIMEOUT });
  const p = await probe(tab.page);
  return { firstVendor: p.firstVendorAt, barShown: p.barVisibleAt !== null };
}

/** Each library's stored grant, written by the library itself: load, accept, keep the storage. */
export async function captureGrant(browser, library, base) {
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
