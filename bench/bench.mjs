// The benchmark: consent-gate, vanilla-cookieconsent and Klaro on the same page,
// in Debian's Chromium through playwright-core, runs interleaved between the
// libraries. Three parts:
//   bytes  bytes per page-view kind (pageviews.mjs), gzip server, cold cache
//   fast   the fast-machine timings, plain server
//   slow   the slow phone (tabs.mjs SLOW_PHONE), gzip server
// Writes bench/RESULTS.md and prints it.
//
//   node bench/bench.mjs [--runs 20] [--slow-runs 10] [--bytes-runs 1] [--only bytes,fast,slow]
import { parseArgs } from 'node:util';
import { LIBRARIES, SCALE_VENDORS, SCALE_ELEMENTS } from './libraries.mjs';
import { listen } from './server.mjs';
import { writeResults } from './report.mjs';
import { KINDS, OPEN_LINK, kindsOf, measureKind } from './pageviews.mjs';
import {
  TIMEOUT, SLOW_PHONE, launch, openPage, load, probe, emulate, measureFirstVisit, measureReturning, captureGrant,
} from './tabs.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    'slow-runs': { type: 'string', default: '10' },
    'bytes-runs': { type: 'string', default: '1' },
    only: { type: 'string', default: 'bytes,fast,slow' },
  },
});
const RUNS = Number(options.runs);
const SLOW_RUNS = Number(options['slow-runs']);
const BYTES_RUNS = Number(options['bytes-runs']);
const PARTS = new Set(options.only.split(','));
for (const part of PARTS) if (!['bytes', 'fast', 'slow'].includes(part)) throw new Error(`--only: no part ${part} (bytes, fast, slow)`);

/** First visit, cold then warm (same context, nothing decided in between). */
async function firstVisit(browser, library, base, samples) {
  const tab = await openPage(browser, library);
  const url = `${base}${library.id}/home.html`;
  try {
    for (const cold of [true, false]) {
      const m = await measureFirstVisit(tab, url, cold);
      const when = cold ? 'cold' : 'warm';
      record(samples, `barVisible.${when}`, m.barVisible);
      record(samples, `longTasks.${when}`, m.longTasks);
      record(samples, `longTaskMs.${when}`, m.longTaskMs);
      record(samples, `layoutShift.${when}`, m.layoutShift);
    }
  } finally {
    noteErrors(samples, tab.errors);
    await tab.context.close();
  }
}

/**
 * A returning visitor with a stored grant, cold then warm, on the home page
 * or on the slow page (home.html sent in two parts: whether a library's tags
 * wait for the whole page to arrive).
 */
async function returning(browser, library, base, grant, samples, { page = 'home', metric = 'firstVendor' } = {}) {
  const tab = await openPage(browser, library, grant);
  const url = `${base}${library.id}/${page}.html`;
  try {
    for (const cold of [true, false]) {
      const m = await measureReturning(tab, url, cold);
      record(samples, `${metric}.${cold ? 'cold' : 'warm'}`, m.firstVendor);
      if (m.barShown) samples.barOnReturn = (samples.barOnReturn ?? 0) + 1;
    }
  } finally {
    noteErrors(samples, tab.errors);
    await tab.context.close();
  }
}

/** Scale page: click accept, time until every vendor and gated element is live. */
async function scale(browser, library, base, samples) {
  const tab = await openPage(browser, library);
  const elements = library.supportsGatedMarkup ? SCALE_ELEMENTS : 0;
  try {
    await load(tab, `${base}${library.id}/scale.html`, { cold: true });
    await tab.page.waitForFunction(() => window.__bench.barVisibleAt !== null, null, { timeout: TIMEOUT });
    await tab.page.click(library.accept);
    await tab.page.waitForFunction(
      ([v, e]) => window.__bench.vendorsActivated >= v && window.__bench.elementsActivated >= e,
      [SCALE_VENDORS, elements],
      { timeout: TIMEOUT },
    );
    const p = await probe(tab.page);
    record(samples, 'scale.vendors', p.lastVendorAt - p.clickAt);
    if (elements) record(samples, 'scale.all', Math.max(p.lastVendorAt, p.lastElementAt) - p.clickAt);
  } finally {
    noteErrors(samples, tab.errors);
    await tab.context.close();
  }
}

/** Slow phone, first visit, cold: navigation start to bar visible. */
async function slowFirstVisit(browser, library, base, samples) {
  const tab = await openPage(browser, library);
  try {
    await emulate(tab, SLOW_PHONE);
    await load(tab, `${base}${library.id}/home.html`, { cold: true });
    await tab.page.waitForFunction(() => window.__bench.barVisibleAt !== null, null, { timeout: TIMEOUT });
    record(samples, 'slow.barVisible', (await probe(tab.page)).barVisibleAt);
  } finally {
    noteErrors(samples, tab.errors);
    await tab.context.close();
  }
}

