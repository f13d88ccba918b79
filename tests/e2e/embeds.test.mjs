// Click-to-load embeds (issue 19) end to end in Chromium, with every
// YouTube, Vimeo and Google host intercepted and recorded (harness.mjs,
// scripts/chromium.mjs VENDOR_HOSTS): nothing reaches them before a click;
// "load this video" loads that embed only; "always allow" loads every embed
// of the vendor, now and on later page views; a withdrawal brings the
// placeholders back; axe-core is clean on the placeholders in lv, ru and en;
// at 320 px nothing overflows sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { useDemo, openSite, waitForBar, waitForStart, settle, hosts, recordErrorEvents } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const demo = useDemo();

const EMBED_HOST = /(^|\.)(youtube\.com|youtube-nocookie\.com|ytimg\.com|googlevideo\.com|vimeo\.com|vimeocdn\.com|google\.com|gstatic\.com|googleapis\.com)$/;
const embedRequests = (requests) => requests.filter((r) => EMBED_HOST.test(new URL(r.url).hostname));
const srcOf = (page, id) => page.locator(`#${id}`).getAttribute('src');

async function openEmbeds(options = {}) {
  const site = await openSite(demo.browser, demo.base, options);
  await recordErrorEvents(site.page);
  await site.page.goto(`${demo.base}embeds.html`);
  await waitForStart(site.page);
  await site.page.locator('.cg-embed').nth(3).waitFor();
  return site;
}

