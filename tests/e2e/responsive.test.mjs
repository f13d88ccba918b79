// The visitor's experience on phones, at zoom and with a keyboard (issue 16):
// in lv, ru and en, at two phone sizes (mobile emulation), a tablet, a desktop,
// and 200 % and 400 % zoom of a 1280×1024 window (640×512 and 320×256 CSS px).
// For each: the bar's share of the screen with its three buttons in view, no
// sideways scrolling on the home and policy pages, no focused element under
// the bar, every part of the settings dialog reachable, and axe-core clean.
// Then focus and announcements after each kind of choice, and the smaller
// points (theme, floating button, touch targets, new-tab links, headings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { useDemo, openSite, waitForBar, waitForStart, settle } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DEMO_CONFIG = JSON.parse(readFileSync(new URL('../../www/consent.json', import.meta.url), 'utf8'));

const demo = useDemo();

const phone = { isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const SIZES = [
  { name: '320×568', contextOptions: { viewport: { width: 320, height: 568 }, ...phone }, maxShare: 0.45 },
  { name: '375×667', contextOptions: { viewport: { width: 375, height: 667 }, ...phone }, maxShare: 0.35 },
  { name: '768×1024', contextOptions: { viewport: { width: 768, height: 1024 } } },
  { name: '1366×768', contextOptions: { viewport: { width: 1366, height: 768 } } },
  { name: '200 %', contextOptions: { viewport: { width: 640, height: 512 }, deviceScaleFactor: 2 } },
  { name: '400 %', contextOptions: { viewport: { width: 320, height: 256 }, deviceScaleFactor: 4 } },
];
const LANGS = [
  { lang: 'lv', home: '', policy: 'cookie-policy.html' },
  { lang: 'ru', home: 'ru/', policy: 'ru/cookie-policy.html' },
  { lang: 'en', home: 'en/', policy: 'en/cookie-policy.html' },
];

/** Each size in each language, a fresh context each time. */
async function everywhere(body) {
  for (const size of SIZES) {
    for (const lang of LANGS) {
      const site = await openSite(demo.browser, demo.base, { contextOptions: size.contextOptions });
      try {
        await body({ ...site, size, ...lang, where: `${lang.lang} ${size.name}` });
      } finally {
        await site.context.close();
      }
    }
  }
}

/** The bar, at rest (its slide-in finished). */
async function barAtRest(page) {
  const bar = await waitForBar(page);
  await bar.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
  return bar;
}

/** Whether `el` shows at its centre, uncovered, inside the viewport. */
const IN_VIEW = (el) => {
  const r = el.getBoundingClientRect();
  const inside = r.top >= -0.5 && r.left >= -0.5 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const labelled = [...(el.labels ?? [])].some((l) => l.contains(hit));
  return inside && r.width > 0 && (hit === el || el.contains(hit) || labelled);
};

test('the bar: a small share of the screen, its three buttons in view, accept and reject alike', async () => {
  const shares = [];
  const tooLarge = [];
  await everywhere(async ({ page, problems, size, home, where }) => {
    await page.goto(demo.base + home);
    const bar = await barAtRest(page);
    const share = await bar.evaluate((el) => el.getBoundingClientRect().height / innerHeight);
    shares.push(`${where}: ${Math.round(share * 100)} %`);
    if (size.maxShare && share > size.maxShare) tooLarge.push(`${where}: ${Math.round(share * 100)} %`);
    for (const action of ['reject', 'accept', 'settings']) {
      const shown = await bar.locator(`[data-cg-action=${action}]`).evaluate(IN_VIEW);
      if (!shown) tooLarge.push(`${where}: ${action} is not in view without scrolling`);
    }
    const look = (action) => bar.locator(`[data-cg-action=${action}]`).evaluate((el) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return [Math.round(r.width), Math.round(r.height), s.backgroundColor, s.color, s.fontWeight, s.fontSize];
    });
    assert.deepEqual(await look('accept'), await look('reject'), `${where}: accept and reject alike`);
    assert.deepEqual(problems, [], where);
  });
  console.log(`bar share of the viewport:\n  ${shares.join('\n  ')}`);
  assert.deepEqual(tooLarge, [], 'the bar covers at most 45 % of 320×568 and 35 % of 375×667, its buttons in view');
});

test('no sideways scrolling on the home and policy pages', async () => {
  await everywhere(async ({ page, size, home, policy, where }) => {
    for (const path of [home, policy]) {
      await page.goto(demo.base + path);
      await barAtRest(page);
      if (path === policy) await page.locator('[data-consent-declaration] table').first().waitFor();
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      const width = size.contextOptions.viewport.width;
      assert.ok(scroll <= client && scroll <= width, `${where} /${path}: the page is ${scroll} px wide in ${width} px`);
    }
  });
});

