// A choice per vendor inside a category (issue 16, finding 8), in Chromium
// with the network watched: only the vendors allowed are requested, a vendor
// added to the config is asked about alone, markup can name a vendor, the
// API reads and sets vendors, and Consent Mode follows the Google tags
// allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useDemo, openSite, waitForBar, waitForStart, settle, recordErrorEvents } from './harness.mjs';

const demo = useDemo();

const CRITEO = 'https://dynamic.criteo.com/js/ld/ld.js?a=12345';
const GTAG = 'https://www.googletagmanager.com/gtag/js?id=G-DEMO2024LV';
const requested = (requests) => [...new Set(requests.map((r) => r.url))].sort();
const DEMO_CONFIG = JSON.parse(readFileSync(new URL('../../www/consent.json', import.meta.url), 'utf8'));

/** Serves `config` as the demo's consent.json. */
async function serveConfig(page, config) {
  await page.route('**/consent.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(config) }),
  );
}

test('allowing Criteo but not Facebook in marketing loads only Criteo, on this page and the next', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  const bar = await waitForBar(page);
  await bar.getByRole('button', { name: 'Iestatījumi' }).click();
  const dialog = page.locator('.cg-prefs');
  await dialog.waitFor({ state: 'visible' });
  const marketing = dialog.locator('li.cg-category[data-cg-category=marketing]');
  await marketing.locator('summary').click();
  const criteo = marketing.getByRole('switch', { name: 'Criteo' });
  await criteo.focus();
  await page.keyboard.press('Space');
  assert.equal(await criteo.isChecked(), true, 'the vendor switch works from the keyboard');
  assert.equal(await marketing.getByRole('switch', { name: 'Facebook' }).isChecked(), false, 'never pre-ticked');
  const category = dialog.getByRole('switch', { name: 'Mārketinga' });
  assert.equal(await category.isChecked(), false);
  assert.equal(await category.evaluate((e) => e.indeterminate), true, 'the category shows it is mixed');
  assert.match(await dialog.locator('#consent-gate-count-marketing').innerText(), /\b1\/5\b/);
  const box = await criteo.boundingBox();
  const label = await marketing.locator('label[for="' + (await criteo.getAttribute('id')) + '"]').boundingBox();
  assert.ok(box && label && label.height >= 44, `a 44 px target with its label (${label?.height})`);
  await dialog.getByRole('button', { name: 'Saglabāt izvēli' }).click();
  await page.waitForFunction(() => window.__standin?.loaded?.includes('criteo'));
  await settle(page);
  assert.deepEqual(requested(vendorRequests), [CRITEO], 'only Criteo is requested');
  assert.deepEqual(
    await page.evaluate(() => [window.consentGate.isGranted('marketing'), window.consentGate.isGranted('marketing', 'criteo'), window.consentGate.isGranted('marketing', 'facebook-pixel')]),
    [false, true, false],
  );
  vendorRequests.length = 0;
  await page.reload();
  await waitForStart(page);
  await settle(page);
  assert.deepEqual(requested(vendorRequests), [CRITEO], 'the choice holds on the next page');
  assert.equal(await page.locator('.cg-bar').count(), 0, 'nothing to ask');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a vendor added to the config is asked about alone; the others\' choices stand', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  const withoutCriteo = { ...DEMO_CONFIG, vendors: DEMO_CONFIG.vendors.filter((v) => v.type !== 'criteo') };
  await serveConfig(page, withoutCriteo);
  await page.goto(demo.base);
  await (await waitForBar(page)).getByRole('button', { name: 'Pieņemt visas' }).click();
  await page.waitForFunction(() => window.__standin?.loaded?.length === 3);
  await page.unroute('**/consent.json');
  vendorRequests.length = 0;
  await page.reload();
  const bar = await waitForBar(page);
  assert.match(await bar.innerText(), /partneru saraksts|partneri/i, 'the bar says the partners changed');
  await settle(page);
  const loaded = requested(vendorRequests);
  assert.ok(!loaded.includes(CRITEO), 'Criteo waits for an answer');
  assert.ok(loaded.includes(GTAG) && loaded.some((u) => u.includes('fbevents.js')) && loaded.some((u) => u.includes('adform')), `the others still load: ${loaded}`);
  assert.deepEqual(
    await page.evaluate(() => [window.consentGate.isGranted('analytics'), window.consentGate.isGranted('marketing', 'adform'), window.consentGate.isGranted('marketing', 'criteo'), window.consentGate.hasChoice()]),
    [true, true, false, false],
  );
  await bar.getByRole('button', { name: 'Iestatījumi' }).click();
  const marketing = page.locator('.cg-prefs li.cg-category[data-cg-category=marketing]');
  await marketing.locator('summary').click();
  assert.equal(await marketing.getByRole('switch', { name: 'Criteo' }).isChecked(), false, 'the new vendor is off');
  assert.equal(await marketing.getByRole('switch', { name: 'Adform' }).isChecked(), true, 'the others as chosen');
  assert.deepEqual(problems, []);
  await context.close();
});

