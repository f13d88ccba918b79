// Takes the README's screenshots of the bar and the settings dialog in each
// language, light and dark, into docs/screenshots/. Run after scripts/build.sh:
//   node scripts/screenshots.mjs
import { startServer, launch, openSite, waitForBar } from '../tests/e2e/harness.mjs';

const pages = { lv: '', ru: 'ru/', en: 'en/' };
const { server, url } = await startServer();
const browser = await launch();
try {
  for (const [lang, path] of Object.entries(pages)) {
    for (const colorScheme of ['light', 'dark']) {
      const { context, page } = await openSite(browser, url, {
        contextOptions: { viewport: { width: 1200, height: 760 }, colorScheme, reducedMotion: 'reduce' },
      });
      await page.goto(url + path);
      const bar = await waitForBar(page);
      await page.screenshot({ path: `docs/screenshots/bar-${lang}-${colorScheme}.png` });
      await bar.locator('[data-cg-action=settings]').click();
      await page.locator('.cg-prefs [data-cg-category=analytics] summary').click();
      await page.screenshot({ path: `docs/screenshots/settings-${lang}-${colorScheme}.png` });
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
