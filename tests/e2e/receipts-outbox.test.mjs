// Receipts in the browser (issue 18): each decision sends one receipt to the
// config's `receipts.url`, which waits in an outbox in localStorage until the
// collector answers 2xx. Here the collector is a route that answers as told,
// so each answer (stored, down, refused) is shown; tests/e2e/receipts.test.mjs
// runs the real collector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useDemo, openSite, waitForBar, waitForStart, recordErrorEvents, settle } from './harness.mjs';

const demo = useDemo();
const OUTBOX = 'consent-gate:outbox';
const CONFIG = JSON.stringify({
  ...JSON.parse(readFileSync(new URL('../../www/consent.json', import.meta.url), 'utf8')),
  receipts: { url: '/consent/receipts' },
});

/** The demo with receipts on; the collector answers each POST with `status()`. */
async function open(status) {
  const site = await openSite(demo.browser, `${demo.base}?utm_source=mail&email=a%40b.lv`);
  await site.page.route(`${demo.base}consent.json`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: CONFIG }));
  const posted = [];
  await site.page.route(`${demo.base}consent/receipts`, (route) => {
    const request = route.request();
    posted.push({ body: JSON.parse(request.postData()), headers: request.headers() });
    return route.fulfill({ status: status(), contentType: 'application/json', body: '{}' });
  });
  await recordErrorEvents(site.page);
  return { ...site, posted };
}

const outbox = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), OUTBOX);

test('a decision sends one receipt with what was decided, and nothing that names the visitor', async () => {
  const { context, page, posted, problems } = await open(() => 201);
  await page.goto(`${demo.base}?utm_source=mail&email=a%40b.lv`);
  const bar = await waitForBar(page);
  await bar.locator('[data-cg-action=accept]').click();
  await settle(page);
  assert.equal(posted.length, 1, 'one receipt per decision');
  const [{ body, headers }] = posted;
  const record = await page.evaluate(() => JSON.parse(localStorage.getItem('consent-gate')));
  assert.deepEqual(Object.keys(body), [
    'v', 'receiptId', 'consentId', 'decidedAt', 'choices', 'vendors', 'fingerprints', 'revision', 'edition', 'source',
    'lang', 'path', 'dnt', 'gpc',
  ]);
  assert.equal(body.v, 1);
  assert.match(body.receiptId, /^[0-9a-f]{32}$/);
  assert.equal(body.consentId, record.id);
  assert.equal(body.decidedAt, record.updatedAt);
  assert.deepEqual(body.choices, { analytics: true, marketing: true });
  assert.deepEqual(body.vendors, {
    ga4: true, 'google-ads': true, 'google-marketing-platform': true, 'facebook-pixel': true, criteo: true, adform: true,
  });
  assert.match(body.fingerprints.analytics, /^[0-9a-f]{16}$/);
  assert.match(body.fingerprints.marketing, /^[0-9a-f]{16}$/);
  assert.equal(body.source, 'bar-accept');
  assert.equal(body.lang, 'lv');
  assert.equal(body.path, '/', 'the path only: the query string may carry an e-mail address');
  assert.deepEqual([body.dnt, body.gpc], [false, false]);
  assert.equal(headers.referer, undefined, 'no referrer, which would carry the query string');
  assert.equal(headers.cookie, undefined, 'no cookies');
  assert.equal(await outbox(page), null, 'a stored receipt leaves the outbox');
  assert.deepEqual(problems, []);
  await context.close();
});

test('with the collector down, receipts wait in the outbox and a later page view delivers each once', async () => {
  let status = 503;
  const { context, page, posted } = await open(() => status);
  await page.goto(demo.base);
  await (await waitForBar(page)).locator('[data-cg-action=reject]').click();
  await settle(page);
  await page.evaluate(() => window.consentGate.set({ analytics: true, marketing: false }));
  await settle(page);
  const waiting = await outbox(page);
  assert.equal(waiting.length, 2, 'the refusal and the grant wait');
  assert.deepEqual(waiting.map((r) => r.source), ['bar-reject', 'api']);
  const ids = waiting.map((r) => r.receiptId);
  const triedWhileDown = posted.length;
  assert.equal(triedWhileDown, 2, 'a page view tries each receipt once');

  status = 201;
  await page.reload();
  await waitForStart(page);
  await settle(page);
  const delivered = posted.slice(triedWhileDown).map((p) => p.body.receiptId);
  assert.deepEqual(delivered.sort(), [...ids].sort(), 'each waiting receipt is sent again, once');
  assert.equal(await outbox(page), null);
  await page.reload();
  await waitForStart(page);
  await settle(page);
  assert.equal(posted.length, triedWhileDown + 2, 'nothing is sent twice once delivered');
  await context.close();
});

