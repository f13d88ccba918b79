// Turns the samples into bench/RESULTS.md: machine, date, versions, the bytes
// each library costs a site, and median (p10-p90, min-max) of every timing,
// with consent-gate's figure as a ratio to each anchor's.
import { writeFileSync, readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { sizes } from '../scripts/size-report.mjs';
import { LIBRARIES, SCALE_VENDORS, SCALE_ELEMENTS, SLOW_TAIL_MS, repo } from './libraries.mjs';

const [OURS, ...ANCHORS] = LIBRARIES;

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

function librarySizes(library) {
  const files = library.files().map((file) => ({ file, ...sizes(join(repo, file)) }));
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

function sizeSection() {
  const all = LIBRARIES.map((l) => ({ library: l, ...librarySizes(l) }));
  const ours = all[0].total;
  const lines = [
    '| library | raw | gzip | brotli | gzip ratio (consent-gate / library) |',
    '|---|---:|---:|---:|---:|',
    ...all.map(({ library, total }) =>
      `| ${library.label} | ${total.raw} | ${total.gzip} | ${total.brotli} | ${(ours.gzip / total.gzip).toFixed(2)}× |`),
    '',
    'Files counted (the site\'s own config is not counted for any library):',
    '',
    '| library | file | raw | gzip | brotli |',
    '|---|---|---:|---:|---:|',
    ...all.flatMap(({ library, files }) => files.map((f) => `| ${library.label} | ${f.file} | ${f.raw} | ${f.gzip} | ${f.brotli} |`)),
  ];
  return lines.join('\n');
}

function timingSection(samples) {
  const head = `| metric | unit | ${LIBRARIES.map((l) => l.label).join(' | ')} | ${ANCHORS.map((a) => `consent-gate / ${a.label}`).join(' | ')} |`;
  const rows = METRICS.map(([key, label, unit]) => {
    const st = LIBRARIES.map((l) => stats(samples[l.id][key]));
    return `| ${label} | ${unit} | ${st.map((s) => cell(s, unit)).join(' | ')} | ${st.slice(1).map((s) => ratio(st[0], s)).join(' | ')} |`;
  });
  return [head, `|---|---|${LIBRARIES.map(() => '---|').join('')}${ANCHORS.map(() => '---:|').join('')}`, ...rows].join('\n');
}

function notes(samples) {
  const lines = [];
  for (const l of LIBRARIES) {
    const s = samples[l.id];
    if (s.barOnReturn) lines.push(`- ${l.label}: the bar showed on ${s.barOnReturn} returning-visitor loads (the stored grant was not accepted).`);
    for (const e of s.errors ?? []) lines.push(`- ${l.label}: page error: ${e}`);
  }
  return lines.length ? lines.join('\n') : '- No page errors; no library asked a returning visitor again.';
}

export function writeResults({ samples, runs, browserVersion }) {
  const markdown = `# Benchmark results

Written by \`bench/run.sh\` (see README, "Benchmark"). Do not edit by hand.

${machine(browserVersion)}
- Runs: ${runs} per scenario and library, interleaved (each run takes the three libraries in a rotated order).

## Bytes a site loads for the library

${sizeSection()}

## Timings

Each cell: median (p10–p90; min–max) over ${runs} loads. Times are on the page's clock
(\`performance.now()\`, 0 = navigation start), except the scale rows, which count from the
"accept all" click. The ratio columns divide consent-gate's median by the anchor's
(below 1 means consent-gate is faster or smaller).

${timingSection(samples)}

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

${notes(samples)}
`;
  writeFileSync(join(repo, 'bench/RESULTS.md'), markdown);
  return markdown;
}
