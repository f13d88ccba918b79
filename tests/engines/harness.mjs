// End-to-end set-up for the engines Playwright cannot drive here: Firefox
// (Debian's firefox-esr through geckodriver) and WebKit (WebKitGTK's
// MiniBrowser through WebKitWebDriver, under Xvfb), both over W3C WebDriver
// with selenium-webdriver. The engine under test is CG_ENGINE (firefox or
// webkit); scripts/test.sh runs the suite once for each.
//
// Neither engine can answer vendor requests with stand-ins here (Playwright's
// routing needs its own patched browsers), so no vendor host is ever reached:
// every request that is not for the demo goes to a closed proxy port on
// loopback and fails at once, and the tests prove the gate where the page
// sees it: the vendor <script> elements inserted, the engine's own resource
// timing, the gtag queue, and the cookie jar WebDriver reads.
import { before, after } from 'node:test';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { Builder, By, Key } from 'selenium-webdriver';
import { listen } from '../../scripts/serve.mjs';
import { VENDOR_HOSTS } from '../../scripts/chromium.mjs';

export { By, Key };
export const ENGINE = process.env.CG_ENGINE ?? 'firefox';

// A loopback port nothing listens on: the discard service's, refused at once.
const BLACKHOLE = '127.0.0.1:9';

const ENGINES = {
  firefox: {
    command: () => [process.env.GECKODRIVER ?? 'geckodriver', ['--port', '{port}']],
    capabilities: () => ({
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
        args: ['-headless'],
        prefs: {
          'network.proxy.type': 1,
          'network.proxy.http': '127.0.0.1',
          'network.proxy.http_port': 9,
          'network.proxy.ssl': '127.0.0.1',
          'network.proxy.ssl_port': 9,
          'network.proxy.no_proxies_on': '127.0.0.1, localhost',
          'network.proxy.allow_hijacking_localhost': false,
          // No background traffic of the browser's own.
          'app.update.enabled': false,
          'browser.safebrowsing.malware.enabled': false,
          'browser.safebrowsing.phishing.enabled': false,
          'network.captive-portal-service.enabled': false,
          'network.connectivity-service.enabled': false,
          'datareporting.policy.dataSubmissionEnabled': false,
        },
      },
    }),
  },
  webkit: {
    command: () => ['xvfb-run', ['-a', process.env.WEBKIT_DRIVER ?? 'WebKitWebDriver', '--port={port}']],
    capabilities: () => ({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': {
        binary: process.env.WEBKIT_BROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        args: ['--automation'],
      },
    }),
    // WebKitGTK takes the system proxy from the environment.
    env: { http_proxy: `http://${BLACKHOLE}`, https_proxy: `http://${BLACKHOLE}`, no_proxy: '127.0.0.1,localhost' },
  },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the ${ENGINE} driver did not listen on port ${port} within ${timeoutMs} ms`);
}

/** Starts the engine's WebDriver server; resolves to { url, stop }. */
async function startDriver() {
  const engine = ENGINES[ENGINE];
  if (!engine) throw new Error(`CG_ENGINE must be firefox or webkit, not ${ENGINE}`);
  const port = await freePort();
  const [command, args] = engine.command();
  const child = spawn(command, args.map((a) => a.replace('{port}', port)), {
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, ...engine.env },
  });
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`${command} exited (${code})`))));
  // The whole process group (the browser, xvfb-run's Xvfb), also when the
  // test run itself is stopped: a browser left behind keeps its memory.
  const stop = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone already */ } };
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => { stop(); process.exit(1); });
  await Promise.race([waitForPort(port), exited]);
  return { url: `http://127.0.0.1:${port}`, stop };
}

/**
 * The demo server and the engine's driver for a whole test file, and one
 * browser session shared by its tests: starting Firefox or WebKit takes
 * seconds, so `demo.session()` gives each test the same browser with a clean
 * slate instead (one window, no cookies, empty storage for the demo's origin).
 */
export function useEngine() {
  const demo = { base: undefined, server: undefined, driver: undefined, browser: undefined };
  demo.session = async () => {
    demo.browser ??= await new Builder()
      .usingServer(demo.driver.url)
      .withCapabilities(ENGINES[ENGINE].capabilities())
      .build();
    await cleanSlate(demo.browser, demo.base);
    return demo.browser;
  };
  before(async () => {
    const { server, url } = await listen(0);
    demo.server = server;
    demo.base = url;
    demo.driver = await startDriver();
  });
  after(async () => {
    await demo.browser?.quit().catch(() => {});
    demo.driver?.stop();
    demo.server?.close();
  });
  return demo;
}

/** One window, on a page of the demo's origin without consent-gate, with no cookies and no storage. */
async function cleanSlate(driver, base) {
  const [first, ...others] = await driver.getAllWindowHandles();
  for (const handle of others) {
    await driver.switchTo().window(handle);
    await driver.close();
  }
  await driver.switchTo().window(first);
  await driver.get(`${base}gated/pixel.svg`);
  await driver.manage().deleteAllCookies();
  await driver.executeScript('localStorage.clear(); sessionStorage.clear();');
}

/** Polls `condition` in the page until it returns a truthy value; resolves to that value. */
export async function waitIn(driver, condition, arg, { timeoutMs = 10_000, what = 'the condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await driver.executeScript(condition, arg);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await driver.sleep(100);
  }
}

/** Resolves once consent-gate has started (window.consentGate is set). */
export function waitForStart(driver) {
  return waitIn(driver, 'return window.consentGate !== undefined', undefined, { what: 'consent-gate to start' });
}

/**
 * Runs `action` (which makes the page load again: a refresh, or a click that
 * reloads it) and resolves once consent-gate has started on the new page.
 * The old page is marked first, so its `window.consentGate` is not mistaken
 * for the new one's.
 */
export async function afterReload(driver, action) {
  await driver.executeScript('window.__cgOldPage = true');
  await action();
  await waitIn(driver, 'return !window.__cgOldPage && window.consentGate !== undefined', undefined, { what: 'the page to load again' });
}

/** Resolves once the bar is on the page. */
export function waitForBar(driver) {
  return waitIn(driver, 'return document.querySelector(".cg-bar") !== null', undefined, { what: 'the bar' });
}

/** Clicks one of the bar's buttons by its action (accept, reject, settings). */
export function clickBar(driver, action) {
  return click(driver, `.cg-bar [data-cg-action="${action}"]`);
}

/**
 * Clicks what `selector` finds as a person would, once it can be clicked:
 * the bar slides in, and WebKit refuses a click on it until it has arrived.
 */
export async function click(driver, selector, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await driver.findElement(By.css(selector)).click();
    } catch (error) {
      const notYet = ['ElementNotInteractableError', 'ElementClickInterceptedError', 'NoSuchElementError'].includes(error.name);
      if (!notYet || Date.now() > deadline) throw error;
      await driver.sleep(100);
    }
  }
}

/** What the page shows of vendor traffic: inserted vendor scripts, and vendor URLs in resource timing. */
export function vendorTraffic(driver) {
  return driver.executeScript(`
    const hosts = arguments[0];
    const vendor = (url) => { try { const h = new URL(url, location.href).hostname;
      return hosts.some((v) => h === v || h.endsWith('.' + v)); } catch { return false; } };
    return {
      scripts: [...document.querySelectorAll('script[src]')].map((s) => s.src).filter(vendor),
      resources: performance.getEntriesByType('resource').map((e) => e.name).filter(vendor),
    };`, VENDOR_HOSTS);
}

/** Lets the page settle so that a request that would follow gets made. */
export function settle(driver, ms = 500) {
  return driver.sleep(ms);
}
