// The checker and the browser agree on every config fixture: each file under
// tests/config/ goes through the release checker (`consent-gate check FILE`)
// and, as its bytes, through `ConsentGate.start(new Response(bytes))` in
// Chromium, on a blank page served beside the demo's files. Both accept it,
// or both refuse it with the same problems, in the same order, at the same
// lines and columns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { homedir } from 'node:os';
import { launch } from './harness.mjs';
import { createServer } from '../../scripts/serve.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const checker = join(repo, 'target', 'release', 'consent-gate');

/** Every .json file under tests/config/, as a path relative to the repository. */
function fixtures(dir = join(repo, 'tests', 'config')) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return fixtures(path);
      return entry.name.endsWith('.json') ? [relative(repo, path)] : [];
    })
    .sort();
}

/** The checker's verdict: { accepted, problems: ["line:column: path: message", …] }. */
function checkerVerdict(file) {
  const run = spawnSync(checker, ['check', file], { cwd: repo, encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `${file}: the checker exits 0 or 1, not ${run.status}: ${run.stderr}`);
  if (run.status === 0) return { accepted: true, problems: [] };
  const problems = run.stdout.split('\n').filter(Boolean).map((line) => {
    assert.ok(line.startsWith(`${file}:`), `${file}: a problem line names the file: ${line}`);
    return line.slice(file.length + 1);
  });
  return { accepted: false, problems };
}

const BLANK = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fixture</title></head><body></body></html>';

/** Starts consent-gate on a fresh blank page with the file's bytes. */
async function browserVerdict(browser, base, file) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${base}blank.html`);
    const bytes = readFileSync(join(repo, file)).toString('base64');
    const outcome = await page.evaluate(async (base64) => {
      const { default: init, ConsentGate } = await import('/pkg/consent_gate.js');
      await init();
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      try {
        await ConsentGate.start(new Response(bytes));
        return { accepted: true };
      } catch (error) {
        return { accepted: false, message: String(error?.message ?? error) };
      }
    }, bytes);
    if (outcome.accepted) return { accepted: true, problems: [] };
    // "consent-gate: consent.json has N problems:\n  - line L, column C: path: message\n…"
    const problems = outcome.message
      .split('\n')
      .filter((line) => line.startsWith('  - '))
      .map((line) => line.slice(4).replace(/^line (\d+), column (\d+): /, '$1:$2: '));
    assert.ok(problems.length > 0, `${file}: the browser's refusal lists its problems: ${outcome.message}`);
    return { accepted: false, problems };
  } finally {
    await context.close();
  }
}

let server;
let base;
let browser;

before(async () => {
  // Always through cargo: it rebuilds the checker only when the sources changed.
  const env = { ...process.env, PATH: `${join(homedir(), '.cargo', 'bin')}:${process.env.PATH}` };
  execFileSync('cargo', ['build', '--release', '--bin', 'consent-gate'], { cwd: repo, env, stdio: 'inherit' });
  const demoFiles = createServer();
  server = http.createServer((req, res) => {
    if (req.url !== '/blank.html') return demoFiles.emit('request', req, res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(BLANK);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('the checker and the browser accept and refuse the same fixtures, with the same problems', async () => {
  const files = fixtures();
  assert.ok(files.some((f) => f.includes('/broken/')) && files.some((f) => f.includes('/valid/')), 'both kinds of fixture');
  const disagreements = [];
  for (const file of files) {
    try {
      const byChecker = checkerVerdict(file);
      const byBrowser = await browserVerdict(browser, base, file);
      assert.deepEqual(byBrowser, byChecker);
      assert.equal(byChecker.accepted, file.includes('/valid/'), `${file} is a ${file.includes('/valid/') ? 'valid' : 'broken'} example`);
    } catch (error) {
      disagreements.push(`${file}: ${error.message}`);
    }
  }
  assert.deepEqual(disagreements, [], disagreements.join('\n\n'));
});
