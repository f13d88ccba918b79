// The bar and the preferences as a visitor meets them: layout, switches,
// keyboard, accessibility, languages, browser privacy signals, other tabs and
// every kind of stored value that must not count as consent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { useDemo, openSite, waitForBar, waitForStart, settle } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DEMO_CONFIG = JSON.parse(readFileSync(new URL('../../www/consent.json', import.meta.url), 'utf8'));
const GA = /gtag\/js\?id=G-DEMO2024LV/;

const demo = useDemo();

/** Serves a changed consent.json to this context. */
async function serveConfig(context, change) {
  const config = structuredClone(DEMO_CONFIG);
  change(config);
  await context.route('**/consent.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
}

async function styleOf(locator) {
  return locator.evaluate((el) => {
    const s = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
      width: Math.round(box.width), height: Math.round(box.height),
      background: s.backgroundColor, color: s.color, fontWeight: s.fontWeight, fontSize: s.fontSize, border: s.border,
    };
  });
}

test('accept and reject are the same size and weight, and the bar shifts nothing', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base, { contextOptions: { viewport: { width: 1280, height: 800 } } });
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__shift += e.value; })
      .observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(demo.base);
  const bar = await waitForBar(page);
  // Measure the bar at rest, not halfway through its slide-in.
  await bar.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
  const accept = await styleOf(bar.locator('[data-cg-action=accept]'));
  const reject = await styleOf(bar.locator('[data-cg-action=reject]'));
  assert.deepEqual(accept, reject);
  const acceptBox = await bar.locator('[data-cg-action=accept]').boundingBox();
  const rejectBox = await bar.locator('[data-cg-action=reject]').boundingBox();
  assert.equal(Math.round(acceptBox.y), Math.round(rejectBox.y), 'side by side on one line');
  assert.equal(await bar.evaluate((el) => getComputedStyle(el).position), 'fixed');
  await settle(page);
  assert.equal(await page.evaluate(() => window.__shift), 0, 'no layout shift');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the switches are never pre-ticked; necessary is on and cannot be turned off', async () => {
  const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  const bar = await waitForBar(page);
  await bar.getByRole('button', { name: 'Iestatījumi' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sīkdatņu iestatījumi' });
  await dialog.waitFor();
  const necessary = dialog.getByRole('switch', { name: 'Nepieciešamās' });
  assert.ok(await necessary.isChecked());
  assert.ok(await necessary.isDisabled());
  assert.equal(await dialog.getByRole('switch', { name: 'Analītiskās' }).isChecked(), false);
  assert.equal(await dialog.getByRole('switch', { name: 'Mārketinga' }).isChecked(), false);
  // Each category lists its vendors with lifetime and privacy link.
  await dialog.locator('[data-cg-category=marketing] summary').click();
  const marketing = dialog.locator('[data-cg-category=marketing] .cg-vendor');
  assert.equal(await marketing.count(), 5);
  assert.match(await marketing.filter({ hasText: 'Criteo' }).innerText(), /1 gads/);
  assert.equal(await marketing.filter({ hasText: 'Criteo' }).getByRole('link').getAttribute('href'), 'https://www.criteo.com/privacy');
  await settle(page);
  assert.deepEqual(vendorRequests, []);
  await context.close();
});

test('keyboard only: tab order, Enter and Space, Escape closes the settings and returns focus', async () => {
  const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  await waitForBar(page);
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el.dataset.cgAction ?? el.dataset.cgCategory ?? el.textContent.trim();
  });
  const order = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  assert.deepEqual(order, ['Sīkdatņu politika', 'reject', 'accept', 'settings'], 'the bar comes first, reject before accept');

  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.ok(await page.evaluate(() => document.querySelector('.cg-prefs').contains(document.activeElement)), 'focus moves into the dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await focused(), 'settings', 'focus returns to what opened the dialog');

  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await page.getByRole('switch', { name: 'Analītiskās' }).focus();
  await page.keyboard.press('Space');
  assert.ok(await page.getByRole('switch', { name: 'Analītiskās' }).isChecked());
  await page.getByRole('button', { name: 'Saglabāt izvēli' }).focus();
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await page.waitForFunction(() => window.__standin?.loaded?.includes('gtag'));
  const record = await page.evaluate(() => window.consentGate.record());
  assert.deepEqual(record.choices, { analytics: true, marketing: false });
  assert.equal(record.source, 'preferences');
  assert.ok(vendorRequests.some((r) => GA.test(r.url)));
  assert.ok(!vendorRequests.some((r) => /facebook|criteo|adform/.test(r.url)), 'marketing stays off');
  await context.close();
});

