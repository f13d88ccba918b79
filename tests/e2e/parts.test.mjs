// The split build: every page loads the gate, and each part only when the
// page view needs it (issue 15). The bar and the settings dialog (ui) on a
// first visit or a reopen, the declaration on a page that has one, the full
// messages (diagnostics) only for a refused config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useDemo, openSite, waitForBar, settle } from './harness.mjs';

const demo = useDemo();

/** The library's files this page view requested, by name. */
function partsRequested(page) {
  const files = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/pkg/')) files.push(url.pathname.slice('/pkg/'.length));
  });
  return files;
}

/** Each request's path as it starts, and `done <path>` as it finishes, in order. */
function requestOrder(page) {
  const order = [];
  page.on('request', (r) => order.push(new URL(r.url()).pathname));
  page.on('requestfinished', (r) => order.push(`done ${new URL(r.url()).pathname}`));
  return order;
}

/** Whether `first` was requested before `second` had arrived. */
function startedBefore(order, first, second) {
  return order.indexOf(`/pkg/${first}`) < order.indexOf(`done /pkg/${second}`);
}

const UI = ['consent_gate_ui.js', 'consent_gate_ui_bg.wasm'];
const MARKUP = ['consent_gate_markup.js', 'consent_gate_markup_bg.wasm'];
const EMBEDS = ['consent_gate_embeds.js', 'consent_gate_embeds_bg.wasm'];
const DECLARATION = ['consent_gate_declaration.js', 'consent_gate_declaration_bg.wasm'];
const DIAGNOSTICS = ['consent_gate_diagnostics.js', 'consent_gate_diagnostics_bg.wasm'];
const GATE = ['consent-gate.css', 'consent-gate-auto.js', 'consent_gate_bg.wasm'];
const sorted = (list) => [...list].sort();

/** A visitor who accepted on an earlier page of the same site. */
async function returningVisitor() {
  const site = await openSite(demo.browser, demo.base);
  await site.page.goto(`${demo.base}en/`);
  await waitForBar(site.page);
  await site.page.click('.cg-bar [data-cg-action="accept"]');
  await settle(site.page);
  return site;
}

test('a returning visitor loads the gate alone: no ui, declaration or diagnostics part', async () => {
  const { context, page, problems } = await returningVisitor();
  const files = partsRequested(page);
  await page.goto(`${demo.base}en/`);
  await page.locator('.cg-floating').waitFor();
  await settle(page);
  assert.equal(await page.locator('.cg-bar').count(), 0);
  assert.deepEqual(sorted(files), sorted(GATE));
  assert.deepEqual(problems, []);
  await context.close();
});

