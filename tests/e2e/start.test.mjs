// ConsentGate.start() as page code calls it through the ES module (issue 17,
// bug 3): before init() it rejects with an error that says so (it threw the
// glue's raw TypeError); a second start() on the same page resolves to the
// same gate instead of drawing a second bar (React's StrictMode starts effects
// twice), even when another copy of the library (the drop-in) started it, and
// one with another config is refused with a clear error until the live gate
// is freed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { launch, recordErrorEvents } from './harness.mjs';
import { createServer } from '../../scripts/serve.mjs';

const BLANK = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title></head><body></body></html>';

let server;
let base;
let browser;

before(async () => {
  const demoFiles = createServer();
  server = http.createServer((req, res) => {
    if (req.url !== '/blank.html') return demoFiles.emit('request', req, res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(BLANK);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page at `path`, with vendor hosts answered empty (none is expected). */
async function open(path) {
  const context = await browser.newContext();
  await context.route((url) => url.host !== new URL(base).host, (route) => route.fulfill({ status: 204, body: '' }));
  const page = await context.newPage();
  await recordErrorEvents(page);
  await page.goto(`${base}${path}`);
  return { context, page };
}

test('start() before init() rejects with an error that names init()', async () => {
  const { context, page } = await open('blank.html');
  const message = await page.evaluate(async () => {
    const { ConsentGate } = await import('/pkg/consent_gate.js');
    return ConsentGate.start('/consent.json').then(
      () => 'started',
      (error) => `${error.constructor.name}: ${error.message}`,
    );
  });
  assert.match(message, /^Error: consent-gate: ConsentGate\.start\(\) was called before init\(\)/);
  assert.equal(await page.locator('.cg-bar').count(), 0);
  await context.close();
});

test('start() waits for an init() that was called but not awaited', async () => {
  const { context, page } = await open('blank.html');
  await page.evaluate(async () => {
    const { default: init, ConsentGate } = await import('/pkg/consent_gate.js');
    init();
    window.consentGate = await ConsentGate.start('/consent.json');
  });
  await page.locator('.cg-bar').waitFor();
  await context.close();
});

test('start() twice with the same config (StrictMode) gives the same gate and one bar', async () => {
  const { context, page } = await open('blank.html');
  const same = await page.evaluate(async () => {
    const { default: init, ConsentGate } = await import('/pkg/consent_gate.js');
    await init();
    // Both before either has resolved, as StrictMode's double effect does.
    const [first, second] = await Promise.all([ConsentGate.start('/consent.json'), ConsentGate.start('/consent.json')]);
    const third = await ConsentGate.start('/consent.json');
    window.consentGate = first;
    return first === second && second === third;
  });
  assert.ok(same, 'every start() resolved to the same gate');
  await page.locator('.cg-bar').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.cg-bar').count(), 1, 'one bar');
  await page.click('.cg-bar [data-cg-action="reject"]');
  assert.equal(await page.evaluate(() => window.consentGate.isGranted('analytics')), false);
  assert.deepEqual(await page.evaluate(() => window.errorEvents), []);
  await context.close();
});

test('start() with another config while a gate is live is refused until that gate is freed', async () => {
  const { context, page } = await open('blank.html');
  const outcome = await page.evaluate(async () => {
    const { default: init, ConsentGate } = await import('/pkg/consent_gate.js');
    await init();
    const config = await (await fetch('/consent.json')).json();
    const first = await ConsentGate.start(config);
    const other = { ...config, storage: { key: 'consent-gate-other' } };
    const refused = await ConsentGate.start(other).then(() => 'started', (error) => error.message);
    first.free();
    const second = await ConsentGate.start(other);
    window.consentGate = second;
    return { refused, different: first !== second };
  });
  assert.match(outcome.refused, /^consent-gate: start\(\) was called again with another config or nonce; use the gate it gave, or free\(\) it first$/);
  assert.ok(outcome.different);
  await page.locator('.cg-bar').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.cg-bar').count(), 1, 'the freed gate took its bar away; the new one drew its own');
  assert.deepEqual(await page.evaluate(() => window.errorEvents), [outcome.refused.replace(/^consent-gate: /, '')]);
  await context.close();
});

test('the ES module on a page where the drop-in started gets the drop-in\'s gate, or a clear error', async () => {
  const { context, page } = await open('en/');
  await page.waitForFunction(() => window.consentGate !== undefined);
  const outcome = await page.evaluate(async () => {
    const { default: init, ConsentGate } = await import('/pkg/consent_gate.js');
    await init();
    const same = (await ConsentGate.start('/consent.json')) === window.consentGate;
    const config = await (await fetch('/consent.json')).json();
    const other = await ConsentGate.start({ ...config, revision: 2 }).then(() => 'started', (error) => error.message);
    return { same, other };
  });
  assert.ok(outcome.same, 'the same config: the live gate, though another copy of the library started it');
  assert.match(outcome.other, /^consent-gate: start\(\) was called again with another config or nonce/);
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.cg-bar').count(), 1, 'one bar');
  await context.close();
});

test('a gate the page kept no reference to is not lost to the garbage collector', async () => {
  // wasm-bindgen frees an unreachable gate object, which took the bar away
  // and stopped the listeners; the page's record of the live gate keeps it.
  const { context, page } = await open('blank.html');
  await page.evaluate(async () => {
    const { default: init, ConsentGate } = await import('/pkg/consent_gate.js');
    await init();
    await ConsentGate.start('/consent.json'); // the gate is not kept
  });
  await page.locator('.cg-bar').waitFor();
  const cdp = await context.newCDPSession(page);
  for (let i = 0; i < 3; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await page.waitForTimeout(100);
  }
  assert.equal(await page.locator('.cg-bar').count(), 1, 'the bar is still there');
  await page.click('.cg-bar [data-cg-action="accept"]');
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('consent-gate') ?? 'null')?.choices?.analytics === true);
  await context.close();
});

test('a refused config object is named as the object, its problems by field path (issue 17, bug 4)', async () => {
  const { context, page } = await open('blank.html');
  const message = await page.evaluate(async () => {
    const { default: init, ConsentGate } = await import('/pkg/consent_gate.js');
    await init();
    const config = { policy: { url: '/cookies', edition: '1' }, vendors: [{ type: 'ga4', measurementId: 'UA-1-1', lifetime: '1 day' }] };
    return ConsentGate.start(config).then(() => 'started', (error) => error.message);
  });
  // Through the diagnostics part, which the split build fetches for it.
  assert.match(message, /the config object given to start\(\) has 1 problem/);
  assert.match(message, /vendors\[0\]\.measurementId: 'UA-1-1' is a retired Universal Analytics id/);
  assert.doesNotMatch(message, /consent\.json|line \d/);
  await context.close();
});