test('tabbing through the page with the bar up never leaves focus under the bar', async () => {
  await everywhere(async ({ page, home, policy, where }) => {
    for (const path of [home, policy]) {
      await page.goto(demo.base + path);
      await barAtRest(page);
      await page.evaluate(() => document.activeElement?.blur());
      const seen = new Set();
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const state = await page.evaluate(() => {
          const el = document.activeElement;
          const bar = document.querySelector('.cg-bar');
          if (!el || el === document.body) return { done: true };
          const name = `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`;
          const key = `${name}@${[...document.querySelectorAll('*')].indexOf(el)}`;
          if (!bar || bar.contains(el) || el.closest('dialog')) return { key, name };
          const r = el.getBoundingClientRect();
          const b = bar.getBoundingClientRect();
          const overlap = Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top);
          return { key, name, covered: overlap > 0.5 && r.right > b.left && r.left < b.right };
        });
        if (state.done || seen.has(state.key)) break;
        seen.add(state.key);
        assert.ok(!state.covered, `${where} /${path}: ${state.name} is focused under the bar`);
      }
      assert.ok(seen.size > 5, `${where} /${path}: tabbed through the page`);
    }
  });
});

test('the settings dialog: title, every switch and every button can be reached; the page behind stays put', async () => {
  await everywhere(async ({ page, home, where }) => {
    await page.goto(demo.base + home);
    const bar = await barAtRest(page);
    await bar.locator('[data-cg-action=settings]').click();
    const dialog = page.locator('dialog.cg-prefs');
    await dialog.waitFor();
    // Every partner list open, so each partner's own switch is checked too.
    await dialog.evaluate((d) => d.querySelectorAll('details').forEach((x) => { x.open = true; }));
    const targets = dialog.locator('.cg-prefs__title, .cg-switch, button, summary');
    const count = await targets.count();
    assert.ok(count >= 17, `${where}: title, three switches, six partner switches, three summaries, close and three choices`);
    for (let i = 0; i < count; i++) {
      const target = targets.nth(i);
      const reached = await target.evaluate((el, inView) => {
        el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        return new Function(`return (${inView})`)()(el);
      }, IN_VIEW.toString());
      assert.ok(reached, `${where}: ${await target.evaluate((el) => el.outerHTML.slice(0, 80))} can be brought into view`);
    }
    // By keyboard: each stop of the tab order shows.
    await dialog.evaluate((el) => { el.scrollTop = 0; });
    await dialog.locator('[data-cg-action=close]').focus();
    for (let i = 0; i < count + 4; i++) {
      await page.keyboard.press('Tab');
      // Past the last stop, focus may leave for the browser's own controls.
      const shown = await page.evaluate((inView) => {
        const el = document.activeElement;
        return !el.closest('dialog') || el.tagName === 'DIALOG' || new Function(`return (${inView})`)()(el);
      }, IN_VIEW.toString());
      assert.ok(shown, `${where}: the ${i + 1}. tab stop in the dialog shows`);
    }
    // The wheel over the backdrop does not scroll the page.
    await page.mouse.move(2, 2);
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(150);
    assert.equal(await page.evaluate(() => scrollY), 0, `${where}: the page behind the dialog does not scroll`);
  });
});