test('reopening the settings fetches the ui part then, and only then', async () => {
  const { context, page, problems } = await returningVisitor();
  const files = partsRequested(page);
  await page.goto(`${demo.base}en/`);
  await page.locator('.cg-floating').waitFor();
  await settle(page);
  assert.ok(!files.some((f) => UI.includes(f)), `no ui part before the click: ${files}`);
  await page.click('.cg-floating');
  await page.locator('.cg-prefs[open]').waitFor();
  assert.deepEqual(sorted(files), sorted([...GATE, ...UI]));
  // The dialog works as before: a withdrawal is saved and the dialog closes.
  await page.click('.cg-prefs [data-cg-action="reject"]');
  await page.waitForLoadState('load'); // a withdrawal reloads the page
  await settle(page);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('consent-gate')).choices);
  assert.deepEqual(stored, { analytics: false, marketing: false });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a pointer over the floating button, or focus on it, gives the dialog a head start without opening it', async () => {
  for (const reach of ['hover', 'focus']) {
    const { context, page, problems } = await returningVisitor();
    const files = partsRequested(page);
    await page.goto(`${demo.base}en/`);
    await page.locator('.cg-floating').waitFor();
    await settle(page);
    assert.ok(!files.some((f) => UI.includes(f)), `${reach}: nothing before`);
    await page.locator('.cg-floating')[reach]();
    await settle(page);
    assert.deepEqual(sorted(files), sorted([...GATE, ...UI]), reach);
    assert.equal(await page.locator('.cg-prefs').count(), 0, `${reach}: the dialog waits for the click`);
    await page.click('.cg-floating');
    await page.locator('.cg-prefs[open]').waitFor();
    assert.equal(files.filter((f) => UI.includes(f)).length, 2, `${reach}: each ui file once`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a first visit fetches the ui part beside the gate, before the gate has decided, once', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  const files = partsRequested(page);
  const order = requestOrder(page);
  // The gate's wasm arrives late, as on a slow network.
  await page.route(`${demo.base}pkg/consent_gate_bg.wasm`, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue();
  });
  await page.goto(`${demo.base}en/`);
  await waitForBar(page);
  await settle(page);
  assert.deepEqual(sorted(files), sorted([...GATE, ...UI]));
  // The head start: the ui part is requested before the gate's wasm has even arrived.
  assert.ok(startedBefore(order, 'consent_gate_ui_bg.wasm', 'consent_gate_bg.wasm'), order.join('\n'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a page with embeds fetches the embeds part beside the markup part, and it draws the placeholders', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  const files = partsRequested(page);
  const order = requestOrder(page);
  await page.goto(`${demo.base}embeds.html`);
  await page.locator('.cg-embed').nth(3).waitFor();
  await settle(page);
  for (const file of [...MARKUP, ...EMBEDS]) assert.equal(files.filter((f) => f === file).length, 1, `${file} once`);
  // The gate saw the embeds: both parts are fetched side by side, not one after the other.
  assert.ok(startedBefore(order, 'consent_gate_embeds_bg.wasm', 'consent_gate_markup_bg.wasm'), order.join('\n'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a page with gated markup but no embed does not fetch the embeds part, until an embed is added', async () => {
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  const files = partsRequested(page);
  // The embeds page's config (it has embed vendors), on a page without embeds.
  await page.route(`${demo.base}no-embeds.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No embeds</title>
        <link rel="stylesheet" href="/pkg/consent-gate.css">
        <script type="module" async src="/pkg/consent-gate-auto.js" data-config="/embeds.json"></script></head>
        <body><main><h1>No embeds</h1>
        <iframe id="player" data-consent="marketing" data-src="/gated/embed.html" title="A player of the site's own"></iframe>
        </main></body></html>`,
    }),
  );
  await page.goto(`${demo.base}no-embeds.html`);
  await waitForBar(page);
  await page.click('.cg-bar [data-cg-action="accept"]');
  await page.locator('#player[data-consent-active]').waitFor({ state: 'attached' });
  await settle(page);
  assert.ok(files.some((f) => MARKUP.includes(f)), `the markup part: ${files}`);
  assert.ok(!files.some((f) => EMBEDS.includes(f)), `no embeds part: ${files}`);
  // A video added later: now the embeds part comes, and shows it granted (all was accepted).
  await page.evaluate(() => {
    const video = document.createElement('iframe');
    video.id = 'late-video';
    video.title = 'Big Buck Bunny';
    video.dataset.consent = 'marketing';
    video.dataset.src = 'https://www.youtube.com/embed/aqz-KE-bpKQ';
    document.querySelector('main').append(video);
  });
  await page.locator('#late-video[data-consent-active]').waitFor({ state: 'attached' });
  // Loaded by the embeds part, as YouTube's embed (its category alone names it).
  assert.equal(await page.locator('#late-video').getAttribute('data-consent-embed'), 'marketing:youtube');
  assert.deepEqual(files.filter((f) => EMBEDS.includes(f)).sort(), sorted(EMBEDS));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the gate or a part cut off in flight is fetched once more, and the bar still shows', async () => {
  // As when the page calls window.stop() or a connection drops: the first request of each fails.
  for (const files of [['consent_gate_bg.wasm', 'consent_gate_ui_bg.wasm'], ['consent_gate_ui.js']]) {
    const { context, page, problems } = await openSite(demo.browser, demo.base);
    const asked = {};
    for (const file of files) {
      await page.route((url) => url.pathname === `/pkg/${file}`, (route) => {
        asked[file] = (asked[file] ?? 0) + 1;
        return asked[file] === 1 ? route.abort('connectionreset') : route.continue();
      });
    }
    await page.goto(`${demo.base}en/`);
    await waitForBar(page);
    assert.deepEqual(asked, Object.fromEntries(files.map((f) => [f, 2])), 'each asked twice');
    assert.deepEqual(problems.filter((p) => !p.includes('ERR_CONNECTION_RESET')), [], files.join());
    await context.close();
  }
});

test('a page with a declaration fetches the declaration part, and a returning visitor still no ui', async () => {
  const { context, page, problems } = await returningVisitor();
  const files = partsRequested(page);
  await page.goto(`${demo.base}en/cookie-policy.html`);
  await page.locator('[data-consent-declaration] table').first().waitFor();
  await settle(page);
  assert.deepEqual(sorted(files), sorted([...GATE, ...DECLARATION]));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a page with gated markup fetches the markup part, which activates what is granted', async () => {
  const { context, page, problems } = await returningVisitor();
  const files = partsRequested(page);
  await page.goto(`${demo.base}gated.html`);
  await page.locator('[data-consent-active]').first().waitFor({ state: 'attached' });
  await settle(page);
  assert.deepEqual(sorted(files), sorted([...GATE, ...MARKUP]));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a gated element added later to a page that had none fetches the markup part then, and comes alive', async () => {
  const { context, page, problems } = await returningVisitor();
  const files = partsRequested(page);
  await page.goto(`${demo.base}en/`);
  await page.locator('.cg-floating').waitFor();
  await settle(page);
  assert.ok(!files.some((f) => MARKUP.includes(f)), `no markup part before: ${files}`);
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.id = 'late';
    img.alt = '';
    img.dataset.consent = 'analytics';
    img.dataset.src = '/favicon.ico';
    document.body.append(img);
  });
  await page.locator('#late[data-consent-active]').waitFor({ state: 'attached' });
  assert.equal(await page.locator('#late').getAttribute('src'), '/favicon.ico');
  assert.deepEqual(sorted(files), sorted([...GATE, ...MARKUP]));
  assert.deepEqual(problems.filter((p) => !p.includes('favicon')), []);
  await context.close();
});

