// Receipts end to end (issue 18): Chromium, the real collector
// (collector/, target/debug/consent-gate-collector), and each of its stores:
// a SQLite file, and a throwaway PostgreSQL cluster (Debian's postgresql,
// initdb as the postgres user: collector/scripts/pg-cluster.sh). The stored
// receipts are read back with the collector's own CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDemoSite, RECEIPTS_URL } from '../../collector/scripts/demo-site.mjs';
import { launch, openSite, startServer, waitForBar, waitForStart, settle } from './harness.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BINARY = join(root, 'target/debug/consent-gate-collector');
const OUTBOX = 'consent-gate:outbox';
const work = mkdtempSync(join(tmpdir(), 'consent-gate-receipts-'));
const site = join(work, 'site');
const config = writeDemoSite(site);
const cluster = `/tmp/consent-gate-e2e-pg-${process.pid}`;
const PG = join(root, 'collector/scripts/pg-cluster.sh');
let browser;
let pgUrl;

before(async () => {
  if (!existsSync(BINARY)) execFileSync('cargo', ['build', '-q', '-p', 'consent-gate-collector'], { cwd: root });
  browser = await launch();
  pgUrl = execFileSync('bash', ['-c', `source ${PG} && pg_up ${cluster} && echo "$PG_URL"`], { encoding: 'utf8' }).trim();
});
after(async () => {
  await browser?.close();
  execFileSync('bash', ['-c', `source ${PG} && pg_down ${cluster}`]);
  rmSync(work, { recursive: true, force: true });
});

/** Where each test's receipts go: the collector's arguments for a fresh store. */
const BACKENDS = [
  { name: 'SQLite', store: (test) => ['--data-dir', join(work, test)] },
  {
    name: 'PostgreSQL',
    store: (test) => {
      execFileSync('psql', [pgUrl, '-q', '-c', `CREATE DATABASE ${test}`]);
      return ['--database', pgUrl.replace(/\/postgres$/, `/${test}`)];
    },
  },
];

