// How the drop-in loads: one script (the glue is bundled in), then the wasm
// and the config side by side, each requested once even where the page
// preloads them; and a config that cannot be loaded or read fails closed,
// with the problem reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { useDemo, openSite, waitForBar, settle } from './harness.mjs';
import { createServer } from '../../scripts/serve.mjs';
import { isVendorHost } from '../../scripts/chromium.mjs';

const demo = useDemo();

/** Same-site requests by path, counted. */
function countRequests(page, base) {
  const counts = new Map();
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === new URL(base).origin) counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
  });
  return counts;
}

test('the drop-in loads one script, then the wasm and the config once each, preloads reused; a first visit adds the ui part', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  const counts = countRequests(page, demo.base);
  await page.goto(`${demo.base}en/`);
  await waitForBar(page);
  await settle(page);
  const library = [...counts].filter(([path]) => path.startsWith('/pkg/') || path === '/consent.json');
  assert.deepEqual(new Map(library), new Map([
    ['/pkg/consent-gate.css', 1],
    ['/pkg/consent-gate-auto.js', 1],
    ['/pkg/consent_gate_bg.wasm', 1],
    ['/consent.json', 1],
    ['/pkg/consent_gate_ui.js', 1],
    ['/pkg/consent_gate_ui_bg.wasm', 1],
  ]));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a config the server does not give is reported, and nothing loads', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await page.route(`${demo.base}consent.json`, (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(`${demo.base}en/`);
  await settle(page);
  assert.equal(await page.locator('.cg-bar').count(), 0, 'no bar without a config');
  assert.deepEqual(vendorRequests, []);
  assert.ok(
    problems.some((p) => p.includes('could not load the config from http') && p.includes('/consent.json: the server answered 404')),
    problems.join('\n'),
  );
  await context.close();
});

test('a config that does not load is listed where the site asks, by the diagnostics part', async () => {
  const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
  await page.route(`${demo.base}consent.json`, (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(`${demo.base}en/cookie-policy.html`);
  const listed = page.locator('[data-consent-errors] li');
  await listed.first().waitFor();
  const text = await listed.allTextContents();
  assert.ok(text.some((t) => t.includes('/consent.json: the server answered 404')), text.join('\n'));
  assert.deepEqual(vendorRequests, []);
  await context.close();
});

test('a config that cannot be fetched at all is reported with its address', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await page.route(`${demo.base}consent.json`, (route) => route.abort('connectionrefused'));
  await page.goto(`${demo.base}en/`);
  await settle(page);
  assert.equal(await page.locator('.cg-bar').count(), 0);
  assert.deepEqual(vendorRequests, []);
  assert.ok(problems.some((p) => p.includes('could not load the config: /consent.json did not load')), problems.join('\n'));
  await context.close();
});

test('a broken config lists its problems with the line and column of the file as served', async () => {
  const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
  const broken = '{\n  "policy": {"url": "/cookies", "edition": "1"},\n  "vendors": [\n    {"type": "ga4", "measurementId": "UA-1-1", "lifetime": "180 days"}\n  ]\n}\n';
  await page.route(`${demo.base}consent.json`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: broken }));
  await page.goto(`${demo.base}en/cookie-policy.html`);
  const listed = page.locator('[data-consent-errors] li');
  await listed.first().waitFor();
  const text = await listed.allTextContents();
  assert.ok(
    text.some((t) => t.startsWith('line 4, column 38: vendors[0].measurementId:') && t.includes('retired Universal Analytics id')),
    text.join('\n'),
  );
  await settle(page);
  assert.equal(await page.locator('.cg-bar').count(), 0);
  assert.deepEqual(vendorRequests, []);
  await context.close();
});

/**
 * A server for a page sent in two parts: the demo's files, plus /slow.html,
 * whose head goes out at once and whose tail only once `until()` resolves
 * (or after 5 s). `server.early` says whether `until()` came first.
 */
