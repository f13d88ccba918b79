// Bytes per page-view kind: what the browser downloads of each library's own
// files (JS, wasm, CSS: by URL path, libraries.mjs `counted`) for one view of
// each kind, cold cache, from the gzip server (server.mjs). Counted from the
// responses Chromium received (CDP Network events): each response's encoded
// body, i.e. the file's gzip at level 9. Every request counts, so a file
// fetched twice counts twice. The page, the config and the vendor stand-ins
// are not counted.
import { BROKEN_FULL_MESSAGE } from './libraries.mjs';
import { TIMEOUT, openPage, load, probe, recordFiles } from './tabs.mjs';

/** The "Cookie settings" link in the demo page's footer, whatever attribute the library gives it. */
export const OPEN_LINK = 'footer a[href="#cookie-settings"]';

const until = (tab, fn, arg) => tab.page.waitForFunction(fn, arg, { timeout: TIMEOUT });
const vendorRequested = (tab) => until(tab, () => window.__bench.firstVendorAt !== null);

/**
 * The kinds, in the report's order. `only`: the library must have that page
 * view (libraries.mjs `kinds`); `grant`: a returning visitor with the
 * library's stored grant; `view`: loads the page and waits for what the
 * visitor came to see, returning facts to check.
 */
export const KINDS = [
  {
    id: 'returning',
    label: 'returning visitor whose choice stands (no bar)',
    page: 'home',
    grant: true,
    view: async (tab) => {
      await vendorRequested(tab);
    },
  },
  {
    id: 'first',
    label: 'first visit, bar shown',
    page: 'home',
    grant: false,
    view: async (tab) => {
      await until(tab, () => window.__bench.barVisibleAt !== null);
    },
  },
  {
    id: 'reopen',
    label: 'reopen: returning visitor who then clicks the page\'s "Cookie settings" link',
    page: 'home',
    grant: true,
    view: async (tab, files) => {
      await vendorRequested(tab);
      await files.settle();
      files.phase = 'click';
      await tab.page.click(OPEN_LINK);
      await until(tab, () => 'settings' in window.__bench.shownAt);
      const p = await probe(tab.page);
      return { clickToSettings: p.shownAt.settings - p.clickAt };
    },
  },
  {
    id: 'broken',
    label: 'broken config: the full error messages shown',
    only: 'broken',
    page: 'broken',
    grant: false,
    view: async (tab) => {
      // The full messages suggest the right spelling of the misspelt field.
      const full = await until(tab, (want) => document.querySelector('[data-consent-errors]')?.textContent.includes(want), BROKEN_FULL_MESSAGE)
        .then(() => true, () => false);
      const text = await tab.page.evaluate(() => document.querySelector('[data-consent-errors]')?.innerText ?? '');
      return { fullMessages: full, messageLines: text.split('\n').filter((l) => l.trim()).length };
    },
  },
  {
    id: 'declaration',
    label: 'page with a cookie declaration (`data-consent-declaration`), returning visitor',
    only: 'declaration',
    page: 'declaration',
    grant: true,
    view: async (tab) => {
      await vendorRequested(tab);
      const shown = await until(tab, () => document.querySelector('[data-consent-declaration]')?.childElementCount > 0)
        .then(() => true, () => false);
      return { declarationShown: shown };
    },
  },
];

export const kindsOf = (library) => KINDS.filter((k) => !k.only || library.kinds.includes(k.only));

/**
 * One view of a kind: a fresh context, cache disabled, the library's files
 * recorded from before the navigation until nothing more loads (at least a
 * second after what the visitor came for: a part fetched "when idle" counts).
 */
export async function measureKind(browser, library, kind, base, grant) {
  const tab = await openPage(browser, library, kind.grant ? grant : undefined, { watch: { settings: library.settings } });
  const files = recordFiles(tab, library.counted);
  try {
    await load(tab, `${base}${library.id}/${kind.page}.html`, { cold: true });
    // A view that never shows what it was loaded for is reported, with what it fetched.
    const facts = await kind.view(tab, files).then((f) => f ?? {}, (e) => ({ failed: e.message.split('\n')[0] }));
    await files.settle();
    const p = await probe(tab.page);
    return {
      files: files.files(),
      facts: { ...facts, barShown: p.barVisibleAt !== null, vendorRequested: p.firstVendorAt !== null },
      errors: tab.errors,
    };
  } finally {
    await tab.context.close();
  }
}