test('a refused config fetches the diagnostics, which name the field, and draws nothing', async () => {
  const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
  const files = partsRequested(page);
  const broken = '{"policy": {"url": "/cookies", "edition": "1"}, "vendors": [{"type": "ga4", "measurementId": "G-1", "lifetme": "1 day"}]}';
  await page.route(`${demo.base}consent.json`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: broken }));
  const messages = [];
  page.on('console', (m) => m.type() === 'error' && messages.push(m.text()));
  await page.goto(`${demo.base}en/`);
  await settle(page, 800);
  assert.ok(messages.some((m) => m.includes('vendors[0].lifetme') && m.includes('did you mean "lifetime"')), messages.join('\n'));
  // With no record stored, the drop-in gave the ui part a head start (a
  // first visit's guess); it is never drawn.
  assert.deepEqual(sorted(files), sorted([...GATE, ...DIAGNOSTICS, ...UI]));
  assert.equal(await page.locator('.cg-bar').count(), 0);
  assert.deepEqual(vendorRequests, []);
  await context.close();
});

test('a part that fails to load is reported, no bar shows and nothing is granted', async () => {
  const { context, page, vendorRequests, problems } = await openSite(demo.browser, demo.base);
  await page.route(`${demo.base}pkg/consent_gate_ui_bg.wasm`, (route) => route.fulfill({ status: 503, body: 'down' }));
  await page.goto(`${demo.base}en/`);
  await settle(page, 800);
  assert.equal(await page.locator('.cg-bar').count(), 0);
  assert.ok(problems.some((p) => p.includes('could not load or draw the ui part')), problems.join('\n'));
  assert.deepEqual(vendorRequests, []);
  // The page keeps working, and the API still refuses nothing it should not.
  assert.equal(await page.evaluate(() => window.consentGate.isGranted('analytics')), false);
  await context.close();
});
