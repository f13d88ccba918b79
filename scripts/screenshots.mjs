// Takes the README's screenshots of the bar and the settings dialog in each
// language into docs/screenshots/: desktop light, desktop dark (the config
// asks for `ui.theme: "auto"`, so the OS setting shows) and a phone
// (375×667, light). Run after scripts/build.sh:
//   node scripts/screenshots.mjs
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

const { server, url } = await startServer();
const browser = await launch();
try {
  for (const [lang, path] of Object.entries(pages)) {
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