test('axe-core finds no serious or critical violation in the bar or the settings', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { context, page } = await openSite(demo.browser, demo.base, { contextOptions: { bypassCSP: true, colorScheme } });
    // The dark colours show only where the site asks for them (ui.theme).
    if (colorScheme === 'dark') await serveConfig(context, (c) => { c.ui.theme = 'auto'; });
    await page.goto(demo.base);
    await waitForBar(page);
    await page.evaluate(AXE);
    const scan = (selector) => page.evaluate(async (sel) => {
      const result = await window.axe.run(document.querySelector(sel), { resultTypes: ['violations'] });
      return result.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.help}`);
    }, selector);
    assert.deepEqual(await scan('.cg-bar'), [], `bar, ${colorScheme}`);
    await page.locator('[data-cg-action=settings]').click();
    await page.locator('.cg-prefs details').first().locator('summary').click();
    assert.deepEqual(await scan('.cg-prefs'), [], `settings, ${colorScheme}`);
    await context.close();
  }
});

test('languages: the page language, the browser language, the config, and at run time', async () => {
  const texts = async (page) => (await waitForBar(page)).locator('[data-cg-action=accept]').innerText();
  let { context, page } = await openSite(demo.browser, demo.base);
  await page.goto(`${demo.base}ru/`);
  assert.equal(await texts(page), 'Принять все');
  await page.goto(`${demo.base}en/`);
  assert.equal(await texts(page), 'Accept all');
  await page.evaluate(() => window.consentGate.setLanguage('lv'));
  assert.equal(await texts(page), 'Pieņemt visas');
  await assert.rejects(page.evaluate(() => window.consentGate.setLanguage('de')), /not one of the site's languages/);
  await context.close();

  // A page in a language the site does not enable: the browser's language.
  ({ context, page } = await openSite(demo.browser, demo.base, { contextOptions: { locale: 'ru-RU' } }));
  await context.route(`${demo.base}de.html`, async (route) => {
    const html = readFileSync(new URL('../../www/en/index.html', import.meta.url), 'utf8').replace('lang="en"', 'lang="de"');
    await route.fulfill({ contentType: 'text/html', body: html });
  });
  await page.goto(`${demo.base}de.html`);
  assert.equal(await texts(page), 'Принять все');
  await context.close();

  // The config's language wins over the page's.
  ({ context, page } = await openSite(demo.browser, demo.base));
  await serveConfig(context, (c) => { c.language = 'en'; });
  await page.goto(`${demo.base}ru/`);
  assert.equal(await texts(page), 'Accept all');
  await context.close();
});

test('Do Not Track: analytics stays off through "accept all", only an explicit switch turns it on', async () => {
  const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }));
  await page.goto(`${demo.base}en/`);
  const bar = await waitForBar(page);
  assert.match(await bar.innerText(), /Do Not Track is on/);
  await bar.getByRole('button', { name: 'Accept all but analytics' }).click();
  await page.waitForFunction(() => window.__standin?.loaded?.includes('gtag'));
  await settle(page);
  assert.deepEqual(await page.evaluate(() => window.consentGate.choices()), { analytics: false, marketing: true });
  const configured = await page.evaluate(() => window.__standin.gtag.filter((a) => a[0] === 'config').map((a) => a[1]));
  assert.ok(!configured.includes('G-DEMO2024LV'), 'GA is not configured');
  assert.ok(!vendorRequests.some((r) => GA.test(r.url)));

  await page.getByText('Cookie settings').first().click();
  await page.getByRole('switch', { name: 'Analytics' }).check();
  await page.getByRole('button', { name: 'Save choices' }).click();
  // Marketing tags ran on this page, but it stays granted: no reload needed.
  await page.waitForFunction(() => window.__standin.gtag.some((a) => a[0] === 'config' && a[1] === 'G-DEMO2024LV'));
  assert.deepEqual(await page.evaluate(() => window.consentGate.choices()), { analytics: true, marketing: true });
  await context.close();
});

test('Global Privacy Control: nothing is asked and nothing loads, until the visitor opts in', async () => {
  const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  await page.goto(`${demo.base}en/`);
  await waitForStart(page);
  await settle(page);
  assert.equal(await page.locator('.cg-bar').count(), 0);
  assert.deepEqual(vendorRequests, []);
  const record = await page.evaluate(() => window.consentGate.record());
  assert.equal(record.source, 'browser-signal', 'the signal\'s refusal is recorded');
  assert.deepEqual(record.choices, { analytics: false, marketing: false });
  await page.evaluate(() => window.consentGate.acceptAll());
  await settle(page);
  assert.deepEqual(await page.evaluate(() => window.consentGate.choices()), { analytics: false, marketing: false });
  assert.deepEqual(vendorRequests, [], '"accept all" does not override the signal');
  await page.locator('[data-consent-open]').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('switch', { name: 'Marketing' }).check();
  await dialog.getByRole('button', { name: 'Save choices' }).click();
  await page.waitForFunction(() => window.__standin?.loaded?.includes('fbevents'));
  await context.close();
});

test('a choice in one tab applies at once in another', async () => {
  const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
  const other = await context.newPage();
  await page.goto(demo.base);
  await other.goto(demo.base);
  await waitForBar(page);
  await waitForBar(other);
  await page.locator('[data-cg-action=accept]').click();
  await other.locator('.cg-bar').waitFor({ state: 'detached' });
  await other.waitForFunction(() => window.__standin?.loaded?.includes('gtag'));
  assert.deepEqual(await other.evaluate(() => window.consentGate.choices()), { analytics: true, marketing: true });
  assert.equal(vendorRequests.filter((r) => GA.test(r.url)).length, 2, 'one gtag.js per tab');

  // Withdrawing in one tab withdraws in the other (which reloads: its tags ran).
  const reloaded = other.waitForEvent('load');
  await page.evaluate(() => window.consentGate.rejectAll());
  await reloaded;
  await waitForStart(other);
  assert.deepEqual(await other.evaluate(() => window.consentGate.choices()), { analytics: false, marketing: false });
  await context.close();
});

test('stored values that must not count: the bar asks again and nothing loads', async () => {
  // A real record, made by accepting, then changed the way each case needs.
  const { context: maker, page: makerPage } = await openSite(demo.browser, demo.base);
  await makerPage.goto(demo.base);
  await (await waitForBar(makerPage)).locator('[data-cg-action=accept]').click();
  const good = JSON.parse(await makerPage.evaluate(() => localStorage.getItem('consent-gate')));
  await maker.close();
  const day = 86_400_000;

  const cases = [
    { name: 'corrupt', value: '{"v":1,"choices":' },
    { name: 'unknown version', value: JSON.stringify({ ...good, v: 9 }) },
    { name: 'another tool\'s value', value: JSON.stringify({ categories: ['analytics', 'marketing'], revision: 0 }) },
    { name: 'tampered: dated in the future', value: JSON.stringify({ ...good, updatedAt: Date.now() + 30 * day }) },
    { name: 'tampered: granted as text', value: JSON.stringify({ ...good, choices: { analytics: 'yes', marketing: 'yes' } }) },
    { name: 'expired', value: JSON.stringify({ ...good, givenAt: Date.now() - 200 * day, updatedAt: Date.now() - 200 * day }) },
    { name: 'policy revision changed', value: JSON.stringify(good), config: (c) => { c.revision = 2; } },
    {
      name: 'vendors changed in every granted category',
      value: JSON.stringify(good),
      config: (c) => {
        c.vendors = c.vendors.map((v) => (v.type === 'ga4' ? { ...v, measurementId: 'G-CHANGED1' } : v));
        c.vendors.push({ type: 'script', name: 'Hotjar', src: 'https://static.hotjar.invalid/c.js', category: 'marketing', lifetime: '1 year', privacyUrl: 'https://www.hotjar.com/privacy' });
      },
      notice: /mainījušies partneri kategorijā: Analītiskās sīkdatnes, Mārketinga sīkdatnes/,
      // Only the changed and the new vendor are asked about: the other
      // marketing vendors' grants stand (issue 16, finding 8).
      othersLoad: ['G-CHANGED1', 'hotjar'],
    },
  ];
  for (const c of cases) {
    const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
    if (c.config) await serveConfig(context, c.config);
    await context.addInitScript((value) => localStorage.setItem('consent-gate', value), c.value);
    await page.goto(demo.base);
    const bar = await waitForBar(page);
    await settle(page);
    if (c.othersLoad) {
      const urls = vendorRequests.map((r) => r.url);
      assert.ok(urls.length > 0 && !urls.some((u) => c.othersLoad.some((n) => u.includes(n))), `${c.name}: ${urls}`);
    } else {
      assert.deepEqual(vendorRequests, [], `${c.name}: nothing loads`);
    }
    assert.deepEqual(await page.evaluate(() => window.consentGate.choices()), { analytics: false, marketing: false }, c.name);
    if (c.notice) assert.match(await bar.innerText(), c.notice);
    await context.close();
  }
});

test('storage refused: the choice falls back to a cookie and is still remembered', async () => {
  const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
  await context.addInitScript(() => {
    Storage.prototype.setItem = () => { throw new DOMException('denied', 'SecurityError'); };
  });
  await page.goto(demo.base);
  await (await waitForBar(page)).locator('[data-cg-action=reject]').click();
  await page.reload();
  await waitForStart(page);
  await settle(page);
  assert.equal(await page.locator('.cg-bar').count(), 0, 'the refusal was remembered');
  assert.ok((await context.cookies()).some((c) => c.name === 'consent-gate'), 'kept in a first-party cookie');
  assert.deepEqual(vendorRequests, []);
  await context.close();
});

test('the floating button reopens the settings after a choice', async () => {
  const { context, page } = await openSite(demo.browser, demo.base);
  await page.goto(`${demo.base}en/`);
  await (await waitForBar(page)).locator('[data-cg-action=reject]').click();
  const floating = page.getByRole('button', { name: 'Cookie settings' });
  await floating.click();
  await page.getByRole('dialog', { name: 'Cookie settings' }).waitFor();
  await context.close();
});

test('a link marked data-consent-open opens the settings and goes nowhere', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  await (await waitForBar(page)).locator('[data-cg-action=reject]').click();
  await page.evaluate(() => {
    const link = document.createElement('a');
    link.href = '/cookie-policy.html';
    link.id = 'away';
    link.dataset.consentOpen = '';
    link.textContent = 'Cookie settings';
    document.body.append(link);
  });
  const before = page.url();
  for (const selector of ['#away', 'a[href="#cookie-settings"]']) {
    await page.click(selector);
    await page.locator('dialog.cg-prefs').waitFor();
    assert.equal(page.url(), before, `${selector}: no navigation, no hash change`);
    await page.keyboard.press('Escape');
    await page.locator('dialog.cg-prefs').waitFor({ state: 'detached' });
  }
  assert.deepEqual(problems.filter((p) => /preventDefault/.test(p)), [], 'no passive-listener warning');
  await context.close();
});

test('after a choice the settings show the consent id and its date, to quote in a request (issue 18)', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base, { contextOptions: { bypassCSP: true } });
  await page.goto(`${demo.base}ru/`);
  await (await waitForBar(page)).locator('[data-cg-action=reject]').click();
  await page.evaluate(() => window.consentGate.showPreferences());
  const line = page.locator('.cg-prefs .cg-prefs__consent');
  await line.waitFor();
  const record = await page.evaluate(() => JSON.parse(localStorage.getItem('consent-gate')));
  assert.equal(await line.locator('code').innerText(), record.id, 'the whole id, as stored');
  const datetime = await line.locator('time').getAttribute('datetime');
  assert.equal(datetime, new Date(record.updatedAt).toISOString());
  const shown = await page.evaluate((at) => new Date(at).toLocaleDateString('ru'), record.updatedAt);
  assert.equal(await line.locator('time').innerText(), shown, 'the date as the browser writes it in Russian');
  assert.match(await line.innerText(), /^Идентификатор вашего согласия: [0-9a-f]{32}; выбор сохранён .+\. Укажите/);
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document.querySelector('.cg-prefs'), { resultTypes: ['violations'] });
    return result.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id);
  });
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('before any choice the settings show no consent id', async () => {
  const { context, page } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  await (await waitForBar(page)).locator('[data-cg-action=settings]').click();
  await page.locator('.cg-prefs').waitFor();
  assert.equal(await page.locator('.cg-prefs__consent').count(), 0);
  await context.close();
});
