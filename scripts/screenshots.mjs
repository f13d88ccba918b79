// Takes the README's screenshots of the bar and the settings dialog in each
// language into docs/screenshots/: desktop light, desktop dark (the config
// asks for `ui.theme: "auto"`, so the OS setting shows) and a phone
// (375×667, light), and an embed placeholder (issue 19) on the demo's
// embeds page. Run after scripts/build.sh:
//   node scripts/screenshots.mjs           # all of them
//   node scripts/screenshots.mjs embeds    # the embed placeholder only
import { readFileSync } from 'node:fs';
import { startServer, launch, openSite, waitForBar } from '../tests/e2e/harness.mjs';

const pages = { lv: '', ru: 'ru/', en: 'en/' };
const config = JSON.parse(readFileSync('www/consent.json', 'utf8'));
const desktop = { viewport: { width: 1200, height: 760 } };
const phone = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const shots = [
  { name: 'light', options: { ...desktop, colorScheme: 'light' }, theme: 'light' },
  { name: 'dark', options: { ...desktop, colorScheme: 'dark' }, theme: 'auto' },
  { name: 'phone', options: { ...phone, colorScheme: 'light' }, theme: 'light' },
];

const only = process.argv[2];
const { server, url } = await startServer();
const browser = await launch();
try {
  const { context, page } = await openSite(browser, url, { contextOptions: { ...desktop, colorScheme: 'light' } });
  await page.goto(`${url}embeds.html`);
  await page.waitForFunction(() => window.consentGate !== undefined);
  await page.locator('.cg-embed').first().waitFor();
  await page.evaluate(() => window.consentGate.hideBar());
  await page.locator('.cg-embed').first().screenshot({ path: 'docs/screenshots/embed-placeholder.png' });
  await context.close();
  for (const [lang, path] of Object.entries(only === 'embeds' ? {} : pages)) {
    for (const shot of shots) {
      const { context, page } = await openSite(browser, url, {
        contextOptions: { ...shot.options, reducedMotion: 'reduce' },
      });
      const body = JSON.stringify({ ...config, ui: { ...config.ui, theme: shot.theme } });
      await page.route(`${url}consent.json`, (route) => route.fulfill({ contentType: 'application/json', body }));
      await page.goto(url + path);
      const bar = await waitForBar(page);
      await page.screenshot({ path: `docs/screenshots/bar-${lang}-${shot.name}.png` });
      await bar.locator('[data-cg-action=settings]').click();
      await page.locator('.cg-prefs [data-cg-category=analytics] summary').click();
      await page.screenshot({ path: `docs/screenshots/settings-${lang}-${shot.name}.png` });
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