test('the placeholders contact no third party, before or after a refusal', async () => {
  const { context, page, vendorRequests, problems } = await openEmbeds();
  await settle(page);
  assert.equal(await page.locator('.cg-embed').count(), 4);
  for (const id of ['video-1', 'video-2', 'video-3', 'map']) {
    assert.equal(await srcOf(page, id), null, `${id} has no src`);
  }
  const first = page.locator('.cg-embed').first();
  assert.match(await first.innerText(), /YouTube: Big Buck Bunny/);
  assert.match(await first.innerText(), /VISITOR_INFO1_LIVE/);
  assert.match(await first.innerText(), /8 months/);
  assert.equal(await first.getByRole('link').getAttribute('href'), 'https://policies.google.com/privacy');
  assert.ok(await page.getByRole('button', { name: 'Load this map' }).isVisible());
  // The poster is the site's own file.
  assert.equal(await page.locator('.cg-embed-poster').getAttribute('src'), '/gated/poster.svg');
  // The placeholder keeps the iframe's size: 560 × 315.
  const box = await first.boundingBox();
  assert.ok(Math.abs(box.width - 560) < 1 && Math.abs(box.height - 315) < 2, `${box.width} × ${box.height}`);

  const bar = await waitForBar(page);
  await bar.getByRole('button', { name: 'Reject all' }).click();
  await settle(page);
  assert.equal(await page.locator('.cg-embed').count(), 4, 'still placeholders');
  assert.deepEqual(embedRequests(vendorRequests), [], `no embed host contacted, saw ${hosts(vendorRequests)}`);
  assert.deepEqual(vendorRequests, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('"Load this video" loads that embed only, for this page view, and stores nothing', async () => {
  const { context, page, vendorRequests, problems } = await openEmbeds();
  await settle(page);
  const clickedAt = Date.now();
  await page.locator('.cg-embed').first().getByRole('button', { name: 'Load this video' }).click();
  await page.waitForFunction(() => document.querySelector('#video-1').getAttribute('src'));
  await settle(page);
  assert.equal(await srcOf(page, 'video-1'), 'https://www.youtube.com/embed/aqz-KE-bpKQ');
  assert.equal(await page.locator('#video-1').isVisible(), true);
  for (const id of ['video-2', 'video-3', 'map']) assert.equal(await srcOf(page, id), null, `${id} waits`);
  assert.equal(await page.locator('.cg-embed').count(), 3);
  const embeds = embedRequests(vendorRequests);
  assert.ok(embeds.length >= 1 && embeds.every((r) => r.url.startsWith('https://www.youtube.com/embed/aqz-KE-bpKQ')),
    `only that embed: ${embeds.map((r) => r.url)}`);
  assert.ok(embeds.every((r) => r.at >= clickedAt));
  assert.equal(await page.evaluate(() => window.consentGate.record()), null, 'no choice stored');
  assert.equal(await page.evaluate(() => window.consentGate.isGranted('marketing', 'youtube')), false);
  // Focus went to the video the keyboard asked for.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'video-1');

  await page.reload();
  await waitForStart(page);
  await page.locator('.cg-embed').nth(3).waitFor();
  assert.equal(await srcOf(page, 'video-1'), null, 'a placeholder again on the next page view');
  assert.deepEqual(problems, []);
  await context.close();
});

test('"Always allow YouTube" grants YouTube only, loads its embeds now and later, and a withdrawal brings the placeholders back', async () => {
  const { context, page, vendorRequests, problems } = await openEmbeds();
  await settle(page);
  await page.locator('.cg-embed').first().getByRole('button', { name: 'Always allow YouTube' }).click();
  await page.waitForFunction(() => document.querySelector('#video-2').getAttribute('src'));
  await settle(page);
  assert.equal(await srcOf(page, 'video-1'), 'https://www.youtube.com/embed/aqz-KE-bpKQ');
  assert.equal(await srcOf(page, 'video-2'), 'https://www.youtube.com/embed/eRsGyueVLvQ');
  assert.equal(await srcOf(page, 'video-3'), null, 'Vimeo waits');
  assert.equal(await srcOf(page, 'map'), null, 'the map waits');
  const record = await page.evaluate(() => window.consentGate.record());
  assert.equal(record.source, 'page-button');
  assert.deepEqual(await page.evaluate(() => window.consentGate.vendorChoices()), {
    analytics: {},
    marketing: { criteo: false, youtube: true, vimeo: false, 'google-maps': false },
  });
  assert.equal(await page.locator('.cg-bar').count(), 0, 'the choice stands: no bar');
  assert.deepEqual(hosts(vendorRequests).filter((h) => !/youtube\.com$/.test(h)), [], 'only YouTube contacted');

  await page.reload();
  await waitForStart(page);
  await page.waitForFunction(() => document.querySelector('#video-2')?.getAttribute('src'));
  assert.equal(await srcOf(page, 'video-1'), 'https://www.youtube.com/embed/aqz-KE-bpKQ', 'later page views load it');
  assert.equal(await page.locator('.cg-embed').count(), 2);

  // Withdrawn through the API (the settings dialog takes the same path): the
  // page reloads, as for any withdrawal, and shows the placeholders.
  const reloaded = page.waitForEvent('load');
  await page.evaluate(() => window.consentGate.set({ analytics: false, marketing: false }));
  await reloaded;
  await waitForStart(page);
  await page.locator('.cg-embed').nth(3).waitFor();
  assert.equal(await srcOf(page, 'video-1'), null);
  assert.equal(await srcOf(page, 'video-2'), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test('without a reload, a withdrawal turns the loaded embeds back into placeholders in place', async () => {
  const { context, page, problems } = await openEmbeds();
  await page.route(`${demo.base}embeds.json`, async (route) => {
    const config = JSON.parse(readFileSync(new URL('../../www/embeds.json', import.meta.url), 'utf8'));
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...config, reloadOnWithdraw: false }) });
  });
  await page.reload();
  await waitForStart(page);
  await page.locator('.cg-embed').nth(3).waitFor();
  await page.getByRole('button', { name: 'Always allow Google Maps' }).click();
  await page.waitForFunction(() => document.querySelector('#map').getAttribute('src'));
  await page.evaluate(() => window.consentGate.set({ analytics: false, marketing: { 'google-maps': false } }));
  await page.locator('.cg-embed').nth(3).waitFor();
  assert.equal(await srcOf(page, 'map'), null);
  assert.equal(await page.locator('#map').getAttribute('data-src'), 'https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2175.9!2d24.1052!3d56.9496');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an embed whose address is not its provider\'s is refused and reported, never loaded', async () => {
  const { context, page, vendorRequests } = await openEmbeds();
  await page.evaluate(() => {
    const f = document.createElement('iframe');
    f.id = 'wrong';
    f.setAttribute('data-consent', 'marketing:youtube');
    f.setAttribute('data-src', 'https://evil.test/www.youtube.com/embed/x');
    document.querySelector('main').append(f);
  });
  await page.waitForFunction(() => document.querySelector('#wrong').hasAttribute('data-consent-refused'));
  await page.getByRole('button', { name: 'Always allow YouTube' }).first().click();
  await page.waitForFunction(() => document.querySelector('#video-1').getAttribute('src'));
  await page.waitForTimeout(500);
  assert.equal(await srcOf(page, 'wrong'), null);
  const errors = await page.evaluate(() => window.errorEvents);
  assert.ok(errors.some((e) => /is not a YouTube embed address/.test(e)), errors.join('\n'));
  assert.ok(!vendorRequests.some((r) => r.url.includes('evil.test')));
  await context.close();
});

test('an iframe marked only with its category gets the placeholder of the embed vendor its address belongs to', async () => {
  const { context, page, vendorRequests, problems } = await openEmbeds();
  await page.evaluate(() => {
    const f = document.createElement('iframe');
    f.id = 'bare';
    f.title = 'Sintel';
    f.setAttribute('data-consent', 'marketing');
    f.setAttribute('data-src', 'https://www.youtube.com/embed/eRsGyueVLvQ');
    document.querySelector('main').append(f);
  });
  await page.locator('.cg-embed').nth(4).waitFor();
  const placeholder = page.locator('.cg-embed', { hasText: 'YouTube: Sintel' }).last();
  assert.match(await placeholder.innerText(), /VISITOR_INFO1_LIVE/);
  assert.deepEqual(embedRequests(vendorRequests), [], 'nothing before the click');
  await placeholder.getByRole('button', { name: 'Load this video' }).click();
  await page.waitForFunction(() => document.querySelector('#bare').getAttribute('src'));
  assert.equal(await srcOf(page, 'bare'), 'https://www.youtube.com/embed/eRsGyueVLvQ');
  // Loaded as YouTube's, so withdrawing YouTube would unload it.
  assert.equal(await page.locator('#bare').getAttribute('data-consent-embed'), 'marketing:youtube');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the placeholders follow ui.theme, light by default', async () => {
  for (const theme of [undefined, 'dark', 'auto']) {
    const site = await openSite(demo.browser, demo.base);
    if (theme) {
      await site.page.route(`${demo.base}embeds.json`, async (route) => {
        const config = JSON.parse(await (await route.fetch()).text());
        config.ui.theme = theme;
        await route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) });
      });
    }
    await site.page.goto(`${demo.base}embeds.html`);
    await site.page.locator('.cg-embed').nth(3).waitFor();
    const classes = await site.page.locator('.cg-embed').first().getAttribute('class');
    assert.match(classes, new RegExp(`\\bcg-theme--${theme ?? 'light'}\\b`), `${theme}: ${classes}`);
    assert.deepEqual(site.problems, []);
    await site.context.close();
  }
});