/** Waits until `check()` is true (a receipt still in flight keeps the network busy, so no settle()). */
async function until(check, what, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a collector that never answers holds up nothing: the bar goes, the tags load, a withdrawal reloads', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await page.route(`${demo.base}consent.json`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: CONFIG }));
  const posted = [];
  // Taken and never answered, as a collector that hangs.
  await page.route(`${demo.base}consent/receipts`, (route) => posted.push(route.request().postDataJSON()));
  await page.goto(demo.base);
  const bar = await waitForBar(page);
  await bar.locator('[data-cg-action=accept]').click();
  await bar.waitFor({ state: 'detached' });
  await until(() => vendorRequests.some((r) => new URL(r.url).hostname === 'www.googletagmanager.com'), 'the tags');
  await until(() => posted.length === 1, 'the receipt');

  const reloaded = page.waitForEvent('load');
  await page.click('.cg-floating');
  await page.locator('.cg-prefs[open]').waitFor();
  await page.click('.cg-prefs [data-cg-action="reject"]');
  await reloaded;
  await waitForStart(page);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('consent-gate')).choices);
  assert.deepEqual(stored, { analytics: false, marketing: false }, 'the withdrawal stands');
  // Both receipts wait for an answer; the new page view sends them again.
  assert.deepEqual((await outbox(page)).map((r) => r.source), ['bar-accept', 'preferences']);
  await until(() => posted.length >= 3, 'the retry after the reload');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a receipt the collector cannot take yet is kept and reported; one it refuses for good is dropped; a tampered outbox is never sent', async () => {
  let status = 422;
  const { context, page, posted } = await open(() => status);
  await page.goto(demo.base);
  await (await waitForBar(page)).locator('[data-cg-action=accept]').click();
  await settle(page);
  assert.equal(posted.length, 1);
  assert.equal((await outbox(page)).length, 1, 'a 422 (a config the collector does not know yet) may pass later');
  let errors = await page.evaluate(() => window.errorEvents);
  assert.ok(errors.some((m) => m.includes('did not take a receipt (HTTP 422); it is kept')), errors.join('\n'));

  status = 400;
  await page.reload();
  await waitForStart(page);
  await settle(page);
  assert.equal(posted.length, 2);
  assert.equal(await outbox(page), null, 'a 400 will not change on retry');
  errors = await page.evaluate(() => window.errorEvents);
  assert.ok(errors.some((m) => m.includes('did not take a receipt (HTTP 400); it is not sent again')), errors.join('\n'));

  await page.evaluate((key) => localStorage.setItem(key, '[{"receiptId":"<img src=x>","consentId":"x"}]'), OUTBOX);
  await page.reload();
  await waitForStart(page);
  await settle(page);
  assert.equal(posted.length, 2, 'an outbox we did not write is not sent');
  assert.equal(await outbox(page), null, 'and it is dropped');
  const later = await page.evaluate(() => window.errorEvents);
  assert.ok(later.some((m) => m.includes('outbox in storage is not a list of receipts')), later.join('\n'));
  await context.close();
});

test('without receipts in the config nothing is sent and no outbox is kept', async () => {
  const site = await openSite(demo.browser, demo.base);
  const posted = [];
  await site.page.route(`${demo.base}consent/receipts`, (route) => {
    posted.push(route.request().url());
    return route.fulfill({ status: 201, body: '{}' });
  });
  await site.page.goto(demo.base);
  await (await waitForBar(site.page)).locator('[data-cg-action=accept]').click();
  await settle(site.page);
  assert.deepEqual(posted, []);
  assert.equal(await outbox(site.page), null);
  await site.context.close();
});
