// The gate in Firefox (Gecko) and WebKit, over WebDriver: the same promises
// the Chromium suite checks, proved where these engines let a test see them
// (see harness.mjs). Run with CG_ENGINE=firefox or CG_ENGINE=webkit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useEngine, ENGINE, By, Key, waitIn, waitForStart, waitForBar, afterReload, click, clickBar, vendorTraffic, settle } from './harness.mjs';

const demo = useEngine();
const DAY_S = 86_400;

const LOADERS = [
  'https://www.googletagmanager.com/gtag/js?id=G-DEMO2024LV',
  'https://s2.adform.net/banners/scripts/st/trackpoint-async.js',
  'https://dynamic.criteo.com/js/ld/ld.js?a=12345',
  'https://connect.facebook.net/en_US/fbevents.js',
];

/** A fresh session on the demo's home page, once consent-gate has started. */
async function visit(path = '') {
  const driver = await demo.session();
  await driver.get(`${demo.base}${path}`);
  await waitForStart(driver);
  return driver;
}

function reload(driver) {
  return afterReload(driver, () => driver.navigate().refresh());
}

const NOTHING = { scripts: [], resources: [] };

test(`${ENGINE}: a first visit shows the bar and contacts no vendor`, async () => {
  const driver = await visit();
  await waitForBar(driver);
  await settle(driver);
  assert.deepEqual(await vendorTraffic(driver), NOTHING);
  assert.deepEqual(await driver.executeScript('return window.consentGate.choices()'), { analytics: false, marketing: false });
  const storage = await driver.executeScript('try { localStorage.setItem("cg-probe", "1"); localStorage.removeItem("cg-probe"); return "localStorage"; } catch (e) { return String(e); }');
  assert.equal(storage, 'localStorage', 'the record is kept in localStorage in this engine');
});

test(`${ENGINE}: reject all loads nothing, now or after a reload`, async () => {
  const driver = await visit();
  await waitForBar(driver);
  await clickBar(driver, 'reject');
  await settle(driver);
  assert.deepEqual(await vendorTraffic(driver), NOTHING);
  await reload(driver);
  await settle(driver);
  assert.equal(await driver.executeScript('return document.querySelector(".cg-bar") === null'), true, 'no bar after a refusal');
  assert.deepEqual(await vendorTraffic(driver), NOTHING);
  assert.equal(await driver.executeScript('return window.consentGate.record().source'), 'bar-reject');
});

test(`${ENGINE}: accept all inserts every loader, after the Consent Mode default`, async () => {
  const driver = await visit();
  await waitForBar(driver);
  assert.deepEqual(await vendorTraffic(driver), NOTHING);
  await clickBar(driver, 'accept');
  const { scripts } = await waitIn(driver, `
    const s = [...document.querySelectorAll('script[data-consent-gate]')].map((e) => e.src);
    return s.length >= 4 && { scripts: s };`, undefined, { what: 'four loaders' });
  assert.deepEqual([...scripts].sort(), [...LOADERS].sort());
  const queue = await driver.executeScript('return window.dataLayer.map((args) => [args[0], args[1]])');
  const consentDefault = queue.findIndex(([command, kind]) => command === 'consent' && kind === 'default');
  const firstConfig = queue.findIndex(([command]) => command === 'config');
  assert.ok(consentDefault >= 0 && firstConfig > consentDefault, `consent default before any config: ${JSON.stringify(queue)}`);
  await reload(driver);
  await waitIn(driver, 'return document.querySelectorAll("script[data-consent-gate]").length === 4', undefined, { what: 'the loaders again' });
  assert.equal(await driver.executeScript('return document.querySelector(".cg-bar") === null'), true, 'no bar on the return visit');
});

test(`${ENGINE}: analytics only, by its switch in the settings, loads gtag alone`, async () => {
  const driver = await visit();
  await waitForBar(driver);
  await clickBar(driver, 'settings');
  await click(driver, '.cg-prefs input[data-cg-category="analytics"]');
  await click(driver, '.cg-prefs [data-cg-action="save"]');
  await waitIn(driver, 'return document.querySelector("script[data-consent-gate]") !== null', undefined, { what: 'the gtag loader' });
  await settle(driver);
  assert.deepEqual((await vendorTraffic(driver)).scripts, [LOADERS[0]]);
  assert.deepEqual(await driver.executeScript('return window.consentGate.choices()'), { analytics: true, marketing: false });
});

// The cookies the library caps itself (no vendor option sets their lifetime),
// with the lifetime the demo's config declares.
const CAPPED = [
  { name: '_fbp', value: 'fb.1.1700000000000.1234567890', lifetimeDays: 92 },
  { name: 'cto_bundle', value: 'standin-bundle', lifetimeDays: 366 },
  { name: 'adformfrpid', value: '1234567890123', lifetimeDays: 60 },
];

/** Sets each capped cookie as its vendor would: first-party, for two years. */
function setVendorCookies(driver) {
  return driver.executeScript(`for (const c of arguments[0]) document.cookie = c.name + '=' + c.value + '; path=/; max-age=' + 2 * 365 * 86400;`, CAPPED);
}

