// The checker page (www/check.html) as a marketing person uses it: paste,
// drop or pick consent.json, press check, read the messages (the same as
// `consent-gate check --lang`), and for a config that passes see the bar and
// the declaration, without a single request to a vendor and nothing stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { useDemo, openSite, settle } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const repo = new URL('../../', import.meta.url);
const DEMO_CONFIG = readFileSync(new URL('www/consent.json', repo), 'utf8');
const BROKEN = readFileSync(new URL('tests/config/broken/lifetime-units.json', repo), 'utf8');

const demo = useDemo();

async function openChecker(options) {
  const site = await openSite(demo.browser, demo.base, options);
  await site.page.goto(`${demo.base}check.html`);
  return site;
}

async function checkText(page, text) {
  await page.fill('#config-text', text);
  await page.click('#checker-form button[type=submit]');
}

const listed = (page) => page.locator('#problems li').allTextContents();

test('a broken config lists its problems with their lines, in Latvian, Russian and English', async () => {
  const { context, page, vendorRequests, problems } = await openChecker();
  await checkText(page, BROKEN);
  await page.locator('#problems li').first().waitFor();
  assert.equal(await page.locator('#result-heading').textContent(), 'consent.json: 8 kļūdas:');
  const lv = await listed(page);
  assert.equal(lv.length, 8);
  assert.equal(lv[0], '3. rinda, 25. zīme: consent.grant: "395d" nav uzrakstīts tā, kā consent-gate lasa glabāšanas laiku; rakstiet "395 days"');
  assert.ok(lv.some((t) => t.startsWith('8. rinda, 75. zīme: vendors[3].lifetime: "6 мес."') && t.endsWith('rakstiet "6 months"')), lv.join('\n'));
  await page.click('[data-lang=ru]');
  await page.waitForFunction(() => document.querySelector('#problems li')?.textContent.startsWith('строка 3'));
  assert.equal((await listed(page))[0], 'строка 3, символ 25: consent.grant: "395d" записано не так, как consent-gate читает сроки хранения; напишите "395 days"');
  await page.click('[data-lang=en]');
  await page.waitForFunction(() => document.querySelector('#problems li')?.textContent.startsWith('line 3'));
  assert.equal(await page.locator('#result-heading').textContent(), 'consent.json has 8 problems:');
  assert.equal((await listed(page))[0], 'line 3, column 25: consent.grant: "395d" is not written the way consent-gate reads lifetimes; write it as "395 days"');
  // The same words as the CLI (tests/config/broken/lifetime-units.expected).
  const expected = readFileSync(new URL('tests/config/broken/lifetime-units.expected', repo), 'utf8').trim().split('\n');
  assert.deepEqual((await listed(page)).map((t) => t.replace(/^line (\d+), column (\d+): /, '$1:$2: ')), expected);
  assert.equal(await page.locator('.cg-bar').count(), 0, 'no preview for a config with problems');
  // A problem's button selects its place in the text.
  await page.locator('#problems li button').first().click();
  const selected = await page.evaluate(() => {
    const t = document.getElementById('config-text');
    return t.value.slice(t.selectionStart, t.selectionEnd);
  });
  assert.ok(selected.startsWith('"395d"'), selected);
  assert.deepEqual(vendorRequests, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a valid config says so and previews the bar and the declaration; the preview grants nothing', async () => {
  const { context, page, vendorRequests, problems } = await openChecker();
  await checkText(page, DEMO_CONFIG);
  await page.locator('.cg-bar').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#result-heading').textContent(), 'Kļūdu nav: šo consent.json var publicēt.');
  assert.equal(await page.locator('#problems li').count(), 0);
  await page.locator('#declaration table').first().waitFor();
  assert.match(await page.locator('#declaration').textContent(), /Google Analytics/);
  assert.equal(await page.locator('.cg-bar [data-cg-action=accept]').textContent(), 'Pieņemt visas');
  // Accepting in the preview loads and stores nothing.
  await page.click('.cg-bar [data-cg-action=accept]');
  await settle(page, 500);
  assert.deepEqual(vendorRequests, []);
  assert.deepEqual(await page.evaluate(() => [localStorage.length, document.cookie]), [0, '']);
  // A check of another text replaces the preview.
  await checkText(page, '{}');
  await page.locator('#problems li').first().waitFor();
  assert.equal(await page.locator('.cg-bar').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a chosen file is read as the browser reads it: UTF-16 gets how to save it as UTF-8', async () => {
  const { context, page, vendorRequests } = await openChecker();
  await page.click('[data-lang=en]');
  await page.setInputFiles('#config-file', new URL('tests/config/broken/utf16-notepad-unicode.json', repo).pathname);
  await page.locator('#problems li').first().waitFor();
  assert.deepEqual(await listed(page), [
    'line 1, column 1: the file is saved as UTF-16 (Notepad calls it "Unicode"), but a consent.json must be UTF-8: in Notepad choose File > Save as, set Encoding to UTF-8 and save; in VS Code click "UTF-16" at the bottom right and choose Save with Encoding > UTF-8',
  ]);
  await page.setInputFiles('#config-file', new URL('tests/config/valid/byte-order-mark.json', repo).pathname);
  await page.locator('.cg-bar').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#result-heading').textContent(), 'No problems: this consent.json is ready to publish.');
  assert.deepEqual(vendorRequests, []);
  await context.close();
});

test('messages quote the config as text, never as markup', async () => {
  const { context, page } = await openChecker();
  await checkText(page, '{"policy": {"url": "/c", "edition": "1"}, "vendors": [{"type": "<img src=x id=injected>", "lifetime": "1 day"}]}');
  await page.locator('#problems li').first().waitFor();
  assert.match((await listed(page)).join('\n'), /'<img src=x id=injected>' nav pakalpojuma sniedzēja veids/);
  assert.equal(await page.locator('#injected').count(), 0);
  await context.close();
});

test('axe-core finds no serious or critical violation on the checker page', async () => {
  const { context, page } = await openChecker({ contextOptions: { bypassCSP: true } });
  await checkText(page, BROKEN);
  await page.locator('#problems li').first().waitFor();
  await page.evaluate(AXE);
  const scan = () => page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
  });
  assert.deepEqual(await scan(), [], 'with problems listed');
  await checkText(page, DEMO_CONFIG);
  await page.locator('.cg-bar').waitFor({ state: 'visible' });
  await page.locator('#declaration table').first().waitFor();
  assert.deepEqual(await scan(), [], 'with the preview');
  await context.close();
});

test('on the site, a refused config is reported in the page language (<html lang>)', async () => {
  for (const [path, first] of [['', '3. rinda, 25. zīme: consent.grant:'], ['ru/', 'строка 3, символ 25: consent.grant:'], ['en/', 'line 3, column 25: consent.grant:']]) {
    const { context, page, vendorRequests } = await openSite(demo.browser, demo.base);
    await page.route(`${demo.base}consent.json`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: BROKEN }));
    await page.goto(`${demo.base}${path}`);
    const items = page.locator('[data-consent-errors] li');
    await items.first().waitFor();
    const text = await items.allTextContents();
    assert.ok(text[0].startsWith(first), text[0]);
    assert.equal(text.length, 8);
    assert.deepEqual(vendorRequests, []);
    await context.close();
  }
});
