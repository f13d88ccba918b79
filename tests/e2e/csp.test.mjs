// Under a strict Content Security Policy (no 'unsafe-inline', no inline style,
// scripts only from the site, the vendor hosts and a per-response nonce),
// consent-gate, its bar, the vendor tags and the gated markup all work with
// no violation reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { useDemo, openSite, waitForBar, recordErrorEvents } from './harness.mjs';

const demo = useDemo();

const VENDOR_SCRIPT_HOSTS = [
  'https://www.googletagmanager.com',
  'https://connect.facebook.net',
  'https://dynamic.criteo.com',
  'https://s2.adform.net',
];

function strictPolicy(nonce) {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' 'nonce-${nonce}' ${VENDOR_SCRIPT_HOSTS.join(' ')}`,
    "style-src 'self'",
    "img-src 'self'",
    "frame-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
  ].join('; ');
}

/**
 * Waits for the activated iframe and image to finish loading, then a little
 * longer. (Not 'networkidle': with an iframe added after load Chromium does
 * not always report it, and the test timed out now and then.)
 */
async function settleGated(page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('iframe[src]')].every((f) => f.contentDocument?.readyState === 'complete') &&
    [...document.querySelectorAll('img[src]')].every((i) => i.complete));
  await page.waitForTimeout(300);
}

/**
 * Serves gated.html with a fresh nonce in the CSP header, on the drop-in
 * script and on the site's gated scripts (as a site's templates would put it).
 * `edit` may change the page further.
 */
async function serveWithPolicy(page, nonce, edit = (html) => html) {
  await page.route(`${demo.base}gated.html`, async (route) => {
    const response = await route.fetch();
    const html = edit((await response.text())
      .replace('<script type="module" async src="/pkg/consent-gate-auto.js"', `<script type="module" async nonce="${nonce}" src="/pkg/consent-gate-auto.js"`)
      .replaceAll('<script type="text/plain" data-consent=', `<script type="text/plain" nonce="${nonce}" data-consent=`));
    await route.fulfill({
      response,
      body: html,
      headers: { ...response.headers(), 'content-security-policy': strictPolicy(nonce) },
    });
  });
}

test('strict CSP: the bar, every vendor tag and the gated markup run with no violation', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  const nonce = randomBytes(16).toString('base64');
  await serveWithPolicy(page, nonce);
  await page.goto(`${demo.base}gated.html`);
  const bar = await waitForBar(page);
  await page.waitForTimeout(500);
  assert.deepEqual(vendorRequests, [], 'nothing before a choice');
  assert.equal(await page.evaluate(() => window.gatedOrder), undefined, 'no gated script before a choice');
  assert.equal(await page.locator('iframe[src]').count(), 0);

  await bar.getByRole('button', { name: 'Accept all' }).click();
  await page.waitForFunction(() => window.__standin?.loaded?.length === 4);
  await page.waitForFunction(() => window.gatedOrder?.length === 4);
  await settleGated(page);

  assert.deepEqual(await page.evaluate(() => window.gatedOrder), ['inline analytics', 'external marketing', 'external after', 'inline marketing']);
  assert.equal(await page.locator('iframe[src="/gated/embed.html"][title="An embedded video player"]').count(), 1);
  assert.equal(await page.locator('img[src="/gated/pixel.svg"]').count(), 1);
  // Every script consent-gate inserted carries the nonce (read as the property).
  const nonces = await page.evaluate(() => [...document.querySelectorAll('script[data-consent-gate], script[data-consent]')].map((s) => s.nonce));
  assert.ok(nonces.length >= 7, `vendor loaders and gated scripts: ${nonces.length}`);
  assert.ok(nonces.every((n) => n === nonce), 'each inserted script has the nonce');

  // A gated element added after the grant is activated too.
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.dataset.consent = 'marketing';
    img.dataset.src = '/gated/pixel.svg?late';
    img.alt = '';
    document.body.append(img);
  });
  await page.waitForSelector('img[src="/gated/pixel.svg?late"]');

  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no securitypolicyviolation event');
  assert.deepEqual(problems.filter((p) => /Content Security Policy/i.test(p)), [], 'no CSP error on the console');
  assert.deepEqual(problems, []);

  // The policy was in force: a script without the nonce is blocked and reported.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.unnoncedRan = true';
    document.body.append(s);
  });
  await page.waitForFunction(() => window.cspViolations.length === 1);
  assert.equal(await page.evaluate(() => window.unnoncedRan), undefined);
  await context.close();
});