for (const [lang, load, allow] of [
  ['lv', 'Ielādēt šo video', 'Vienmēr atļaut YouTube'],
  ['ru', 'Загрузить это видео', 'Всегда разрешать YouTube'],
  ['en', 'Load this video', 'Always allow YouTube'],
]) {
  test(`${lang}: the placeholders are axe-clean and keyboard operable`, async () => {
    const { context, page, vendorRequests } = await openSite(demo.browser, demo.base, { contextOptions: { bypassCSP: true } });
    await page.route(`${demo.base}embeds.html`, async (route) => {
      const html = readFileSync(new URL('../../www/embeds.html', import.meta.url), 'utf8').replace('<html lang="en">', `<html lang="${lang}">`);
      route.fulfill({ status: 200, contentType: 'text/html', body: html });
    });
    await page.goto(`${demo.base}embeds.html`);
    await waitForStart(page);
    await page.locator('.cg-embed').nth(3).waitFor();
    const first = page.locator('.cg-embed').first();
    assert.ok(await first.getByRole('button', { name: load }).isVisible());
    assert.ok(await first.getByRole('button', { name: allow }).isVisible());
    // The bar goes first, so axe sees the placeholders alone.
    await page.evaluate(() => window.consentGate.hideBar());
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run('.cg-embed', { resultTypes: ['violations'] });
      return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
    });
    assert.deepEqual(violations, []);
    // 44 px targets.
    for (const b of await page.locator('.cg-embed button').all()) {
      const box = await b.boundingBox();
      assert.ok(box.height >= 44, `${await b.innerText()}: ${box.height}px`);
    }
    // Keyboard: focus the first load button and press Enter.
    await first.getByRole('button', { name: load }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#video-1').getAttribute('src'));
    for (let i = 0; i < 50 && embedRequests(vendorRequests).length === 0; i++) await page.waitForTimeout(100);
    await page.waitForTimeout(300);
    assert.deepEqual(embedRequests(vendorRequests).map((r) => r.url), ['https://www.youtube.com/embed/aqz-KE-bpKQ']);
    await context.close();
  });
}

test('at 320 px the placeholders reflow without horizontal scrolling', async () => {
  const { context, page } = await openEmbeds({ contextOptions: { viewport: { width: 320, height: 640 } } });
  await page.evaluate(() => window.consentGate.hideBar());
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `overflows by ${overflow}px`);
  for (const b of await page.locator('.cg-embed button').all()) {
    const box = await b.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 320, `${await b.innerText()} inside the screen`);
  }
  await context.close();
});
