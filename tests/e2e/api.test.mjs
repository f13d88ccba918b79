// The API a page reaches for beside the bar (issue 17), through the real
// pkg/ build and the drop-in, under a strict CSP with a nonce: the page's own
// data-consent-accept / -reject / -settings buttons, loadScript() (with the
// nonce, only once granted, never a javascript: address), hideBar() and
// hidePreferences(), and consent-gate:ready carrying the gate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { useDemo, openSite, waitForBar, waitForStart, settle } from './harness.mjs';

const demo = useDemo();

const BUTTONS = `<div id="own">
  <button type="button" data-consent-accept><span>Our accept</span></button>
  <button type="button" data-consent-reject>Our reject</button>
  <a href="/elsewhere.html" data-consent-settings>Our settings</a>
</div>`;

/** index.html with a CSP header carrying a fresh nonce, the page's own buttons and a same-site widget. */
async function open() {
  const site = await openSite(demo.browser, demo.base);
  const { context, page } = site;
  const nonce = randomBytes(16).toString('base64');
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.blockedURI || 'inline'));
    document.addEventListener('consent-gate:ready', (e) => { window.readyDetail = e.detail; });
  });
  await page.route(`${demo.base}index.html`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text())
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace('<script type="module" async src="/pkg/consent-gate-auto.js"', `<script type="module" async nonce="${nonce}" src="/pkg/consent-gate-auto.js"`)
      .replace('<body>', `<body>${BUTTONS}`);
    const policy = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-${nonce}'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'self'`;
    await route.fulfill({ response, body: html, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
  site.widgetRequests = 0;
  await page.route(`${demo.base}cg-widget.js`, (route) => {
    site.widgetRequests += 1;
    return route.fulfill({ contentType: 'text/javascript', body: 'window.widgetRuns = (window.widgetRuns || 0) + 1;' });
  });
  await page.goto(`${demo.base}index.html`);
  await waitForStart(page);
  site.nonce = nonce;
  return site;
}

test("the page's own buttons, loadScript() and the ready event, with the nonce", async () => {
  const site = await open();
  const { context, page, vendorRequests, problems, nonce } = site;
  await waitForBar(page);
  assert.equal(await page.evaluate(() => window.readyDetail === window.consentGate), true, 'ready carries the gate');
  const refused = await page.evaluate(() => ['javascript:alert(1)', 'data:text/javascript,1'].map((src) => {
    try {
      window.consentGate.loadScript(src, 'necessary');
      return 'loaded';
    } catch (error) {
      return error.message.startsWith('consent-gate:') ? 'refused' : error.message;
    }
  }));
  assert.deepEqual(refused, ['refused', 'refused']);
  await page.evaluate(() => {
    window.widgetLoaded = window.consentGate.loadScript('/cg-widget.js', 'marketing').then(() => 'loaded');
    // Asked again (a component mounted twice): the same promise, one script.
    window.widgetAgain = window.consentGate.loadScript('/cg-widget.js', 'marketing').then(() => 'loaded');
  });
  await settle(page);
  assert.equal(site.widgetRequests, 0, 'nothing before consent');

  await page.getByText('Our accept').click();
  assert.equal(await page.evaluate(() => window.widgetLoaded), 'loaded');
  assert.equal(await page.evaluate(() => window.widgetAgain), 'loaded');
  assert.equal(await page.locator('script[data-consent-gate="page"]').count(), 1, 'asked twice, inserted once');
  assert.equal(await page.evaluate(() => window.widgetRuns), 1);
  assert.equal(await page.locator('script[data-consent-gate="page"]').evaluate((s) => s.nonce), nonce);
  assert.equal(await page.locator('.cg-bar').count(), 0, 'the bar closes');
  assert.deepEqual(await page.evaluate(() => window.consentGate.choices()), { analytics: true, marketing: true });
  assert.equal(await page.evaluate(() => window.consentGate.record().source), 'page-button');

  await page.getByText('Our reject').click();
  assert.deepEqual(await page.evaluate(() => window.consentGate.choices()), { analytics: false, marketing: false });
  await page.getByText('Our settings').click();
  await page.locator('.cg-prefs').waitFor({ state: 'visible' });
  assert.equal(new URL(page.url()).pathname, '/index.html', 'the settings link does not navigate');
  await page.evaluate(() => window.consentGate.hidePreferences());
  assert.equal(await page.locator('.cg-prefs').count(), 0, 'hidePreferences() closes the settings');
  await page.evaluate(() => window.consentGate.showBar());
  await waitForBar(page);
  await page.evaluate(() => window.consentGate.hideBar());
  assert.equal(await page.locator('.cg-bar').count(), 0, 'hideBar() hides the bar');

  assert.equal(site.widgetRequests, 1, 'the widget loaded once');
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(vendorRequests.filter((r) => !r.url.includes('cg-widget')), vendorRequests);
  assert.deepEqual(problems, []);
  await context.close();
});
