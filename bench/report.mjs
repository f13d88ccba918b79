// Turns the samples into bench/RESULTS.md: machine, date, versions, the bytes
// each page-view kind downloads, the slow phone, and median (p10-p90,
// min-max) of every timing, with consent-gate's figure as a ratio to each
// anchor's.
import { writeFileSync, readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import os from 'node:os';
import { join, relative } from 'node:path';
import { sizes } from '../scripts/size-report.mjs';
import { LIBRARIES, SCALE_VENDORS, SCALE_ELEMENTS, SLOW_TAIL_MS, BROKEN_FULL_MESSAGE, repo } from './libraries.mjs';
import { fileFor } from './server.mjs';
import { SLOW_PHONE } from './tabs.mjs';

const [OURS, ...ANCHORS] = LIBRARIES;

const SLOW_METRICS = [
  ['slow.barVisible', 'first visit, cold cache: navigation start to bar visible', 'ms'],
  ['slow.firstVendor', 'returning visitor (stored grant), cold cache: navigation start to first vendor tag request', 'ms'],
  ['slow.reopen', 'the same returning visitor, once the page has loaded: click on "Cookie settings" to settings visible', 'ms'],
  ['slow.firstVendor.warm', 'the same returning visitor on the next page view, warm cache: navigation start to first vendor tag request', 'ms'],
];

const METRICS = [
  ['barVisible.cold', 'first visit, cold cache: navigation start to bar visible', 'ms'],
  ['barVisible.warm', 'first visit, warm cache: navigation start to bar visible', 'ms'],
  ['firstVendor.cold', 'returning visitor (stored grant), cold cache: navigation start to first vendor tag request', 'ms'],
  ['firstVendor.warm', 'returning visitor (stored grant), warm cache: navigation start to first vendor tag request', 'ms'],
  ['firstVendorSlow.cold', `returning visitor, slow page (rest of the page ${SLOW_TAIL_MS} ms after its head), cold cache: to first vendor tag request`, 'ms'],
  ['firstVendorSlow.warm', `returning visitor, slow page (rest of the page ${SLOW_TAIL_MS} ms after its head), warm cache: to first vendor tag request`, 'ms'],
  ['longTasks.cold', 'first visit, cold: long tasks (> 50 ms) until bar visible + 300 ms', 'count'],
  ['longTaskMs.cold', 'first visit, cold: total long-task time', 'ms'],
  ['longTasks.warm', 'first visit, warm: long tasks (> 50 ms)', 'count'],
  ['longTaskMs.warm', 'first visit, warm: total long-task time', 'ms'],
  ['layoutShift.cold', 'first visit, cold: layout shift (sum of layout-shift values)', 'CLS'],
  ['layoutShift.warm', 'first visit, warm: layout shift', 'CLS'],
  ['scale.vendors', `scale: click "accept all" to the last of ${SCALE_VENDORS} generic vendors' scripts inserted`, 'ms'],
  ['scale.all', `scale: click "accept all" to the last of ${SCALE_VENDORS} vendors + ${SCALE_ELEMENTS} gated elements activated`, 'ms'],
];

function quantile(sorted, q) {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo);
}

export function stats(values) {
  if (!values?.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), p10: quantile(s, 0.1), p90: quantile(s, 0.9), min: s[0], max: s.at(-1) };
}

const fmt = (v, unit) => (unit === 'CLS' ? v.toFixed(4) : unit === 'count' ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(1));
const cell = (st, unit) => (st ? `${fmt(st.median, unit)} (${fmt(st.p10, unit)}–${fmt(st.p90, unit)}; ${fmt(st.min, unit)}–${fmt(st.max, unit)})` : 'n/a');
function ratio(ours, theirs) {
  if (!ours || !theirs) return 'n/a';
  if (theirs.median === 0) return ours.median === 0 ? '= (both 0)' : '∞';
  return `${(ours.median / theirs.median).toFixed(2)}×`;
}

const sum = (files) => files.reduce((t, f) => t + f.body, 0);
const plural = (n, one) => `${n} ${one}${n === 1 ? '' : 's'}`;
/** The bytes of one view: the files' encoded bodies (every request, a file fetched twice counts twice). */
const viewBytes = (view) => sum(view.files);

/** min–max over the runs of a kind, or the one figure. */
function bytesCell(runs) {
  if (!runs?.length) return null;
  const totals = runs.map(viewBytes);
  const lo = Math.min(...totals);
  const hi = Math.max(...totals);
  return { bytes: hi, text: `${lo === hi ? hi : `${lo}–${hi}`} (${plural(runs[0].files.length, 'file')})` };
}

