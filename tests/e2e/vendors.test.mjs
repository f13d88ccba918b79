// Each of the six vendors end to end, on a real registrable domain
// (www.example.lv mapped to the demo server), with stand-ins that set the
// vendors' real first-party cookies with 2-year expiries: nothing is requested
// before its category is granted, every cookie's expiry is capped at
// first-seen + the declared lifetime, cookies older than that are deleted,
// and withdrawal deletes them on every domain level and tells the vendor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useDemo, startServer, openSite, waitForBar, waitForStart, settle } from './harness.mjs';

const SITE = 'www.example.lv';
const DAY = 86_400_000;
const demo = useDemo({ siteName: SITE });

/** `from` + a declared lifetime, counting months the way the library does (clamped to the month's end). */
function lifetimeEnd(from, { days = 0, months = 0 }) {
  const d = new Date(from);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d.getTime() + days * DAY;
}

// The demo config's vendors (www/consent.json). `capped`: the library caps the
// cookies itself; otherwise gtag is configured with the lifetime.
const VENDORS = [
  { name: 'Google Analytics', category: 'analytics', loader: 'https://www.googletagmanager.com/gtag/js?id=G-DEMO2024LV', cookies: ['_ga', '_ga_DEMO2024LV'], lifetime: { days: 180 }, capped: false },
  { name: 'Google Ads', category: 'marketing', loader: 'https://www.googletagmanager.com/gtag/js?id=G-DEMO2024LV', cookies: ['_gcl_au', '_gcl_aw'], lifetime: { days: 395 }, capped: false },
  { name: 'Google Marketing Platform', category: 'marketing', loader: 'https://www.googletagmanager.com/gtag/js?id=G-DEMO2024LV', cookies: ['_gcl_dc'], lifetime: { months: 13 }, capped: false },
  { name: 'Facebook', category: 'marketing', loader: 'https://connect.facebook.net/en_US/fbevents.js', cookies: ['_fbp', '_fbc'], lifetime: { months: 3 }, capped: true },
  { name: 'Criteo', category: 'marketing', loader: 'https://dynamic.criteo.com/js/ld/ld.js?a=12345', cookies: ['cto_bundle'], lifetime: { months: 12 }, capped: true },
  { name: 'Adform', category: 'marketing', loader: 'https://s2.adform.net/banners/scripts/st/trackpoint-async.js', cookies: ['adformfrpid'], lifetime: { days: 60 }, capped: true },
];
const MARKETING_COOKIES = VENDORS.filter((v) => v.category === 'marketing').flatMap((v) => v.cookies);
const CAPPED_COOKIES = VENDORS.filter((v) => v.capped).flatMap((v) => v.cookies);

const firstSeen = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('consent-gate:first-seen') ?? '{"seen":{}}').seen);
const requested = (requests) => [...new Set(requests.map((r) => r.url))];

async function cookieJar(context) {
  return (await context.cookies()).filter((c) => c.domain.endsWith('example.lv'));
}

/** Opens the landing page of an ad click (gtag sets _gcl_aw and the pixel
 * _fbc only after one) and grants both categories through the bar. */
async function grantAll(browser) {
  const site = await openSite(browser, demo.base);
  await site.page.goto(`${demo.base}?gclid=TeSt-gclid&fbclid=TeSt-fbclid`);
  const bar = await waitForBar(site.page);
  await settle(site.page);
  assert.deepEqual(site.vendorRequests, [], 'nothing is requested before a choice');
  const grantedAt = Date.now();
  await bar.getByRole('button', { name: 'Pieņemt visas' }).click();
  await site.page.waitForFunction(() => window.__standin?.loaded?.length === 4);
  await settle(site.page);
  return { ...site, grantedAt };
}

test('each vendor is requested only once its category is granted', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await page.goto(`${demo.base}?gclid=TeSt-gclid&fbclid=TeSt-fbclid`);
  await waitForBar(page);
  await settle(page);
  assert.deepEqual(vendorRequests, [], 'nothing before a choice');

  await page.evaluate(() => window.consentGate.set({ analytics: true, marketing: false }));
  await page.waitForFunction(() => window.__standin?.loaded?.includes('gtag'));
  await settle(page);
  assert.deepEqual(requested(vendorRequests), [VENDORS[0].loader], 'analytics: only gtag.js');
  const analyticsOnly = (await cookieJar(context)).map((c) => c.name);
  for (const name of MARKETING_COOKIES) assert.ok(!analyticsOnly.includes(name), `${name} needs marketing`);
  for (const name of VENDORS[0].cookies) assert.ok(analyticsOnly.includes(name), `${name} after the analytics grant`);

  await page.evaluate(() => window.consentGate.set({ analytics: true, marketing: true }));
  await page.waitForFunction(() => window.__standin?.loaded?.length === 4);
  await settle(page);
  assert.deepEqual(requested(vendorRequests).sort(), [...new Set(VENDORS.map((v) => v.loader))].sort(), 'each loader once');
  const names = (await cookieJar(context)).map((c) => c.name);
  for (const vendor of VENDORS) {
    for (const name of vendor.cookies) assert.ok(names.includes(name), `${vendor.name} set ${name}`);
  }
  // gtag saw the Consent Mode default before anything else.
  const gtagLog = await page.evaluate(() => window.__standin.gtag);
  assert.deepEqual(gtagLog[0].slice(0, 2), ['consent', 'default']);
  assert.deepEqual(problems, []);
  await context.close();
});