async function twoPartPage(head, tail, until, extra = {}) {
  const demoFiles = createServer();
  const server = http.createServer(async (req, res) => {
    if (extra[req.url]) {
      const type = req.url.endsWith('.json') ? 'application/json' : 'text/javascript';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      return res.end(extra[req.url]);
    }
    if (!req.url.startsWith('/slow.html')) return demoFiles.emit('request', req, res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.write(head + ' '.repeat(2048)); // past the parser's first buffer
    const early = await Promise.race([until(req), new Promise((r) => setTimeout(() => r(false), 5000))]);
    await new Promise((r) => setTimeout(r, 300)); // time for whatever came early to run
    res.end(tail);
    server.early = early;
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

const SLOW_HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Slow page</title>'
  + '<link rel="stylesheet" href="/pkg/consent-gate.css">'
  + '<script type="module" async src="/pkg/consent-gate-auto.js" data-config="/consent.json"></script>'
  + '</head><body><main><h1>Cookies</h1>';

test('an async drop-in starts compiling while the page is still arriving, and shows its bar and declarations once it is parsed', async () => {
  // The tail (with a declaration placeholder) goes out only after the drop-in
  // has asked for the wasm. Rendered before the parse ended, consent-gate
  // would find no placeholder and render no declaration.
  let wasmRequested;
  const wasmAsked = new Promise((resolve) => { wasmRequested = resolve; });
  const tail = '<div data-consent-declaration><p>Fallback text.</p></div></main></body></html>';
  const { server, base } = await twoPartPage(SLOW_HEAD, tail, () => wasmAsked);
  // First in line: the demo's file server rewrites req.url as it serves.
  server.prependListener('request', (req) => { if (req.url === '/pkg/consent_gate_bg.wasm') wasmRequested(true); });
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, base);
  try {
    await page.goto(`${base}slow.html`);
    await waitForBar(page);
    await page.locator('[data-consent-declaration] table').first().waitFor();
    assert.equal(server.early, true, 'the wasm was requested before the page had fully arrived');
    assert.equal(await page.locator('[data-consent-declaration]').getByText('Fallback text.').count(), 0);
    assert.deepEqual(vendorRequests, []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('a returning visitor\'s tags load while the page is still arriving; events and gated elements wait for the parsed page', async () => {
  // The tail goes out only once a vendor tag was requested (or after 5 s).
  // It holds what must not be missed: the page's own listeners for
  // consent-gate's events, and a gated element.
  // Armed when the slow page is asked for: the first visit's tags do not count.
  let vendorRequested = () => {};
  const untilVendor = () => new Promise((resolve) => { vendorRequested = resolve; });
  const tail = '<script src="/listen.js"></script>'
    + '<script type="text/plain" data-consent="analytics" data-src="/gated.js"></script>'
    + '<div data-consent-declaration></div></main></body></html>';
  const extra = {
    '/listen.js': "window.heard = []; for (const name of ['change', 'ready']) document.addEventListener(`consent-gate:${name}`, () => heard.push(name));",
    '/gated.js': 'window.gatedRan = true;',
  };
  const { server, base } = await twoPartPage(SLOW_HEAD, tail, untilVendor, extra);
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, base);
  page.on('request', (r) => { if (isVendorHost(new URL(r.url()).hostname)) vendorRequested(true); });
  try {
    // The first visit grants everything: on the demo's page, not the slow one.
    await page.goto(`${base}en/`);
    await waitForBar(page);
    await page.click('.cg-bar [data-cg-action="accept"]');
    await page.waitForFunction(() => window.consentGate?.isGranted('marketing'));
    vendorRequests.length = 0;
    await page.goto(`${base}slow.html`);
    await page.waitForFunction(() => window.gatedRan === true);
    assert.equal(server.early, true, 'a vendor tag was requested before the page had fully arrived');
    assert.ok(vendorRequests.length > 0);
    assert.deepEqual(await page.evaluate(() => window.heard), ['change', 'ready']);
    await page.locator('[data-consent-declaration] table').first().waitFor();
    assert.equal(await page.locator('.cg-bar').count(), 0, 'no bar for a returning visitor');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('a choice withdrawn before the page is parsed is the one its events and gated elements get', async () => {
  // A returning visitor who granted everything; the page withdraws analytics
  // while it is still arriving (as a script, a settings link or another tab
  // could). Its gated analytics element must not run, and its listeners must
  // hear the choices as they are once it is parsed, not as they were at start.
  const config = { ...JSON.parse(readFileSync(new URL('../../www/consent.json', import.meta.url), 'utf8')), reloadOnWithdraw: false };
  const head = SLOW_HEAD.replace('data-config="/consent.json"', 'data-config="/test-consent.json"');
  const tail = '<script src="/listen.js"></script><script src="/withdraw.js"></script>'
    + '<script type="text/plain" data-consent="analytics" data-src="/gated.js"></script>'
    + '</main></body></html>';
  const extra = {
    '/test-consent.json': JSON.stringify(config),
    // ready's detail is the gate itself: only whether it is one is recorded.
    '/listen.js': "window.heard = []; for (const name of ['change', 'ready']) document.addEventListener(`consent-gate:${name}`, (e) => heard.push([name, name === 'ready' ? e.detail === window.consentGate || typeof e.detail?.isGranted === 'function' : e.detail]));",
    // On the second visit only: the first is where the visitor grants.
    '/withdraw.js': "if (!location.search) consentGate.set({ analytics: false, marketing: true });",
    '/gated.js': 'window.gatedRan = true;',
  };
  let vendorRequested = () => {};
  const until = (req) => (req.url.includes('first')
    ? Promise.resolve(true)
    : new Promise((resolve) => { vendorRequested = resolve; }));
  const { server, base } = await twoPartPage(head, tail, until, extra);
  const { context, page, problems } = await openSite(demo.browser, base);
  page.on('request', (r) => { if (isVendorHost(new URL(r.url()).hostname)) vendorRequested(true); });
  try {
    await page.goto(`${base}slow.html?first`);
    await waitForBar(page);
    await page.click('.cg-bar [data-cg-action="accept"]');
    await page.waitForFunction(() => window.consentGate?.isGranted('analytics'));
    await page.goto(`${base}slow.html`);
    await page.waitForFunction(() => window.heard?.some(([name]) => name === 'ready'));
    await settle(page);
    assert.equal(server.early, true, 'the withdrawal came before the page had fully arrived');
    assert.deepEqual(await page.evaluate(() => window.heard), [['change', { analytics: false, marketing: true, decided: true, vendors: { analytics: { ga4: false }, marketing: { adform: true, criteo: true, 'google-marketing-platform': true, 'google-ads': true, 'facebook-pixel': true } } }], ['ready', true]]);
    assert.equal(await page.evaluate(() => window.gatedRan), undefined, 'the withdrawn category\'s gated element did not run');
    assert.equal(await page.evaluate(() => window.consentGate.isGranted('analytics')), false);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    server.close();
  }
});

test('a page whose parsing is stopped (window.stop()) still gets its bar', async () => {
  // Stopping the parser skips DOMContentLoaded; what waited for it must not wait forever.
  const tail = '<script src="/stop.js"></script><p>Never parsed.</p></main></body></html>';
  const extra = { '/stop.js': 'window.stop();' };
  let wasmRequested;
  const wasmAsked = new Promise((resolve) => { wasmRequested = resolve; });
  const { server, base } = await twoPartPage(SLOW_HEAD, tail, () => wasmAsked, extra);
  server.prependListener('request', (req) => { if (req.url === '/pkg/consent_gate_bg.wasm') wasmRequested(true); });
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, base);
  try {
    await page.goto(`${base}slow.html`, { waitUntil: 'commit' });
    await waitForBar(page);
    assert.equal(server.early, true, 'the drop-in ran before the page was stopped');
    assert.equal(await page.evaluate(() => document.readyState), 'complete');
    assert.deepEqual(vendorRequests, []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    server.close();
  }
});