function pageViewSection(views, kinds) {
  const head = `| page view | ${LIBRARIES.map((l) => l.label).join(' | ')} | ${ANCHORS.map((a) => `consent-gate / ${a.label}`).join(' | ')} |`;
  const rows = kinds.map((kind) => {
    const cells = LIBRARIES.map((l) => bytesCell(views[l.id]?.[kind.id]));
    const ratios = cells.slice(1).map((c) => (cells[0] && c ? `${(cells[0].bytes / c.bytes).toFixed(2)}×` : 'n/a'));
    return `| ${kind.label} | ${cells.map((c) => c?.text ?? 'n/a').join(' | ')} | ${ratios.join(' | ')} |`;
  });
  return [head, `|---|${LIBRARIES.map(() => '---:|').join('')}${ANCHORS.map(() => '---:|').join('')}`, ...rows].join('\n');
}

const fileList = (files) => (files.length ? files.map((f) => `\`${f.path}\` ${f.body}${f.status === 200 ? '' : ` (HTTP ${f.status ?? f.failed})`}`).join(', ') : 'nothing');

/** What the view was checked to have shown, from the facts its kind returned. */
function checks(kind, facts) {
  const out = facts.failed ? [`**failed: ${facts.failed}**`] : [];
  if (kind === 'first') out.push(facts.barShown ? 'bar shown' : '**bar not shown**');
  else out.push(facts.barShown ? '**bar shown**' : 'no bar');
  if (kind === 'broken') out.push(facts.vendorRequested ? '**a vendor was requested**' : 'no vendor requested');
  else if (kind !== 'first') out.push(facts.vendorRequested ? 'vendor tags requested' : '**no vendor requested**');
  if ('clickToSettings' in facts) out.push(`settings visible ${facts.clickToSettings.toFixed(0)} ms after the click`);
  if ('fullMessages' in facts) out.push(facts.fullMessages ? `full messages shown (${plural(facts.messageLines, 'line')}, with the suggestion ${BROKEN_FULL_MESSAGE})` : `**the full messages were not shown** (${plural(facts.messageLines, 'line')})`);
  if ('declarationShown' in facts) out.push(facts.declarationShown ? 'declaration rendered' : '**declaration not rendered**');
  return out.join('; ');
}

function fetchedSection(views, kinds) {
  const lines = ['| page view | library | files fetched, in request order (gzip bytes) | checked |', '|---|---|---|---|'];
  for (const kind of kinds) {
    for (const l of LIBRARIES) {
      const runs = views[l.id]?.[kind.id];
      if (!runs?.length) continue;
      const [view] = runs;
      const load = view.files.filter((f) => f.phase === 'load');
      const click = view.files.filter((f) => f.phase === 'click');
      const files = kind.id === 'reopen' ? `page load: ${fileList(load)}; after the click: ${fileList(click)}` : fileList(view.files);
      lines.push(`| ${kind.label} | ${l.label} | ${files} | ${checks(kind.id, view.facts)} |`);
    }
  }
  return lines.join('\n');
}

/** Every file any page view fetched, with raw, gzip and brotli sizes from the file itself. */
function librarySizes(library, views) {
  const paths = [...new Set(Object.values(views[library.id] ?? {}).flat().flatMap((v) => v.files.filter((f) => f.status === 200).map((f) => f.path)))];
  const files = paths.map((path) => ({ file: relative(repo, fileFor(path)), ...sizes(fileFor(path)) }));
  const total = files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  return { files, total };
}

