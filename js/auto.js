// The no-build drop-in:
//   <link rel="stylesheet" href="/pkg/consent-gate.css">
//   <script type="module" async src="/pkg/consent-gate-auto.js" data-config="/consent.json"></script>
// Starts consent-gate with the config named by data-config and exposes it as
// `window.consentGate` (the `consent-gate:ready` event, which may come before
// it is set, carries the same gate as its detail).
// scripts/build.sh bundles this file with the wasm-bindgen glue, so a page
// loads one script, then the wasm and the config side by side.
import init, { ConsentGate } from './consent_gate.js';

const self = [...document.querySelectorAll('script[type="module"][data-config]')]
  .find((s) => s.src && new URL(s.src, document.baseURI).href === import.meta.url);
const configUrl = self ? self.dataset.config : '/consent.json';

// Both requests start now, together, rather than the config after the wasm.
// Plain fetch() with default options: a page's <link rel="preload" as="fetch"
// crossorigin> for either file is then reused, not fetched twice.
const wasm = fetch(new URL('consent_gate_bg.wasm', import.meta.url));
const config = fetch(configUrl).catch((error) => {
  throw new Error(`${configUrl} did not load (${error.message})`);
});
// With `async` the drop-in runs as soon as it has loaded, so the wasm compiles
// while the page is still being parsed, and consent-gate starts as soon as it
// is ready: a returning visitor's tags load at once, while the bar, gated
// elements, declarations and events wait inside it for the parsed document.
// Without `async` (a deferred module) the document is parsed already.
const parsed = document.readyState === 'loading'
  ? new Promise((resolve) => {
    document.addEventListener('DOMContentLoaded', resolve, { once: true });
    // A parser stopped by window.stop() skips DOMContentLoaded; the document still completes.
    document.addEventListener('readystatechange', () => document.readyState === 'complete' && resolve());
  })
  : null;
hintBarOnFirstVisit(config);
// Failures are reported below (or by start()); until then they are not "unhandled".
wasm.catch(() => {});
config.catch(() => {});

try {
  // Cut off in flight (window.stop() on the page, a dropped connection), the
  // wasm is fetched once more; a second failure is reported below, as is a
  // wasm the browser will not compile (a CSP without 'wasm-unsafe-eval').
  await init({ module_or_path: wasm }).catch((error) => {
    if (error instanceof WebAssembly.CompileError) throw error;
    return init({ module_or_path: fetch(new URL('consent_gate_bg.wasm', import.meta.url)) });
  });
  // The nonce property (browsers hide the attribute) goes to every script the
  // library inserts, so a strict CSP needs no 'unsafe-inline'.
  window.consentGate = await ConsentGate.start(config, { nonce: self?.nonce || undefined });
} catch (error) {
  // ConsentGate.start has already reported config problems on the console and
  // as a consent-gate:error event; a failure before it (the wasm did not load)
  // is reported here the same way. Either way no tag was loaded.
  if (!(error instanceof Error && error.message.startsWith('consent-gate:'))) {
    await parsed; // so the page's own listeners for the event are in place
    console.error('consent-gate: could not start:', error);
    document.dispatchEvent(new CustomEvent('consent-gate:error', { detail: { message: String(error) } }));
  }
}

/**
 * On what looks like a first visit (no record stored under the config's
 * storage key), the bar's part (js/parts.js) starts loading now, beside the
 * gate, instead of once the gate has decided. Only a head start: the gate
 * still decides whether the bar shows, and a wrong guess (a refused config,
 * say) costs bytes, never consent. A returning visitor's page view fetches
 * nothing more.
 */
function hintBarOnFirstVisit(config) {
  // Cloned at once, before start() reads the body.
  config.then((response) => response.clone().json()).then((parsed) => {
    const key = typeof parsed?.storage?.key === 'string' ? parsed.storage.key : 'consent-gate';
    let stored = false;
    try {
      stored = localStorage.getItem(key) !== null;
    } catch {
      // storage disabled: the gate falls back to a cookie
    }
    stored ||= document.cookie.split('; ').some((c) => c.startsWith(`${key}=`) || c.startsWith(`__Host-${key}=`));
    if (stored) return;
    // The same start as js/parts.js's, which finds these requests under this key.
    const parts = (globalThis[Symbol.for('consent-gate.parts')] ??= new Map());
    if (parts.has('ui')) return;
    const glue = import(new URL('consent_gate_ui.js', import.meta.url).href);
    const wasm = fetch(new URL('consent_gate_ui_bg.wasm', import.meta.url));
    glue.catch(() => {});
    wasm.catch(() => {}); // reported by the gate if it needs the part
    parts.set('ui', { glue, wasm });
  }).catch(() => {});
}