test(`${ENGINE}: vendor cookies are capped in the browser's own jar, and withdrawal deletes them`, async () => {
  const driver = await visit();
  await waitForBar(driver);
  await clickBar(driver, 'accept');
  await setVendorCookies(driver);
  const setAt = Date.now() / 1000;
  // No cookieStore in this engine: the next check is at the next page view
  // or visibilitychange. A reload is the next page view.
  await reload(driver);
  await settle(driver);
  const jar = await driver.manage().getCookies();
  for (const { name, lifetimeDays } of CAPPED) {
    const copies = jar.filter((c) => c.name === name);
    assert.equal(copies.length, 1, `${name}: one copy (${JSON.stringify(copies)})`);
    const limit = setAt + lifetimeDays * DAY_S + 60;
    assert.ok(copies[0].expiry <= limit, `${name} expires ${new Date(copies[0].expiry * 1000).toISOString()}, after first-seen + ${lifetimeDays} days`);
    assert.ok(copies[0].expiry >= limit - 5 * DAY_S, `${name} is capped, not cut short (${new Date(copies[0].expiry * 1000).toISOString()})`);
  }

  // The caps settle: where the engine has cookieStore (Firefox does, and
  // reports no expiry in its change events), a rewrite must not set off
  // another check and loop.
  const changes = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    if (!window.cookieStore) return done({ check: 0, after: 0 });
    const counts = { check: 0, after: 0 };
    let phase = 'check';
    cookieStore.addEventListener('change', (e) => { counts[phase] += e.changed.length + e.deleted.length; });
    document.dispatchEvent(new Event('visibilitychange'));
    setTimeout(() => { phase = 'after'; }, 500);
    setTimeout(() => done(counts), 1500);`);
  // A cap deletes the cookie and writes it back: two changes each.
  assert.ok(changes.check <= 2 * CAPPED.length, `one check rewrites each cookie once: ${JSON.stringify(changes)}`);
  assert.equal(changes.after, 0, `no check sets off another: ${JSON.stringify(changes)}`);

  // Withdrawal from the settings: the page reloads and the cookies are gone.
  await driver.executeScript('window.consentGate.showPreferences()');
  await afterReload(driver, () => click(driver, '.cg-prefs [data-cg-action="reject"]'));
  await settle(driver);
  const left = (await driver.manage().getCookies()).map((c) => c.name);
  for (const { name } of CAPPED) assert.ok(!left.includes(name), `${name} deleted on withdrawal: ${left}`);
});

test(`${ENGINE}: a tampered record is not consent: the bar asks and nothing loads`, async () => {
  const driver = await visit();
  await waitForBar(driver);
  await clickBar(driver, 'reject');
  await driver.executeScript(`
    const record = JSON.parse(localStorage.getItem('consent-gate'));
    record.choices = { analytics: true, marketing: true };
    record.id = 'not-an-id';
    localStorage.setItem('consent-gate', JSON.stringify(record));`);
  await reload(driver);
  await waitForBar(driver);
  await settle(driver);
  assert.deepEqual(await vendorTraffic(driver), NOTHING);
  assert.deepEqual(await driver.executeScript('return window.consentGate.choices()'), { analytics: false, marketing: false });
});

test(`${ENGINE}: a choice in one tab applies at once in another`, async () => {
  const driver = await visit();
  await waitForBar(driver);
  const first = await driver.getWindowHandle();
  await driver.switchTo().newWindow('tab');
  await driver.get(demo.base);
  await waitForStart(driver);
  await waitForBar(driver);
  // WebKit opens the tab behind the first one, where WebDriver refuses real
  // clicks: the button gets its click event from the page instead.
  await driver.executeScript('document.querySelector(".cg-bar [data-cg-action=accept]").click()');
  await driver.switchTo().window(first);
  await waitIn(driver, 'return document.querySelector(".cg-bar") === null && document.querySelectorAll("script[data-consent-gate]").length === 4',
    undefined, { what: 'the first tab to follow' });
  assert.deepEqual(await driver.executeScript('return window.consentGate.choices()'), { analytics: true, marketing: true });
});

test(`${ENGINE}: the settings by keyboard: Enter opens them, Escape closes them and gives focus back`, async () => {
  const driver = await visit();
  await waitForBar(driver);
  const settings = await driver.findElement(By.css('.cg-bar [data-cg-action="settings"]'));
  await driver.executeScript('arguments[0].focus()', settings);
  await driver.actions().sendKeys(Key.ENTER).perform();
  await waitIn(driver, 'const d = document.querySelector("dialog.cg-prefs"); return d !== null && d.open && d.contains(document.activeElement)',
    undefined, { what: 'the dialog to open with focus inside' });
  await driver.actions().sendKeys(Key.TAB).perform();
  assert.equal(await driver.executeScript('return document.querySelector("dialog.cg-prefs").contains(document.activeElement)'), true, 'Tab stays in the dialog');
  await driver.actions().sendKeys(Key.ESCAPE).perform();
  await waitIn(driver, 'return document.querySelector("dialog.cg-prefs") === null', undefined, { what: 'Escape to close the dialog' });
  assert.equal(await driver.executeScript('return document.activeElement === arguments[0]', settings), true, 'focus is back on the settings button');
  assert.deepEqual(await vendorTraffic(driver), NOTHING, 'closing the settings decided nothing');
});
