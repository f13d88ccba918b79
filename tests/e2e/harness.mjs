// Shared end-to-end set-up: the demo server, Debian's Chromium through
// playwright-core, and a vendor network stand-in that records every request
// to a vendor host and answers it with a script that behaves like the vendor.
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { listen } from '../../scripts/serve.mjs';
import { isVendorHost, chromiumOptions } from '../../scripts/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// Loader URLs and the stand-in that answers each.
const STANDINS = [
  { match: (u) => u.hostname === 'www.googletagmanager.com' && u.pathname === '/gtag/js', file: 'gtag.js' },
  { match: (u) => u.hostname === 'connect.facebook.net' && u.pathname.endsWith('/fbevents.js'), file: 'fbevents.js' },
  { match: (u) => u.hostname === 'dynamic.criteo.com' && u.pathname === '/js/ld/ld.js', file: 'criteo-ld.js' },
  { match: (u) => u.hostname === 's2.adform.net' && u.pathname.endsWith('/trackpoint-async.js'), file: 'adform-trackpoint.js' },
];

export async function startServer() {
  return listen(0);
}

/** The demo's address under a site name given to launch({ siteNames }). */
export function siteUrl(server, name) {
  return `http://${name}:${server.address().port}/`;
}

/**
 * Chromium with every name but loopback unresolvable. `siteNames` are mapped
 * to 127.0.0.1, so the demo runs on a real registrable domain (cookies with
 * `domain=example.lv` work there); see siteUrl().
 */
export async function launch({ siteNames = [] } = {}) {
  return chromium.launch(chromiumOptions({ siteNames }));
}

/**
 * A fresh browser context (its own storage and cookies) with the vendor
 * stand-ins routed. Returns { context, page, vendorRequests, problems, signals }
 * (signals: the consent calls each stand-in received, across reloads):
 * vendorRequests lists every request to a vendor host in order, with the time
 * it was made; problems collects console errors, page errors and requests that
 * left for a host that is neither the demo nor a vendor.
 */
export async function openSite(browser, baseUrl, { contextOptions = {} } = {}) {
  const context = await browser.newContext(contextOptions);
  const vendorRequests = [];
  const problems = [];
  const base = new URL(baseUrl);
  await context.route(
    (url) => url.host !== base.host,
    async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      if (!isVendorHost(url.hostname)) {
        problems.push(`unexpected request to ${url.href}`);
        return route.abort();
      }
      vendorRequests.push({ url: url.href, at: Date.now() });
      const standin = STANDINS.find((s) => s.match(url));
      if (!standin) return route.fulfill({ status: 204, body: '' });
      return route.fulfill({
        status: 200,
        contentType: 'text/javascript',
        body: readFileSync(join(here, 'standins', standin.file), 'utf8'),
      });
    },
  );
  const page = await context.newPage();
  // Consent signals the stand-ins saw, kept across reloads (withdrawal reloads).
  const signals = [];
  await page.exposeFunction('__standinReport', (vendor, args) => signals.push([vendor, ...args]));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  return { context, page, vendorRequests, problems, signals };
}

/**
 * Collects the message of every consent-gate:error event the page hears, from
 * its first script on, in `window.errorEvents`.
 */
export function recordErrorEvents(page) {
  return page.addInitScript(() => {
    window.errorEvents = [];
    document.addEventListener('consent-gate:error', (e) => window.errorEvents.push(e.detail.message));
  });
}

/** The bar, once it is on the page. */
export async function waitForBar(page) {
  const bar = page.locator('.cg-bar');
  await bar.waitFor({ state: 'visible' });
  return bar;
}

/** Resolves once consent-gate has started on the page (window.consentGate set). */
export async function waitForStart(page) {
  await page.waitForFunction(() => window.consentGate !== undefined);
}

/** Lets the page settle, so a request that would follow does get made. */
export async function settle(page, ms = 300) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(ms);
}

export function hosts(requests) {
  return requests.map((r) => new URL(r.url).hostname);
}

/**
 * The demo server and one browser for a whole test file: call at the top of
 * the file; `demo.browser` and `demo.base` are set before the first test.
 * With `siteName`, the demo answers as that real registrable domain.
 */
export function useDemo({ siteName } = {}) {
  const demo = { server: undefined, browser: undefined, base: undefined };
  before(async () => {
    const { server, url } = await startServer();
    demo.server = server;
    demo.base = siteName ? siteUrl(server, siteName) : url;
    demo.browser = await launch({ siteNames: siteName ? [siteName] : [] });
  });
  after(async () => {
    await demo.browser?.close();
    demo.server?.close();
  });
  return demo;
}