/** Starts the collector on a free port; resolves to { url, stop() } once it listens. */
function startCollector(store, extra = []) {
  const child = spawn(BINARY, [
    'serve', '--config', config, ...store, '--listen', '127.0.0.1:0',
    '--static', site, '--static', `/pkg/=${join(root, 'pkg')}`, ...extra,
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`the collector exited (${code}) before it listened: ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const listening = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (!listening) return;
      child.removeAllListeners('exit');
      const stopped = new Promise((done) => child.on('exit', done));
      resolve({ url: `${listening[1]}/`, stop: () => { child.kill('SIGTERM'); return stopped; } });
    });
  });
}

/** Every stored receipt, as the collector exports it. */
function stored(store) {
  const out = execFileSync(BINARY, ['receipts', ...store, 'export', '--from', '2000-01-01', '--to', '2100-01-01', '--format', 'jsonl'], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** Polls `check` until it returns true (a keepalive request never ends for
 * Playwright's network tracking, so `networkidle` cannot be waited for). */
async function until(check, what, ms = 10000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const outboxOf = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), OUTBOX);

function verify(store) {
  return execFileSync(BINARY, ['receipts', ...store, 'verify'], { encoding: 'utf8' });
}

for (const { name, store: freshStore } of BACKENDS) {

  test(`accept on the demo page, served by the collector: the receipt is in ${name} with every field`, async () => {
    const store = freshStore('accept');
    const collector = await startCollector(store);
    try {
      const { context, page, problems } = await openSite(browser, collector.url);
      await page.goto(`${collector.url}en/?campaign=mail`);
      await (await waitForBar(page)).locator('[data-cg-action=accept]').click();
      await until(async () => stored(store).length > 0, 'the receipt is stored');
      await until(async () => (await outboxOf(page)) === null, 'the outbox is empty once the collector answered');
      const record = await page.evaluate(() => JSON.parse(localStorage.getItem('consent-gate')));
      const receipts = stored(store);
      assert.equal(receipts.length, 1);
      const [receipt] = receipts;
      assert.equal(receipt.consentId, record.id);
      assert.equal(receipt.decidedAt, record.updatedAt);
      assert.deepEqual(receipt.choices, { analytics: true, marketing: true });
      assert.deepEqual(Object.values(receipt.vendors), [true, true, true, true, true, true]);
      assert.match(receipt.fingerprints.analytics, /^[0-9a-f]{16}$/);
      assert.equal(receipt.source, 'bar-accept');
      assert.equal(receipt.lang, 'en');
      assert.equal(receipt.path, '/en/');
      assert.equal(receipt.revision, 1);
      assert.equal(receipt.edition, '2024-05-01');
      assert.equal(receipt.dnt, false);
      assert.equal(receipt.gpc, false);
      assert.match(receipt.receiptId, /^[0-9a-f]{32}$/);
      assert.match(verify(store), /^chain verified: 1 receipts/);
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      await collector.stop();
    }
  });

  test(`${name}: with the collector stopped, three decisions wait in the outbox; once it is back the next page view delivers each once`, async () => {
    const store = freshStore('outage');
    // The site is served apart from the collector, which sits behind the
    // site's own /consent/receipts as behind a reverse proxy: with the
    // collector stopped the proxy answers 502, as nginx does.
    const { server, url: siteUrl } = await startServer();
    let collector = await startCollector(store, ['--allow-origin', siteUrl.replace(/\/$/, '')]);
    let up = true;
    const { context, page, problems } = await openSite(browser, siteUrl);
    await page.route(`${siteUrl}consent.json`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: readFileSync(config, 'utf8') }));
    let tried = 0;
    await page.route(`${siteUrl}${RECEIPTS_URL.slice(1)}`, async (route) => {
      tried += 1;
      if (!up) return route.fulfill({ status: 502, body: 'Bad Gateway' });
      const answer = await route.fetch({ url: `${collector.url}${RECEIPTS_URL.slice(1)}` });
      return route.fulfill({ response: answer });
    });
    try {
      await collector.stop();
      up = false;
      await page.goto(siteUrl);
      await (await waitForBar(page)).locator('[data-cg-action=reject]').click();
      await page.evaluate(() => window.consentGate.set({ analytics: true, marketing: false }));
      await page.evaluate(() => window.consentGate.set({ analytics: true, marketing: { criteo: true } }));
      await until(() => tried === 3, 'each decision was tried once');
      const waiting = await outboxOf(page);
      assert.equal(waiting.length, 3, 'three decisions wait');

      collector = await startCollector(store, ['--allow-origin', siteUrl.replace(/\/$/, '')]);
      up = true;
      await page.reload();
      await waitForStart(page);
      await until(async () => (await outboxOf(page)) === null, 'the outbox is empty');
      const receipts = stored(store);
      assert.deepEqual(receipts.map((r) => r.receiptId).sort(), waiting.map((r) => r.receiptId).sort(), 'each stored once');
      // Sent together, they may arrive in any order: matched by receipt id.
      const byId = (id) => receipts.find((r) => r.receiptId === id);
      assert.deepEqual(waiting.map((w) => byId(w.receiptId).source), ['bar-reject', 'api', 'api']);
      const last = byId(waiting[2].receiptId);
      assert.equal(last.vendors.criteo, true);
      assert.equal(last.vendors['facebook-pixel'], false);

      const triedBefore = tried;
      await page.reload();
      await waitForStart(page);
      await settle(page);
      assert.equal(tried, triedBefore, 'nothing waits, so nothing is sent');
      assert.equal(stored(store).length, 3, 'nothing is stored twice');
      assert.match(verify(store), /^chain verified: 3 receipts/);
      // The browser logs each request the proxy answered 502; the library
      // reports nothing for a collector that is down (it retries later).
      const down = problems.filter((p) => p.includes('status of 502 (Bad Gateway)'));
      assert.equal(down.length, 3);
      assert.deepEqual(problems.filter((p) => !down.includes(p)), []);
    } finally {
      await context.close();
      await collector.stop();
      server.close();
    }
  });
}