function machine(browserVersion) {
  const release = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? os.platform();
  const cpus = os.cpus();
  // The library's sources may be older than the checkout: name both.
  const git = (args) => {
    try {
      return execSync(`git ${args}`, { cwd: repo }).toString().trim();
    } catch {
      return 'unknown';
    }
  };
  const commit = git('log -1 --format=%h -- src Cargo.toml Cargo.lock js styles scripts/build.sh');
  const head = git('rev-parse --short HEAD');
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus.length} cores (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${release}, Linux ${os.release()}`,
    `- Browser: Chromium ${browserVersion} (Debian, headless, via playwright-core), Node ${process.version}`,
    `- Libraries: consent-gate ${OURS.version()} (library sources of commit ${commit}, checkout ${head}), ${ANCHORS.map((a) => `${a.label} ${a.version()}`).join(', ')}`,
  ].join('\n');
}

function sizeSection(views) {
  const all = LIBRARIES.map((l) => ({ library: l, ...librarySizes(l, views) }));
  const ours = all[0].total;
  const lines = [
    '| library | raw | gzip | brotli | gzip ratio (consent-gate / library) |',
    '|---|---:|---:|---:|---:|',
    ...all.map(({ library, total }) =>
      `| ${library.label} | ${total.raw} | ${total.gzip} | ${total.brotli} | ${(ours.gzip / total.gzip).toFixed(2)}× |`),
    '',
    '| library | file | raw | gzip | brotli |',
    '|---|---|---:|---:|---:|',
    ...all.flatMap(({ library, files }) => files.map((f) => `| ${library.label} | ${f.file} | ${f.raw} | ${f.gzip} | ${f.brotli} |`)),
  ];
  return lines.join('\n');
}

function timingSection(samples, metrics = METRICS) {
  const head = `| metric | unit | ${LIBRARIES.map((l) => l.label).join(' | ')} | ${ANCHORS.map((a) => `consent-gate / ${a.label}`).join(' | ')} |`;
  const rows = metrics.map(([key, label, unit]) => {
    const st = LIBRARIES.map((l) => stats(samples[l.id][key]));
    return `| ${label} | ${unit} | ${st.map((s) => cell(s, unit)).join(' | ')} | ${st.slice(1).map((s) => ratio(st[0], s)).join(' | ')} |`;
  });
  return [head, `|---|---|${LIBRARIES.map(() => '---|').join('')}${ANCHORS.map(() => '---:|').join('')}`, ...rows].join('\n');
}

/** The slow phone: every library's median as a ratio to vanilla-cookieconsent's. */
function slowSection(samples) {
  const [cc] = ANCHORS;
  const others = LIBRARIES.filter((l) => l !== cc);
  const head = `| metric | unit | ${LIBRARIES.map((l) => l.label).join(' | ')} | ${others.map((l) => `${l.label} / ${cc.label}`).join(' | ')} |`;
  const rows = SLOW_METRICS.map(([key, label, unit]) => {
    const st = Object.fromEntries(LIBRARIES.map((l) => [l.id, stats(samples[l.id][key])]));
    return `| ${label} | ${unit} | ${LIBRARIES.map((l) => cell(st[l.id], unit)).join(' | ')} | ${others.map((l) => ratio(st[l.id], st[cc.id])).join(' | ')} |`;
  });
  return [head, `|---|---|${LIBRARIES.map(() => '---|').join('')}${others.map(() => '---:|').join('')}`, ...rows].join('\n');
}

function notes(samples, views, kinds) {
  const lines = [];
  for (const l of LIBRARIES) {
    const s = samples[l.id];
    if (s.barOnReturn) lines.push(`- ${l.label}: the bar showed on ${s.barOnReturn} returning-visitor loads (the stored grant was not accepted).`);
    for (const e of s.errors ?? []) lines.push(`- ${l.label}: page error: ${e}`);
    for (const kind of kinds) {
      const runs = views[l.id]?.[kind.id] ?? [];
      const totals = new Set(runs.map(viewBytes));
      if (totals.size > 1) lines.push(`- ${l.label}, ${kind.label}: the bytes differed between views (${[...totals].join(', ')}); the files listed are the first view's.`);
      const odd = runs.flatMap((v) => v.files).filter((f) => f.status !== 200);
      for (const f of new Set(odd.map((f) => `${f.path} (HTTP ${f.status ?? f.failed})`))) lines.push(`- ${l.label}, ${kind.label}: ${f}.`);
      const marked = runs.map((v) => checks(kind.id, v.facts)).filter((c) => c.includes('**'));
      for (const c of new Set(marked)) lines.push(`- ${l.label}, ${kind.label}: ${c}.`);
    }
  }
  return lines.length ? lines.join('\n') : '- No page errors; no library asked a returning visitor again; every page view showed what it was loaded for.';
}

const NOT_RUN = (part) => `Not measured in this run (\`--only\` left out \`${part}\`).`;