test('axe-core finds no violation in the bar or the settings, at every size', async () => {
  for (const size of SIZES) {
    for (const { home, lang } of LANGS) {
      const { context, page } = await openSite(demo.browser, demo.base, { contextOptions: { ...size.contextOptions, bypassCSP: true } });
      await page.goto(demo.base + home);
      await barAtRest(page);
      await page.evaluate(AXE);
      const scan = (selector) => page.evaluate(async (sel) => {
        const result = await window.axe.run(document.querySelector(sel), { resultTypes: ['violations'] });
        return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}`);
      }, selector);
      assert.deepEqual(await scan('.cg-bar'), [], `bar, ${lang} ${size.name}`);
      await page.locator('[data-cg-action=settings]').click();
      await page.locator('.cg-prefs details').first().locator('summary').click();
      // The partners' switches too, one of them on so marketing shows as mixed.
      await page.locator('.cg-prefs').evaluate((d) => d.querySelectorAll('details').forEach((x) => { x.open = true; }));
      await page.locator('.cg-prefs [data-cg-of=marketing]').first().check();
      assert.deepEqual(await scan('.cg-prefs'), [], `settings, ${lang} ${size.name}`);
      await context.close();
    }
  }
});

const SAID = {
  lv: { none: 'Jūsu izvēle saglabāta: tiek izmantotas tikai nepieciešamās sīkdatnes.', all: 'Jūsu izvēle saglabāta: atļautas visas sīkdatnes.', analytics: 'Jūsu izvēle saglabāta: analītiskās sīkdatnes atļautas, mārketinga sīkdatnes – nē.', reload: /Lapa tagad tiks pārlādēta/ },
  ru: { none: 'Ваш выбор сохранён: используются только необходимые файлы cookie.', all: 'Ваш выбор сохранён: разрешены все файлы cookie.', analytics: 'Ваш выбор сохранён: аналитические cookie разрешены, маркетинговые – нет.', reload: /Страница сейчас перезагрузится/ },
  en: { none: 'Your choice is saved: only necessary cookies are used.', all: 'Your choice is saved: all cookies are allowed.', analytics: 'Your choice is saved: analytics cookies are allowed, marketing cookies are not.', reload: /The page reloads now/ },
};

/** What the polite live region says now. */
const status = (page) => page.evaluate(() => document.querySelector('[role=status][aria-live=polite]')?.textContent ?? null);

test('focus after each kind of choice, and the choice is announced', async () => {
  for (const size of [SIZES[1], SIZES[3]]) {
    for (const { lang, home } of LANGS) {
      const where = `${lang} ${size.name}`;
      const { context, page } = await openSite(demo.browser, demo.base, { contextOptions: size.contextOptions });
      // "Reject all" in the bar, by keyboard: focus goes on in the page, not to <body>.
      await page.goto(demo.base + home);
      await barAtRest(page);
      await page.locator('.cg-bar [data-cg-action=reject]').focus();
      await page.keyboard.press('Enter');
      await page.locator('.cg-bar').waitFor({ state: 'detached' });
      const after = await page.evaluate(() => ({ body: document.activeElement === document.body, connected: document.activeElement?.isConnected }));
      assert.deepEqual(after, { body: false, connected: true }, `${where}: focus after "reject all" in the bar`);
      assert.equal(await status(page), SAID[lang].none, `${where}: "reject all" is announced`);

      // Settings from the floating button, saved: focus returns to that same button.
      const floating = page.locator('.cg-floating');
      await floating.evaluate((el) => { el.dataset.marked = 'yes'; });
      await floating.focus();
      await page.keyboard.press('Enter');
      const dialog = page.locator('dialog.cg-prefs');
      await dialog.waitFor();
      await dialog.locator('input[data-cg-category=analytics]').check();
      await dialog.locator('[data-cg-action=save]').focus();
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset?.marked), 'yes', `${where}: focus back on the floating button, kept`);
      assert.equal(await status(page), SAID[lang].analytics, `${where}: the saved settings are announced`);

      // A withdrawal that reloads the page says so first.
      await page.evaluate(() => window.consentGate.acceptAll());
      await page.waitForFunction(() => window.__standin?.loaded?.includes('gtag'));
      await floating.click();
      await dialog.waitFor();
      const reloaded = page.waitForEvent('load');
      await dialog.locator('[data-cg-action=reject]').click();
      const said = await status(page);
      assert.match(said ?? '', SAID[lang].reload, `${where}: the reload is announced before it happens`);
      await reloaded;
      await waitForStart(page);
      await context.close();

      // "Accept all" in the bar: focus is not lost either.
      const second = await openSite(demo.browser, demo.base, { contextOptions: size.contextOptions });
      await second.page.goto(demo.base + home);
      await barAtRest(second.page);
      await second.page.locator('.cg-bar [data-cg-action=accept]').focus();
      await second.page.keyboard.press('Enter');
      await second.page.locator('.cg-bar').waitFor({ state: 'detached' });
      assert.equal(await second.page.evaluate(() => document.activeElement === document.body), false, `${where}: focus after "accept all"`);
      assert.equal(await status(second.page), SAID[lang].all, `${where}: "accept all" is announced`);
      await second.context.close();
    }
  }
});

/** Serves a changed consent.json to this context. */
async function serveConfig(context, change) {
  const config = structuredClone(DEMO_CONFIG);
  change(config);
  await context.route('**/consent.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
}

test('ui.theme: light by default even in dark mode; dark and auto on request', async () => {
  const cases = [
    { theme: undefined, colorScheme: 'dark', background: 'rgb(255, 255, 255)' },
    { theme: 'light', colorScheme: 'dark', background: 'rgb(255, 255, 255)' },
    { theme: 'dark', colorScheme: 'light', background: 'rgb(23, 27, 33)' },
    { theme: 'auto', colorScheme: 'dark', background: 'rgb(23, 27, 33)' },
    { theme: 'auto', colorScheme: 'light', background: 'rgb(255, 255, 255)' },
  ];
  for (const c of cases) {
    const { context, page, problems } = await openSite(demo.browser, demo.base, { contextOptions: { colorScheme: c.colorScheme } });
    if (c.theme) await serveConfig(context, (config) => { config.ui.theme = c.theme; });
    await page.goto(demo.base);
    const bar = await waitForBar(page);
    const where = `theme ${c.theme ?? '(default)'}, ${c.colorScheme} scheme`;
    assert.equal(await bar.evaluate((el) => getComputedStyle(el).backgroundColor), c.background, `${where}: the bar`);
    await bar.locator('[data-cg-action=reject]').click();
    const floating = page.locator('.cg-floating');
    assert.equal(await floating.evaluate((el) => getComputedStyle(el).backgroundColor), c.background, `${where}: the floating button`);
    await floating.click();
    const dialog = page.locator('dialog.cg-prefs');
    assert.equal(await dialog.evaluate((el) => getComputedStyle(el).backgroundColor), c.background, `${where}: the dialog`);
    assert.deepEqual(problems, [], where);
    await context.close();
  }
});

test('the floating button: small, in the corner and at the offset the config names', async () => {
  const cases = [
    { config: {}, corner: 'bottom-left', offset: 16 },
    { config: { floatingButtonCorner: 'bottom-right', floatingButtonOffset: 24 }, corner: 'bottom-right', offset: 24 },
    { config: { floatingButtonCorner: 'top-left', floatingButtonOffset: 0 }, corner: 'top-left', offset: 0 },
    { config: { floatingButtonCorner: 'top-right', floatingButtonOffset: 80 }, corner: 'top-right', offset: 80 },
  ];
  for (const c of cases) {
    const { context, page, problems } = await openSite(demo.browser, demo.base, { contextOptions: SIZES[1].contextOptions });
    await serveConfig(context, (config) => Object.assign(config.ui, c.config));
    await page.goto(`${demo.base}en/`);
    await (await waitForBar(page)).locator('[data-cg-action=reject]').click();
    const floating = page.getByRole('button', { name: 'Cookie settings' });
    const box = await floating.evaluate((el) => JSON.parse(JSON.stringify(el.getBoundingClientRect())));
    const { width, height } = SIZES[1].contextOptions.viewport;
    const [vertical, horizontal] = c.corner.split('-');
    const gap = {
      top: box.top, bottom: height - box.bottom, left: box.left, right: width - box.right,
    };
    assert.equal(Math.round(gap[vertical]), c.offset, `${c.corner}: ${vertical} offset`);
    assert.equal(Math.round(gap[horizontal]), c.offset, `${c.corner}: ${horizontal} offset`);
    assert.ok(box.width >= 44 && box.height >= 44 && box.width <= 48 && box.height <= 48, `${c.corner}: 44 to 48 px square, is ${box.width}×${box.height}`);
    assert.deepEqual(problems, [], c.corner);
    await context.close();
  }
});

test('touch targets of at least 44 px, new tabs announced, no heading before the page\'s h1', async () => {
  for (const { lang, home } of LANGS) {
    const { context, page } = await openSite(demo.browser, demo.base, { contextOptions: SIZES[1].contextOptions });
    await page.goto(demo.base + home);
    const bar = await barAtRest(page);
    assert.equal(await bar.locator('h1, h2, h3, h4, h5, h6, [role=heading]').count(), 0, `${lang}: the bar has no heading before the page's h1`);
    const small = (root) => root.evaluate((el) => [...el.querySelectorAll('button, summary, a:not(.cg-bar__link), .cg-category__name')]
      .map((t) => [t.textContent.trim().slice(0, 30), t.getBoundingClientRect()])
      .filter(([, r]) => r.height < 44 || r.width < 44)
      .map(([name, r]) => `${name} ${Math.round(r.width)}×${Math.round(r.height)}`));
    assert.deepEqual(await small(bar), [], `${lang}: the bar's targets`);
    await bar.locator('[data-cg-action=settings]').click();
    const dialog = page.locator('dialog.cg-prefs');
    await dialog.waitFor();
    for (const summary of await dialog.locator('summary').all()) await summary.click();
    assert.deepEqual(await small(dialog), [], `${lang}: the dialog's targets`);
    const silent = await dialog.evaluate((el, words) => [...el.querySelectorAll('a[target=_blank]')]
      .map((a) => a.getAttribute('aria-label') ?? a.textContent)
      .filter((name) => !name.includes(words)), { lv: 'atveras jaunā cilnē', ru: 'открывается в новой вкладке', en: 'opens in a new tab' }[lang]);
    assert.deepEqual(silent, [], `${lang}: every link that opens a new tab says so`);
    await context.close();
  }
});