test("no vendor cookie's expiry is later than first-seen + the declared lifetime", async () => {
  const { context, page, problems, grantedAt } = await grantAll(demo.browser);
  const seen = await firstSeen(page);
  const jar = await cookieJar(context);
  for (const vendor of VENDORS) {
    for (const name of vendor.cookies) {
      const copies = jar.filter((c) => c.name === name);
      assert.equal(copies.length, 1, `${name}: one copy, no duplicate on another domain (${copies.map((c) => c.domain)})`);
      const expiresMs = copies[0].expires * 1000;
      // gtag is told cookie_expires at the grant; the library caps the others from first-seen.
      const from = vendor.capped ? seen[name] : grantedAt;
      assert.ok(from >= grantedAt - 1000 && from <= Date.now(), `${name} first seen at the grant (${from})`);
      const limit = lifetimeEnd(from, vendor.lifetime);
      assert.ok(expiresMs <= limit + 1000, `${vendor.name} ${name}: expires ${new Date(expiresMs).toISOString()}, limit ${new Date(limit).toISOString()}`);
      assert.ok(expiresMs >= limit - 60_000, `${name}: capped, not shortened (${new Date(expiresMs).toISOString()})`);
    }
  }
  assert.deepEqual(Object.keys(seen).sort(), [...CAPPED_COOKIES].sort(), 'first-seen times kept for the capped cookies');

  // A later page view does not push the expiry further: first-seen holds.
  const before = Object.fromEntries(jar.map((c) => [c.name, c.expires]));
  await page.reload();
  await waitForStart(page);
  await page.waitForFunction(() => window.__standin?.loaded?.length === 4);
  await settle(page);
  assert.deepEqual(await firstSeen(page), seen);
  for (const c of await cookieJar(context)) {
    if (CAPPED_COOKIES.includes(c.name)) assert.ok(c.expires <= before[c.name] + 1, `${c.name} not extended on a return visit`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('cookies older than their lifetime are deleted, even without a reload', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  await page.clock.install();
  await page.goto(`${demo.base}?gclid=TeSt-gclid&fbclid=TeSt-fbclid`);
  const bar = await waitForBar(page);
  await bar.getByRole('button', { name: 'Pieņemt visas' }).click();
  await page.waitForFunction(() => window.__standin?.loaded?.length === 4);
  await settle(page);
  const names = async () => (await cookieJar(context)).map((c) => c.name);
  for (const name of CAPPED_COOKIES) assert.ok((await names()).includes(name), name);

  // 70 days on: Adform's 60 days are over, Facebook's 3 months and Criteo's year are not.
  await page.clock.fastForward(70 * DAY);
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  let jar = await names();
  assert.ok(!jar.includes('adformfrpid'), `adformfrpid is gone after 60 days: ${jar}`);
  for (const name of ['_fbp', '_fbc', 'cto_bundle']) assert.ok(jar.includes(name), `${name} still in its lifetime`);

  // 400 days on: every capped cookie is past its lifetime.
  await page.clock.fastForward(330 * DAY);
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  jar = await names();
  for (const name of CAPPED_COOKIES) assert.ok(!jar.includes(name), `${name} is gone: ${jar}`);
  assert.deepEqual(await firstSeen(page), {}, 'their first-seen times are forgotten');
  assert.deepEqual(problems, []);
  await context.close();
});

test('withdrawal deletes the cookies on every domain level, clears storage and tells the vendors', async () => {
  const { context, page, problems, signals } = await grantAll(demo.browser);
  // Copies a vendor may have left on each level: the registrable domain, a
  // domain cookie for the host, and a host-only cookie.
  const levels = [{ domain: '.example.lv', path: '/' }, { domain: '.www.example.lv', path: '/' }, { url: demo.base }];
  const copies = (names) => names.flatMap((name) => levels.map((level) => ({ name, value: 'left-behind', expires: Math.floor(Date.now() / 1000) + 63072000, ...level })));
  await context.addCookies(copies(VENDORS.flatMap((v) => v.cookies)));
  await page.evaluate(() => {
    localStorage.setItem('cto_bundle', 'left-behind');
    localStorage.setItem('_gcl_ls', 'left-behind');
  });
  signals.length = 0;

  // Marketing withdrawn: the page reloads (reloadOnWithdraw), analytics stays.
  await Promise.all([page.waitForEvent('load'), page.evaluate(() => window.consentGate.set({ analytics: true, marketing: false }))]);
  await waitForStart(page);
  await settle(page);
  let jar = await cookieJar(context);
  for (const name of MARKETING_COOKIES) {
    assert.deepEqual(jar.filter((c) => c.name === name).map((c) => c.domain), [], `${name} deleted on every level`);
  }
  assert.ok(jar.some((c) => c.name === '_ga'), 'analytics cookies stay while analytics is granted');
  assert.deepEqual(await page.evaluate(() => [localStorage.getItem('cto_bundle'), localStorage.getItem('_gcl_ls')]), [null, null]);
  const update = signals.find((s) => s[0] === 'gtag' && s[2] === 'update');
  assert.ok(update, `gtag heard a consent update: ${JSON.stringify(signals)}`);
  assert.deepEqual([update[3].ad_storage, update[3].ad_user_data, update[3].ad_personalization, update[3].analytics_storage], ['denied', 'denied', 'denied', 'granted']);
  assert.ok(signals.some((s) => s[0] === 'fbq' && s[1] === 'consent' && s[2] === 'revoke'), 'the pixel heard revoke');

  // Reset withdraws analytics too: GA's cookies go on every level.
  await context.addCookies(copies(VENDORS[0].cookies));
  signals.length = 0;
  await Promise.all([page.waitForEvent('load'), page.evaluate(() => window.consentGate.reset())]);
  await waitForBar(page);
  await settle(page);
  jar = await cookieJar(context);
  const vendorCookies = VENDORS.flatMap((v) => v.cookies);
  assert.deepEqual(jar.filter((c) => vendorCookies.includes(c.name)).map((c) => `${c.name}@${c.domain}`), [], 'no vendor cookie left');
  const denied = signals.find((s) => s[0] === 'gtag' && s[2] === 'update');
  assert.equal(denied?.[3].analytics_storage, 'denied', 'gtag heard analytics denied');
  assert.deepEqual(problems, []);
  await context.close();
});

test('where the browser has cookieStore, a vendor cookie set later is capped at once, and caps do not loop', async () => {
  // 127.0.0.1 is a secure context, so Chromium offers cookieStore there.
  const { server: local, url } = await startServer();
  try {
    const { context, page, problems } = await openSite(demo.browser, url);
    await page.goto(url);
    const bar = await waitForBar(page);
    await bar.getByRole('button', { name: 'Pieņemt visas' }).click();
    await page.waitForFunction(() => window.__standin?.loaded?.length === 4);
    await settle(page);
    assert.equal(await page.evaluate(() => typeof window.cookieStore), 'object');

    // Once settled, no cookie keeps changing: our own rewrites start no new check.
    await page.evaluate(() => {
      window.cookieChanges = 0;
      window.cookieStore.addEventListener('change', () => { window.cookieChanges += 1; });
    });
    await page.waitForTimeout(1000);
    assert.equal(await page.evaluate(() => window.cookieChanges), 0);

    // The pixel sets _fbc after an ad click, long after the page loaded.
    const setAt = Date.now();
    await page.evaluate(() => { document.cookie = '_fbc=fb.1.1.late-click; path=/; max-age=63072000'; });
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('consent-gate:first-seen') ?? '{"seen":{}}').seen._fbc !== undefined);
    await settle(page, 200);
    const fbc = (await context.cookies()).filter((c) => c.name === '_fbc');
    assert.equal(fbc.length, 1);
    assert.equal(fbc[0].value, 'fb.1.1.late-click', 'the same value');
    assert.ok(fbc[0].expires * 1000 <= lifetimeEnd(Date.now(), { months: 3 }) && fbc[0].expires * 1000 >= lifetimeEnd(setAt, { months: 3 }) - 60_000, `capped at 3 months: ${new Date(fbc[0].expires * 1000).toISOString()}`);
    const changes = await page.evaluate(() => window.cookieChanges);
    await page.waitForTimeout(1000);
    assert.equal(await page.evaluate(() => window.cookieChanges), changes, `no rewrite loop (${changes} changes)`);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    local.close();
  }
});