export function writeResults({ samples, views, kinds, runs, browserVersion, minutes }) {
  const ph = SLOW_PHONE;
  const ourHead = OURS.head('home').map((line) => `\`${line}\``).join(', ');
  const markdown = `# Benchmark results

Written by \`bench/run.sh\` (see README, "Benchmark"). Do not edit by hand.

${machine(browserVersion)}
- Runs, each interleaved (each run takes the three libraries in a rotated order): bytes per page
  view ${runs.bytes} view(s) of each kind; slow phone ${runs.slow} loads per figure; fast machine
  ${runs.fast} loads per figure. The whole run took ${minutes.toFixed(1)} minutes.
- consent-gate is loaded as the demo page loads it (\`www/en/index.html\`, the config path
  changed to the bench's): ${ourHead}.

## Bytes per page view

What the browser downloaded of each library's own files (JS, wasm and CSS: for consent-gate
every URL under \`/pkg/\`, for the anchors their files under \`/lib/\`) for one view of each kind,
cold cache. The server sends every response gzipped at level 9 (the level of
\`scripts/size-report.mjs\`); the figure is the sum of the encoded bodies of the responses as
Chromium received them (CDP \`Network\` events), recorded from navigation until nothing more loads
for 500 ms and at least 1 s after what the view was loaded for. Every request counts: a file
fetched twice counts twice. The page, the config and the vendor stand-ins are not counted.
"n/a": the library has no such page view (vanilla-cookieconsent and Klaro have no declaration
element; a broken config is consent-gate's checker). Below 1 in a ratio means consent-gate
downloads less.

${runs.bytes ? pageViewSection(views, kinds) : NOT_RUN('bytes')}

The page views:
- returning visitor: a stored grant the library wrote itself after "accept all"; until the first
  vendor request.
- first visit: nothing stored; until the bar is visible (the rule of \`bench/probe.js\`).
- reopen: the returning visitor's page view, then a click on the footer's "Cookie settings" link
  (\`data-consent-open\` for consent-gate, \`data-cc="show-preferencesModal"\` for
  vanilla-cookieconsent, \`klaro.show()\` for Klaro) until the settings are visible.
- broken config: consent-gate with a consent.json that fails its checks (a Universal Analytics
  id and a misspelt \`privacyURL\`), until \`[data-consent-errors]\` shows the full messages
  (the suggestion ${BROKEN_FULL_MESSAGE}).
- declaration: the home page with a \`data-consent-declaration\` element, returning visitor, until
  the declaration is rendered.

${runs.bytes ? fetchedSection(views, kinds) : ''}

Every file any page view fetched, with sizes from the file itself; each library's total is the
most a site loads for it:

${runs.bytes ? sizeSection(views) : NOT_RUN('bytes')}

## Slow phone

CPU ${ph.cpu}× slower (CDP \`Emulation.setCPUThrottlingRate\`), ${ph.downKbit / 1000} Mbit/s down,
${ph.upKbit} kbit/s up, ${ph.latency} ms added to every response (CDP
\`Network.emulateNetworkConditions\`), responses gzipped as above. Cold cache but for the last row,
which loads the page again in the same tab. Each cell: median (p10–p90; min–max) over ${runs.slow}
loads, on the page's clock; the reopen row counts from the click. The ratio columns divide each
library's median by vanilla-cookieconsent's (below 1 means faster).

${runs.slow ? slowSection(samples) : NOT_RUN('slow')}

## Timings (fast machine)

Each cell: median (p10–p90; min–max) over ${runs.fast} loads. Files are served uncompressed
on loopback, no throttling. Times are on the page's clock
(\`performance.now()\`, 0 = navigation start), except the scale rows, which count from the
"accept all" click. The ratio columns divide consent-gate's median by the anchor's
(below 1 means consent-gate is faster or smaller).

${runs.fast ? timingSection(samples) : NOT_RUN('fast')}

Slow page: the same page as the returning-visitor rows, sent as a server that flushes early
sends it: the head and the page's header at once, the rest (from \`<main>\`) ${SLOW_TAIL_MS} ms later.
vanilla-cookieconsent and Klaro are \`defer\` scripts, as their documentation advises, so they run once
the whole page is parsed; consent-gate's drop-in is an \`async\` module that loads a returning
visitor's tags as soon as it is ready and leaves the bar, gated elements and events for the
parsed page.

Scale: every library activates the same ${SCALE_ELEMENTS} gated \`<script type="text/plain">\`
elements in its own idiom beside its ${SCALE_VENDORS} vendors. consent-gate runs them in document
order but fetches consecutive external ones in parallel (\`async = false\`, as the browser does
for a page's own scripts); vanilla-cookieconsent loads each after the previous one loaded;
Klaro inserts them all at once, so they run in the order they arrive.

## Notes from this run

${notes(samples, views, kinds)}
`;
  writeFileSync(join(repo, 'bench/RESULTS.md'), markdown);
  return markdown;
}