/**
 * Slow phone, returning visitor, cold: navigation start to the first vendor
 * request; then, on the same page once it has loaded, a click on the
 * "Cookie settings" link until the settings are visible; then the page again
 * with what the first load cached (warm).
 */
async function slowReturning(browser, library, base, grant, samples) {
  const tab = await openPage(browser, library, grant, { watch: { settings: library.settings } });
  try {
    await emulate(tab, SLOW_PHONE);
    await load(tab, `${base}${library.id}/home.html`, { cold: true });
    await tab.page.waitForFunction(() => window.__bench.firstVendorAt !== null, null, { timeout: TIMEOUT });
    const p = await probe(tab.page);
    record(samples, 'slow.firstVendor', p.firstVendorAt);
    if (p.barVisibleAt !== null) samples.barOnReturn = (samples.barOnReturn ?? 0) + 1;
    await tab.page.click(OPEN_LINK);
    await tab.page.waitForFunction(() => 'settings' in window.__bench.shownAt, null, { timeout: TIMEOUT });
    const q = await probe(tab.page);
    record(samples, 'slow.reopen', q.shownAt.settings - q.clickAt);
    const warm = await measureReturning(tab, `${base}${library.id}/home.html`, false);
    record(samples, 'slow.firstVendor.warm', warm.firstVendor);
    if (warm.barShown) samples.barOnReturn = (samples.barOnReturn ?? 0) + 1;
  } finally {
    noteErrors(samples, tab.errors);
    await tab.context.close();
  }
}

/** Each page-view kind the library has, once per run: what its files weigh (pageviews.mjs). */
async function pageViews(browser, base, grants, samples, views) {
  for (let run = 0; run < BYTES_RUNS; run++) {
    for (const library of LIBRARIES) {
      for (const kind of kindsOf(library)) {
        const m = await measureKind(browser, library, kind, base, grants[library.id]);
        ((views[library.id] ??= {})[kind.id] ??= []).push(m);
        noteErrors(samples[library.id], m.errors);
      }
    }
    process.stderr.write(`\rbytes per page view: run ${run + 1}/${BYTES_RUNS}`);
  }
  process.stderr.write('\n');
}

/** Runs interleaved: each run takes the libraries in a rotated order, scenario by scenario. */
async function interleaved(name, runs, scenarios) {
  for (let run = 0; run < runs; run++) {
    const order = LIBRARIES.map((_, i) => LIBRARIES[(i + run) % LIBRARIES.length]);
    for (const scenario of scenarios) for (const library of order) await scenario(library);
    process.stderr.write(`\r${name}: run ${run + 1}/${runs}`);
  }
  process.stderr.write('\n');
}

function record(samples, metric, value) {
  (samples[metric] ??= []).push(value);
}

function noteErrors(samples, errors) {
  for (const e of errors) (samples.errors ??= new Set()).add(e);
}

async function main() {
  // Two servers: plain for the fast-machine timings (as they have always been
  // measured), gzip for the bytes and the slow phone. Two origins, so each
  // library's grant is captured on each.
  const plain = await listen();
  const zipped = await listen({ gzip: true });
  const browser = await launch();
  const samples = Object.fromEntries(LIBRARIES.map((l) => [l.id, {}]));
  const views = {};
  const grantsOn = async (base) => {
    const grants = {};
    for (const library of LIBRARIES) grants[library.id] = await captureGrant(browser, library, base);
    return grants;
  };
  const started = performance.now();
  try {
    if (PARTS.has('bytes') || PARTS.has('slow')) {
      const base = zipped.url;
      const grants = await grantsOn(base);
      if (PARTS.has('bytes')) await pageViews(browser, base, grants, samples, views);
      if (PARTS.has('slow')) {
        await interleaved('slow phone', SLOW_RUNS, [
          (l) => slowFirstVisit(browser, l, base, samples[l.id]),
          (l) => slowReturning(browser, l, base, grants[l.id], samples[l.id]),
        ]);
      }
    }
    if (PARTS.has('fast')) {
      const base = plain.url;
      const grants = await grantsOn(base);
      await interleaved('fast machine', RUNS, [
        (l) => firstVisit(browser, l, base, samples[l.id]),
        (l) => returning(browser, l, base, grants[l.id], samples[l.id]),
        (l) => returning(browser, l, base, grants[l.id], samples[l.id], { page: 'slow', metric: 'firstVendorSlow' }),
        (l) => scale(browser, l, base, samples[l.id]),
      ]);
    }
    const markdown = writeResults({
      samples,
      views,
      kinds: KINDS,
      runs: { fast: PARTS.has('fast') ? RUNS : 0, slow: PARTS.has('slow') ? SLOW_RUNS : 0, bytes: PARTS.has('bytes') ? BYTES_RUNS : 0 },
      browserVersion: browser.version(),
      minutes: (performance.now() - started) / 60_000,
    });
    console.log(markdown);
  } finally {
    await browser.close();
    plain.server.close();
    zipped.server.close();
  }
}

await main();