test('gated markup names a vendor; an unknown one never activates and is reported', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  await recordErrorEvents(page);
  await page.goto(demo.base);
  await waitForBar(page);
  await page.evaluate(() => window.consentGate.set({ analytics: false, marketing: { criteo: true } }));
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', `
      <iframe id="v-criteo" title="c" data-consent="marketing:criteo" data-src="/site.css?criteo"></iframe>
      <iframe id="v-facebook" title="f" data-consent="marketing:facebook-pixel" data-src="/site.css?facebook"></iframe>
      <iframe id="v-typo" title="t" data-consent="marketing:critteo" data-src="/site.css?typo"></iframe>`);
  });
  await page.waitForFunction(() => document.getElementById('v-criteo').getAttribute('src') !== null);
  await settle(page);
  assert.equal(await page.getAttribute('#v-facebook', 'src'), null, 'a refused vendor stays inactive');
  assert.equal(await page.getAttribute('#v-typo', 'src'), null, 'an unknown vendor stays inactive');
  assert.notEqual(await page.getAttribute('#v-typo', 'data-consent-refused'), null);
  const errors = await page.evaluate(() => window.errorEvents);
  assert.ok(errors.some((m) => m.includes('marketing:critteo') && m.includes('"marketing:criteo"')), errors.join('\n'));
  problems.length = 0; // the reported typo is on the console too
  await context.close();
});

test('isGranted, set and the change event per vendor', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  await waitForStart(page);
  const result = await page.evaluate(() => {
    const gate = window.consentGate;
    const heard = [];
    document.addEventListener('consent-gate:change', (e) => heard.push(e.detail));
    gate.set({ analytics: true, marketing: { criteo: true, 'facebook-pixel': false } });
    let thrown = '';
    try {
      gate.set({ analytics: true, marketing: { critteo: true } });
    } catch (e) {
      thrown = e.message;
    }
    return { detail: heard.at(-1), choices: gate.choices(), vendors: gate.vendorChoices(), record: gate.record(), thrown };
  });
  assert.deepEqual(result.detail.vendors.marketing, { adform: false, criteo: true, 'google-marketing-platform': false, 'google-ads': false, 'facebook-pixel': false });
  assert.deepEqual(result.detail.vendors.analytics, { ga4: true });
  assert.equal(result.detail.marketing, false);
  assert.deepEqual(result.vendors, result.detail.vendors);
  assert.deepEqual(result.choices, { analytics: true, marketing: false }, 'choices() stays per category');
  assert.equal(result.record.v, 3);
  assert.equal(result.record.vendors.marketing.criteo[0], true);
  assert.match(result.thrown, /no partner "critteo" in marketing; its partners are adform, criteo/);
  await settle(page);
  assert.deepEqual(requested(vendorRequests), [CRITEO, GTAG].sort());
  assert.deepEqual(problems.filter((p) => !p.includes('critteo')), []);
  await context.close();
});

test('Consent Mode: GA4 allowed and Google Ads refused grants analytics_storage only', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  await waitForStart(page);
  await page.evaluate(() => window.consentGate.set({ analytics: true, marketing: { criteo: true } }));
  await page.waitForFunction(() => window.__standin?.loaded?.includes('gtag'));
  await settle(page);
  const gtag = await page.evaluate(() => window.__standin.gtag);
  const updates = gtag.filter((a) => a[0] === 'consent' && a[1] === 'update').map((a) => a[2]);
  assert.deepEqual(updates.at(-1), { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'granted' }, 'Criteo\'s grant is not Google\'s');
  const configured = gtag.filter((a) => a[0] === 'config').map((a) => a[1]);
  assert.deepEqual(configured, ['G-DEMO2024LV'], 'the refused Google Ads and Floodlight tags are never configured');
  const cookies = (await context.cookies()).map((c) => c.name);
  assert.ok(cookies.includes('_ga') && !cookies.some((n) => n.startsWith('_gcl')), cookies.join(' '));
  // Now Google Ads too: the ad signals follow.
  await page.evaluate(() => window.consentGate.set({ analytics: true, marketing: { criteo: true, 'google-ads': true } }));
  await settle(page);
  const after = await page.evaluate(() => window.__standin.gtag.filter((a) => a[0] === 'consent' && a[1] === 'update').map((a) => a[2]).at(-1));
  assert.deepEqual(after, { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' });
  assert.deepEqual(problems, []);
  await context.close();
});
