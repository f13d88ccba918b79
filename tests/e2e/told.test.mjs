// What the visitor is told (issue 16, findings 6, 7 and 10): the texts as a
// native-language review worded them; the browser's privacy signals named,
// with what they refused, in the bar, the dialog and the policy pages; the
// cookies' names, the library's own storage, the policy link and the
// partners, where regulators expect them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useDemo, openSite, waitForBar, waitForStart, settle } from './harness.mjs';

const DEMO_CONFIG = JSON.parse(readFileSync(new URL('../../www/consent.json', import.meta.url), 'utf8'));
const demo = useDemo();

async function serveConfig(context, change) {
  const config = structuredClone(DEMO_CONFIG);
  change(config);
  await context.route('**/consent.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
}

function withSignal(context, name, value) {
  return context.addInitScript(([n, v]) => Object.defineProperty(Navigator.prototype, n, { get: () => v }), [name, value]);
}

async function openSettings(page) {
  await page.locator('[data-consent-open]').first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}

test('Latvian texts: the wording of the native-language review', async () => {
  const { context, page } = await openSite(demo.browser, demo.base);
  await page.goto(demo.base);
  const bar = await waitForBar(page);
  const long = await bar.locator('.cg-bar__long').textContent();
  assert.match(long, /kā apmeklētāji izmanto vietni/);
  assert.doesNotMatch(long, /kā vietne tiek lietota|darbībai mēs/);
  await bar.locator('[data-cg-action=settings]').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const labels = await dialog.locator('.cg-category__name').allTextContents();
  assert.deepEqual(labels, ['Nepieciešamās sīkdatnes', 'Analītiskās sīkdatnes', 'Mārketinga sīkdatnes']);
  const text = await dialog.textContent();
  assert.match(text, /Privātuma politika/);
  assert.doesNotMatch(text, /Privātuma paziņojums/);
  assert.doesNotMatch(text, /glabāšanas ilgums/);
  await context.close();

  // The declaration: one term for the lifetime, "Pakalpojumu sniedzējs".
  const { context: c2, page: policy } = await openSite(demo.browser, demo.base);
  await policy.goto(`${demo.base}cookie-policy.html`);
  const table = policy.locator('[data-consent-declaration] table').first();
  await table.waitFor();
  const declaration = await policy.locator('[data-consent-declaration]').textContent();
  assert.match(declaration, /Pakalpojumu sniedzējs/);
  assert.match(declaration, /Maksimālais glabāšanas laiks/);
  assert.doesNotMatch(declaration, /Pakalpojuma sniedzējs|glabāšanas ilgums|privātuma paziņojum/i);
  await c2.close();
});

test('Russian texts: the wording of the native-language review', async () => {
  const { context, page } = await openSite(demo.browser, demo.base);
  await page.goto(`${demo.base}ru/`);
  const bar = await waitForBar(page);
  await bar.locator('[data-cg-action=settings]').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const text = await dialog.textContent();
  assert.match(text, /Помогают нам понять, как посетители пользуются сайтом/);
  assert.match(text, /Политика конфиденциальности/);
  assert.doesNotMatch(text, /Уведомление о конфиденциальности/);
  await context.close();

  // Partners changed in a granted category: the list changed, the category quoted.
  const { context: maker, page: makerPage } = await openSite(demo.browser, demo.base);
  await makerPage.goto(`${demo.base}ru/`);
  await (await waitForBar(makerPage)).locator('[data-cg-action=accept]').click();
  const good = await makerPage.evaluate(() => localStorage.getItem('consent-gate'));
  await maker.close();
  const { context: c2, page: again } = await openSite(demo.browser, demo.base);
  await serveConfig(c2, (c) => {
    c.vendors.push({ type: 'script', name: 'Hotjar', src: 'https://static.hotjar.invalid/c.js', category: 'marketing', lifetime: '1 year', privacyUrl: 'https://www.hotjar.com/privacy' });
  });
  await c2.addInitScript((value) => localStorage.setItem('consent-gate', value), good);
  await again.goto(`${demo.base}ru/`);
  const changed = await waitForBar(again);
  assert.match(await changed.innerText(), /изменился список партнёров в категории «Маркетинговые файлы cookie»\./);
  await c2.close();
});

test('Do Not Track: the bar and the dialog name it and what it refused; "accept all" says what it grants', async () => {
  const cases = [
    {
      path: '', accept: 'Pieņemt visas, izņemot analītiskās',
      notice: 'Jūsu pārlūkprogrammā ieslēgts pieprasījums “Neizsekot” (Do Not Track), tāpēc analītiskās sīkdatnes netiek izmantotas, ja vien tās neieslēgsiet iestatījumos.',
    },
    {
      path: 'ru/', accept: 'Принять все, кроме аналитических',
      notice: 'В вашем браузере включён запрет отслеживания (Do Not Track), поэтому аналитические cookie отключены, пока вы не включите их в настройках.',
    },
    { path: 'en/', accept: 'Accept all but analytics', notice: 'Do Not Track is on in your browser, so analytics cookies are not used unless you switch them on in the settings.' },
  ];
  for (const c of cases) {
    const { context, page } = await openSite(demo.browser, demo.base);
    await withSignal(context, 'doNotTrack', '1');
    await page.goto(`${demo.base}${c.path}`);
    const bar = await waitForBar(page);
    assert.equal(await bar.locator('.cg-bar__notice').textContent(), c.notice, c.path);
    assert.equal((await bar.locator('[data-cg-action=accept]').textContent()).trim(), c.accept, c.path);
    await bar.locator('[data-cg-action=settings]').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.equal(await dialog.locator('.cg-prefs__notice').textContent(), c.notice, `${c.path}: the dialog says why analytics is off`);
    assert.equal((await dialog.locator('[data-cg-action=accept]').textContent()).trim(), c.accept, c.path);
    await dialog.locator('[data-cg-action=accept]').click();
    await page.waitForFunction(() => window.consentGate.record() !== null);
    assert.deepEqual(await page.evaluate(() => window.consentGate.choices()), { analytics: false, marketing: true }, 'the label was true');
    await context.close();
  }
});

test('Global Privacy Control: the dialog names it and what it refused, and offers no "accept all" that grants nothing', async () => {
  const { context, page } = await openSite(demo.browser, demo.base);
  await withSignal(context, 'globalPrivacyControl', true);
  await page.goto(`${demo.base}en/`);
  await waitForStart(page);
  await settle(page);
  const dialog = await openSettings(page);
  assert.equal(await dialog.locator('.cg-prefs__notice').count(), 1, 'the dialog names the signal');
  assert.equal(
    await dialog.locator('.cg-prefs__notice').textContent(),
    'Your browser sends Global Privacy Control, so analytics and marketing cookies stay off unless you switch them on in the settings.',
  );
  assert.equal(await dialog.locator('[data-cg-action=accept]').count(), 0);
  assert.equal(await dialog.locator('[data-cg-action=reject]').count(), 1);
  await context.close();

  // No signal: no notice, and "accept all" is what it says.
  const { context: c2, page: plain } = await openSite(demo.browser, demo.base);
  await plain.goto(`${demo.base}en/`);
  await (await waitForBar(plain)).locator('[data-cg-action=settings]').click();
  const d2 = plain.getByRole('dialog');
  await d2.waitFor();
  assert.equal(await d2.locator('.cg-prefs__notice').count(), 0);
  assert.equal((await d2.locator('[data-cg-action=accept]').textContent()).trim(), 'Accept all');
  await c2.close();
});

test('the demo\'s policy pages describe both browser signals, in each language', async () => {
  const pages = [
    ['cookie-policy.html', /Do Not Track/, /Global Privacy Control/, /Pieņemt visas/],
    ['ru/cookie-policy.html', /Do Not Track/, /Global Privacy Control/, /Принять все/],
    ['en/cookie-policy.html', /Do Not Track/, /Global Privacy Control/, /Accept all/],
  ];
  for (const [path, ...said] of pages) {
    const html = await (await fetch(`${demo.base}${path}`)).text();
    const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    for (const phrase of said) assert.match(main, phrase, path);
  }
});

test('the dialog names each vendor\'s cookies, lists the library\'s own storage with lifetimes, and links the policy', async () => {
  const { context, page } = await openSite(demo.browser, demo.base);
  await serveConfig(context, (c) => { c.storage = { key: 'consent-gate', cookie: { name: 'cg_choice' } }; });
  await page.goto(`${demo.base}en/`);
  await (await waitForBar(page)).locator('[data-cg-action=settings]').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();

  const policy = dialog.getByRole('link', { name: 'Cookie policy' });
  assert.equal(await policy.getAttribute('href'), '/en/cookie-policy.html');

  const cookies = async (category, vendor) =>
    dialog.locator(`[data-cg-category=${category}] .cg-vendor`).filter({ hasText: vendor }).locator('.cg-vendor__cookies').textContent();
  assert.match(await cookies('analytics', 'Google Analytics'), /^Cookies: _ga, _ga_DEMO2024LV\b/);
  assert.equal(await cookies('marketing', 'Criteo'), 'Cookies: cto_bundle');
  assert.equal(await cookies('marketing', 'Facebook'), 'Cookies: _fbp, _fbc');
  assert.equal(await cookies('marketing', 'Adform'), 'Cookies: adformfrpid');
  assert.match(await cookies('marketing', 'Google Ads'), /_gcl_au/);

  const necessary = dialog.locator('[data-cg-category=necessary]');
  await necessary.locator('summary').click();
  assert.equal(await necessary.locator('summary').textContent(), 'Kept by this site (4)');
  const own = necessary.locator('.cg-own');
  const item = async (i) => [await own.nth(i).locator('code').textContent(), (await own.nth(i).locator('.cg-vendor__lifetime').allTextContents())[0]];
  assert.deepEqual(await item(0), ['consent-gate', 'Your choice holds for: 6 months']);
  assert.deepEqual(await item(1), ['__Host-consent-gate, consent-gate', 'Kept for at most: 400 days']);
  assert.deepEqual(await item(2), ['consent-gate:first-seen', undefined], 'localStorage: its entries go with their cookies');
  assert.match(await own.nth(2).textContent(), /each entry goes with its cookie/);
  assert.deepEqual(await item(3), ['cg_choice', 'Kept for at most: 400 days']);
  await context.close();
});

test('the bar names the third parties on its first layer, on a phone too', async () => {
  const cases = [
    ['', 'Partneri: Google, Adform, Criteo, Meta.'],
    ['ru/', 'Партнёры: Google, Adform, Criteo, Meta.'],
    ['en/', 'Partners: Google, Adform, Criteo, Meta.'],
  ];
  for (const [path, said] of cases) {
    const { context, page } = await openSite(demo.browser, demo.base, { contextOptions: { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true } });
    await page.goto(`${demo.base}${path}`);
    const bar = await waitForBar(page);
    const partners = bar.locator('.cg-bar__partners');
    assert.equal(await partners.textContent(), said, path);
    assert.ok(await partners.isVisible(), `${path}: shown on a phone`);
    await context.close();
  }
});