test('without a nonce the site\'s gated scripts, inline ones too, run in order after the grant', async () => {
  // No nonce given: nothing tells the site's gated scripts from others, and
  // the browser's CSP, if any, decides what runs, as for the page's own scripts.
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  await page.goto(`${demo.base}gated.html`);
  const bar = await waitForBar(page);
  await bar.getByRole('button', { name: 'Accept all' }).click();
  await page.waitForFunction(() => window.gatedOrder?.length >= 2);
  await settleGated(page);
  assert.deepEqual(await page.evaluate(() => window.gatedOrder), ['inline analytics', 'external marketing', 'external after', 'inline marketing']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('with a nonce, a gated script without it or with a refused data-type stays inert and is reported', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  await recordErrorEvents(page);
  const nonce = randomBytes(16).toString('base64');
  await serveWithPolicy(page, nonce, (html) => html.replace('</main>', `
    <script type="text/plain" data-consent="analytics" data-src="/gated/external.js" data-order="forgotten"></script>
    <script type="text/plain" nonce="${nonce}" data-consent="analytics" data-type="importmap">{"imports": {}}</script>
    <script type="text/plain" nonce="${nonce}" data-consent="analytics" data-type="module">(window.gatedOrder ||= []).push('module')</script>
    </main>`));
  await page.goto(`${demo.base}gated.html`);
  const bar = await waitForBar(page);
  await bar.getByRole('button', { name: 'Accept all' }).click();
  await page.waitForFunction(() => window.gatedOrder?.length === 5);
  await settleGated(page);
  assert.deepEqual(await page.evaluate(() => window.gatedOrder), ['inline analytics', 'external marketing', 'external after', 'inline marketing', 'module']);
  assert.equal(await page.locator('script[type="module"][data-consent]').count(), 1);
  assert.equal(await page.locator('script[type="importmap"]').count(), 0);
  const expected = [
    '<script data-consent="analytics" data-src="/gated/external.js"> stays inactive: it does not carry the page\'s CSP nonce, so it may have been injected. Put nonce="…" on gated scripts, in the markup and in code that adds them',
    '<script data-consent="analytics"> stays inactive: data-type="importmap" is not a script type consent-gate runs; use "module", a JavaScript type, or no data-type',
  ];
  assert.deepEqual(await page.evaluate(() => window.errorEvents), expected);
  assert.deepEqual(problems, expected.map((m) => `console error: consent-gate: ${m}`));
  await context.close();
});

test('consecutive gated external scripts are fetched in parallel and still run in document order', async () => {
  const { page } = await openSite(demo.browser, demo.base);
  await serveWithPolicy(page, randomBytes(16).toString('base64'));
  // external.js is held until external-after.js is requested: only a parallel
  // fetch gets past this (a sequential one would wait out the 5 s fallback).
  let afterRequested;
  const requested = new Promise((resolve) => { afterRequested = resolve; });
  page.on('request', (r) => { if (r.url().endsWith('/gated/external-after.js')) afterRequested(true); });
  let fetchedInParallel;
  await page.route(`${demo.base}gated/external.js`, async (route) => {
    fetchedInParallel = await Promise.race([requested, new Promise((r) => setTimeout(() => r(false), 5000))]);
    await route.continue();
  });
  await page.goto(`${demo.base}gated.html`);
  const bar = await waitForBar(page);
  await bar.getByRole('button', { name: 'Accept all' }).click();
  await page.waitForFunction(() => window.gatedOrder?.length === 4);
  assert.equal(fetchedInParallel, true, 'external-after.js was requested while external.js was still loading');
  assert.deepEqual(await page.evaluate(() => window.gatedOrder), ['inline analytics', 'external marketing', 'external after', 'inline marketing']);
  await page.context().close();
});
