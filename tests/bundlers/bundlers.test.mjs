// Each bundler the README has a recipe for builds the same tiny app
// (app/main.js: the ES module by package name, and its stylesheet), with the
// package linked from pkg/ (`file:../../pkg`, a symlink, as `npm link` makes).
// The app is served and, in Chromium, the bar must show styled, and "accept
// all" must load the GA4 tag, with every file the page asks for found.
//
// The bundlers are pinned in package.json and package-lock.json here, and
// installed by scripts/setup.sh. Run: node --test tests/bundlers/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { launch, openSite, waitForBar, hosts } from '../e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// As an app's own scripts run: from the app's folder (Vite's workspace root is found from it).
process.chdir(here);
const bin = (name) => join(here, 'node_modules', '.bin', name);
/** Runs a build; gives what it printed, stdout and stderr together. */
function run(file, args) {
  const build = spawnSync(file, args, { cwd: here, encoding: 'utf8' });
  const output = `${build.stdout}${build.stderr}`;
  assert.equal(build.status, 0, output);
  return output;
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The strict policy the README promises works: no inline script, no eval,
// wasm compiled from files of the site's own origin.
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://www.googletagmanager.com; " +
  "connect-src 'self' https://*.google-analytics.com https://*.googletagmanager.com; " +
  "style-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'self'";

/** Serves a built app's folder under the strict CSP; resolves to its address and a close(). */
function serve(dir) {
  const files = sirv(dir, { dev: true, setHeaders: (res) => res.setHeader('content-security-policy', CSP) });
  const server = http.createServer((req, res) =>
    files(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    }),
  );
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() }));
  });
}

/** The page of webpack's and esbuild's output, and the config, beside the bundle. */
function addPage(dir) {
  copyFileSync(join(here, 'page.html'), join(dir, 'index.html'));
  copyFileSync(join(here, 'app', 'public', 'consent.json'), join(dir, 'consent.json'));
}

/**
 * Opens the app: the bar shows (drawn by the ui part, so its glue and wasm
 * were found in the bundle's output), styled by the bundled stylesheet, and
 * "accept all" loads the GA4 tag. Every same-site request must succeed.
 */
async function barShowsAndAcceptLoadsTheTag(url) {
  const { context, page, vendorRequests, problems } = await openSite(browser, url);
  const failed = [];
  page.on('response', (response) => {
    const u = new URL(response.url());
    if (u.host !== new URL(url).host) return;
    if (response.status() >= 400) failed.push(`${response.status()} ${u.pathname}`);
  });
  page.on('requestfailed', (request) => failed.push(`${request.failure()?.errorText} ${request.url()}`));
  try {
    await page.goto(url);
    const bar = await waitForBar(page).catch((error) => {
      // Why the bar did not show, rather than only that it did not.
      assert.deepEqual(failed, []);
      assert.deepEqual(problems, []);
      throw error;
    });
    assert.equal(await bar.evaluate((e) => getComputedStyle(e).position), 'fixed', 'the bar is styled by consent-gate.css');
    assert.deepEqual(vendorRequests, [], 'no vendor request before consent');
    await page.click('.cg-bar [data-cg-action="accept"]');
    await page.waitForFunction(() => [...document.scripts].some((s) => s.src.startsWith('https://www.googletagmanager.com/gtag/js')));
    await page.waitForFunction(() => window.consentGate?.isGranted('analytics') === true);
    assert.ok(hosts(vendorRequests).includes('www.googletagmanager.com'), 'the GA4 loader was requested');
    assert.deepEqual(failed, []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

test('Vite build', async () => {
  const out = run(bin('vite'), ['build', '--logLevel', 'warn']);
  assert.equal(out, '', 'no warning');
  const app = await serve(join(here, 'dist', 'vite'));
  try {
    await barShowsAndAcceptLoadsTheTag(app.url);
  } finally {
    app.close();
  }
});

test('Vite dev server, with the package linked from outside the project', async () => {
  const { createServer, createLogger } = await import('vite');
  const warnings = [];
  const customLogger = createLogger('warn');
  for (const level of ['warn', 'warnOnce', 'error']) customLogger[level] = (message) => warnings.push(message);
  const server = await createServer({
    configFile: join(here, 'vite.config.js'),
    root: join(here, 'app'),
    customLogger,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  try {
    await barShowsAndAcceptLoadsTheTag(server.resolvedUrls.local[0]);
    assert.deepEqual(warnings, []);
  } finally {
    await server.close();
  }
});

test('webpack 5 production', async () => {
  const out = run(bin('webpack'), ['--no-color']);
  assert.doesNotMatch(out, /WARNING|ERROR/, out);
  addPage(join(here, 'dist', 'webpack'));
  const app = await serve(join(here, 'dist', 'webpack'));
  try {
    await barShowsAndAcceptLoadsTheTag(app.url);
  } finally {
    app.close();
  }
});

test('esbuild', async () => {
  const out = run(process.execPath, [join(here, 'esbuild.mjs')]);
  assert.equal(out, '', 'no warning');
  const dir = join(here, 'dist', 'esbuild');
  addPage(dir);
  const app = await serve(dir);
  try {
    await barShowsAndAcceptLoadsTheTag(app.url);
  } finally {
    app.close();
  }
});
