// Page-level vendor APIs, created the way each vendor's own snippet creates
// them, so calls queue up in the page until the vendor's script is granted and
// loads. Nothing here touches the network. Shipped as a file (not inline) so a
// strict Content Security Policy needs no 'unsafe-inline'.

const stubs = {
  gtag(w) {
    w.dataLayer = w.dataLayer || [];
    // gtag.js reads Arguments objects off dataLayer, not arrays.
    w.gtag = w.gtag || function gtag() { w.dataLayer.push(arguments); };
  },
  fbq(w) {
    if (w.fbq) return;
    const fbq = function () {
      if (fbq.callMethod) fbq.callMethod.apply(fbq, arguments);
      else fbq.queue.push(arguments);
    };
    if (!w._fbq) w._fbq = fbq;
    fbq.push = fbq;
    fbq.loaded = true;
    fbq.version = '2.0';
    fbq.queue = [];
    w.fbq = fbq;
  },
};

/** Calls `window[name](...args)`, creating the vendor's queueing stub first. */
export function callCommand(name, args) {
  const stub = stubs[name];
  if (!stub) throw new Error(`consent-gate: no command stub for ${name}`);
  stub(globalThis);
  globalThis[name](...args);
}

/** Pushes onto the global queue array `window[name]` (criteo_q, _adftrack). */
export function pushQueue(name, item) {
  const current = globalThis[name];
  // Adform's own snippet also accepts a single object left there by the page.
  const queue = Array.isArray(current) ? current : current ? [current] : [];
  queue.push(item);
  globalThis[name] = queue;
}

// The scripts loadScript() was asked for, by address and category: asked
// again, it gets the first call's promise and inserts nothing.
const asked = new Map();

/**
 * loadScript()'s script, not yet on the page (so not yet fetched), with the
 * gate's nonce, and the promise its load or error event settles. Nothing
 * (undefined) unless the browser resolves `src` to an https: or http:
 * address: `javascript:`, `data:` and the like, however spelled, never load.
 * The same address and category asked for again: `[null, the first promise]`.
 */
export function pageScript(src, nonce, category) {
  const script = document.createElement('script');
  script.src = src;
  if (!/^https?:/.test(script.src)) return undefined;
  const key = `${category} ${script.src}`;
  if (asked.has(key)) return [null, asked.get(key)];
  script.async = true;
  script.dataset.consentGate = 'page';
  if (nonce) script.nonce = nonce;
  const loaded = new Promise((resolve, reject) => {
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => reject(new Error(`consent-gate: ${script.src} failed to load`)));
  });
  asked.set(key, loaded);
  return [script, loaded];
}
