// The first slice end to end: the bar, the stored choice, and no vendor
// request before consent, in a real Chromium against the served demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useDemo, openSite, waitForBar, waitForStart, settle, hosts } from './harness.mjs';

const demo = useDemo();

const GTAG = /^https:\/\/www\.googletagmanager\.com\/gtag\/js\?id=G-DEMO2024LV$/;

test('first visit: the bar shows and no vendor host is contacted', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  const bar = await waitForBar(page);
  await settle(page);
  assert.deepEqual(vendorRequests, [], 'no vendor request before a choice');
  assert.ok(await bar.getByRole('button', { name: 'Pieņemt visas' }).isVisible());
  assert.ok(await bar.getByRole('button', { name: 'Noraidīt visas' }).isVisible());
  assert.deepEqual(await page.evaluate(() => window.consentGate.choices()), { analytics: false, marketing: false });
  assert.deepEqual(problems, []);
  await context.close();
});

test('reject all: nothing loads, now or after a reload, and the bar stays away', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  const bar = await waitForBar(page);
  await bar.getByRole('button', { name: 'Noraidīt visas' }).click();
  await bar.waitFor({ state: 'detached' });
  await settle(page);
  assert.deepEqual(vendorRequests, []);

  await page.reload();
  await waitForStart(page);
  await settle(page);
  assert.equal(await page.locator('.cg-bar').count(), 0, 'no bar after a stored refusal');
  assert.deepEqual(vendorRequests, []);
  const record = await page.evaluate(() => window.consentGate.record());
  assert.deepEqual(record.choices, { analytics: false, marketing: false });
  assert.equal(record.source, 'bar-reject');
  assert.match(record.id, /^[0-9a-f]{32}$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('accept all: GA loads only after the click, and again on reload without the bar', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  const bar = await waitForBar(page);
  await settle(page);
  const clickedAt = Date.now();
  assert.deepEqual(vendorRequests, []);
  await bar.getByRole('button', { name: 'Pieņemt visas' }).click();
  await page.waitForFunction(() => window.__standin?.loaded?.includes('gtag'));
  await settle(page);

  const gtagRequests = vendorRequests.filter((r) => GTAG.test(r.url));
  assert.equal(gtagRequests.length, 1, `gtag.js requested once, saw ${hosts(vendorRequests)}`);
  assert.ok(vendorRequests.every((r) => r.at >= clickedAt), 'every vendor request follows the click');
  // The Google tags share one gtag.js; each other vendor's loader is requested once.
  assert.deepEqual(
    vendorRequests.map((r) => r.url).sort(),
    [
      'https://connect.facebook.net/en_US/fbevents.js',
      'https://dynamic.criteo.com/js/ld/ld.js?a=12345',
      'https://s2.adform.net/banners/scripts/st/trackpoint-async.js',
      'https://www.googletagmanager.com/gtag/js?id=G-DEMO2024LV',
    ],
  );
  // gtag saw the Consent Mode default before anything else, then the update.
  const gtagLog = await page.evaluate(() => window.__standin.gtag);
  assert.deepEqual(gtagLog[0].slice(0, 2), ['consent', 'default']);
  assert.equal(gtagLog[0][2].analytics_storage, 'denied');
  assert.deepEqual(gtagLog[1].slice(0, 2), ['consent', 'update']);
  assert.equal(gtagLog[1][2].analytics_storage, 'granted');
  const config = gtagLog.find((a) => a[0] === 'config' && a[1] === 'G-DEMO2024LV');
  assert.equal(config[2].cookie_expires, 180 * 86400, 'GA is told the declared 180 days');
  const cookies = (await context.cookies()).map((c) => c.name);
  assert.ok(cookies.includes('_ga'), `GA set its cookie: ${cookies}`);

  vendorRequests.length = 0;
  await page.reload();
  await waitForStart(page);
  await page.waitForFunction(() => window.__standin?.loaded?.includes('gtag'));
  await settle(page);
  assert.equal(await page.locator('.cg-bar').count(), 0, 'no bar for a returning visitor');
  assert.equal(vendorRequests.filter((r) => GTAG.test(r.url)).length, 1, 'gtag.js requested again on reload');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a corrupt stored value is not consent: the bar asks, nothing loads, the error is reported', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await context.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('consent-gate', '{"v":1,"choices":{"analytics":true,"marketing":true}}');
      sessionStorage.setItem('seeded', '1');
    }
  });
  const errors = [];
  await page.exposeFunction('reportConsentError', (m) => errors.push(m));
  await context.addInitScript(() => {
    document.addEventListener('consent-gate:error', (e) => window.reportConsentError(e.detail.message));
  });
  await page.goto(demo.base);
  await waitForBar(page);
  await settle(page);
  assert.deepEqual(vendorRequests, []);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /not a consent-gate record/);
  assert.equal(problems.length, 1, 'the problem also went to the console');
  assert.match(problems[0], /consent-gate: the stored consent is not a consent-gate record/);
  await context.close();
});
